// Production confidence at the end of a report's range, rebuilt from the report's inputs: an
// incident still open then, a deploy in the hour before, a breached SLO and missing traces each
// cost what the confidence judge says; an incident resolved before the end costs nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { penalties } from '../confidence/index.js';
import { DAY, incident } from '../reviews/testing/incidents.js';
import { confidenceAt } from './confidence.js';

/** 2026-11-09T00:00:00Z, the end of the range. */
const END = 1_794_182_400_000;
const HOUR = 3_600_000;

void test('each service is judged as it stood at the end of the range', () => {
  const history = [
    incident({
      id: 'open',
      severity: 'critical',
      services: ['payment'],
      startedAtMs: END - 2 * HOUR,
      acknowledgedAtMs: END - HOUR,
      resolvedAtMs: END + HOUR,
      status: 'resolved',
    }),
    incident({ id: 'done', severity: 'critical', services: ['cart'], startedAtMs: END - DAY, resolvedAtMs: END - DAY + HOUR }),
    incident({ id: 'later', severity: 'critical', services: ['cart'], startedAtMs: END + HOUR }),
  ];
  const facts = {
    services: [
      { service: 'payment', traced: true },
      { service: 'cart', traced: true },
      { service: 'checkout', traced: true },
      { service: 'mailer', traced: false },
    ],
    changes: [
      { service: 'checkout', kind: 'deploy', version: '2.1.0', timeMs: END - 10 * 60_000 },
      { service: 'cart', kind: 'deploy', version: '9', timeMs: END - 2 * HOUR },
    ],
    checkedServices: ['payment', 'cart', 'checkout', 'mailer'],
  };
  const slos = [
    { name: 'cart availability', service: 'cart', target: 0.99, attainment: 0.999, met: true },
    { name: 'checkout availability', service: 'checkout', target: 0.99, attainment: 0.95, met: false },
    { name: 'payment availability', service: 'payment', target: 0.99, attainment: 0.999, met: true },
    { name: 'mailer availability', service: 'mailer', target: 0.99, attainment: null, met: null },
  ];
  const byService = new Map(confidenceAt(END, facts, history, slos).map((c) => [c.service, c]));
  assert.deepEqual([...byService.keys()].sort(), ['cart', 'checkout', 'mailer', 'payment']);
  const cart = byService.get('cart')!;
  assert.equal(cart.score, 100, `resolved before the end, deployed 2 h before: nothing costs (${cart.reasons.join('; ')})`);
  assert.equal(cart.level, 'high');
  const payment = byService.get('payment')!;
  assert.equal(payment.level, 'low', 'still open at the end: the incident resolved only after it');
  assert.equal(payment.score, 100 - penalties.incident.critical);
  assert.ok(
    payment.factors.some((f) => f.detail.includes('open') || f.factor.includes('incident')),
    JSON.stringify(payment.factors),
  );
  const checkout = byService.get('checkout')!;
  assert.equal(checkout.score, 100 - penalties.sloBreaching - penalties.deployLastHour, JSON.stringify(checkout.factors));
  const mailer = byService.get('mailer')!;
  assert.equal(mailer.score, 100 - penalties.noTraces - penalties.noSlo, JSON.stringify(mailer.factors));
});
