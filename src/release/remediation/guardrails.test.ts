// The guardrails on automatic remediation: only configured automatic actions, one per deploy,
// rollback first, only within the configured hours (also across midnight).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remediationSectionSchema } from './config.js';
import { automaticAction, withinHours, type RemediationRun } from './guardrails.js';

/** 2026-03-02 at hh:mm UTC. */
const at = (hhmm: string): number => 1_772_409_600_000 + Number(hhmm.slice(0, 2)) * 3_600_000 + Number(hhmm.slice(3)) * 60_000;
const config = remediationSectionSchema.parse({
  autoHours: { from: '08:00', to: '18:00' },
  actions: [
    { name: 'scale-up', service: 'checkout', kind: 'scale', url: 'https://x.example/scale', auto: true },
    { name: 'rollback', service: 'checkout', kind: 'rollback', url: 'https://x.example/rollback', auto: true },
    { name: 'restart', service: 'checkout', kind: 'restart', url: 'https://x.example/restart' },
    { name: 'cart-restart', service: 'cart', kind: 'restart', url: 'https://x.example/cart' },
  ],
});

describe('remediation guardrails', () => {
  it('runs the rollback first, once per deploy', () => {
    const first = automaticAction(config, 'checkout', 'd1', [], at('10:00'));
    assert.ok('run' in first && first.run.name === 'rollback');
    const ran = [{ deploymentId: 'd1', trigger: 'automatic' } as RemediationRun];
    const again = automaticAction(config, 'checkout', 'd1', ran, at('10:05'));
    assert.ok('skip' in again && /already ran/.test(again.skip));
    assert.ok('run' in automaticAction(config, 'checkout', 'd2', ran, at('10:05')), 'another deploy may');
    assert.ok(
      'run' in automaticAction(config, 'checkout', 'd1', [{ deploymentId: 'd1', trigger: 'approval' } as RemediationRun], at('10:05')),
      'an approved run does not use up the automatic one',
    );
  });

  it('never outside the configured hours, and not for a service without automatic actions', () => {
    const night = automaticAction(config, 'checkout', 'd1', [], at('19:30'));
    assert.ok('skip' in night && /outside the hours/.test(night.skip));
    const cart = automaticAction(config, 'cart', 'd1', [], at('10:00'));
    assert.ok('skip' in cart && /no automatic action/.test(cart.skip));
  });

  it('reads hours as UTC, the end excluded, across midnight too', () => {
    assert.equal(withinHours(undefined, at('03:00')), true);
    assert.equal(withinHours({ from: '08:00', to: '18:00' }, at('08:00')), true);
    assert.equal(withinHours({ from: '08:00', to: '18:00' }, at('18:00')), false);
    assert.equal(withinHours({ from: '22:00', to: '06:00' }, at('23:59')), true);
    assert.equal(withinHours({ from: '22:00', to: '06:00' }, at('05:59')), true);
    assert.equal(withinHours({ from: '22:00', to: '06:00' }, at('12:00')), false);
  });

  it('refuses duplicate names, bad hours and non-http URLs', () => {
    const r = remediationSectionSchema.safeParse({
      autoHours: { from: '25:00', to: '06:00' },
      actions: [
        { name: 'a', service: 's', kind: 'rollback', url: 'ftp://x' },
        { name: 'a', service: 's', kind: 'bounce', url: 'https://x.example' },
      ],
    });
    assert.equal(r.success, false);
    const paths = r.error.issues.map((i) => i.path.join('.'));
    for (const p of ['autoHours.from', 'actions.0.url', 'actions.1.kind']) assert.ok(paths.includes(p), `${p} in ${paths.join(', ')}`);
  });
});
