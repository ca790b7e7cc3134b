// Alert rules and silences across a restart, through the store: a firing rule comes back firing
// with the same "since" and reports no second firing (so nothing pages again), then recovers on
// the signal it fired; silences that ended — by their end or by hand before it — stay expired.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import type { Signal } from '../model/index.js';
import { alertRuleSchema } from '../rules/index.js';
import { minuteOfTraffic } from '../slo/testing.js';
import type { StoreClient } from '../store/index.js';
import { RuleService } from './rule-service.js';
import { SilenceService } from './silence-service.js';
import { ScratchStore } from '../store/testing/scratch-store.js';

const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const min = 60_000;
const log = createLogger('silent');

describe('rule and silence state across a restart', () => {
  let store: StoreClient;
  let scratch: ScratchStore;
  let clock = T0;
  before(async () => {
    scratch = await ScratchStore.open('vigil-rule-restart-');
    store = scratch.store;
  });
  after(async () => {
    await scratch.close();
  });

  it('a firing rule stays firing after a restart without a second page, then recovers', async () => {
    const reported: Signal[] = [];
    const fromConfig = [alertRuleSchema.parse({ name: 'pay errors', service: 'checkout', red: 'errorRate', above: 0.05, window: '1m', for: '1m' })];
    const open = () =>
      RuleService.open({ store, fromConfig, eventClock: true, now: () => clock, report: (s) => Promise.resolve(void reported.push(...s)), log });
    const feed = async (rules: RuleService, fromMinute: number, toMinute: number, errorRatio: number): Promise<void> => {
      for (let m = fromMinute; m < toMinute; m++)
        for (let tenth = 0; tenth < 6; tenth++) {
          clock = T0 + m * min + (tenth + 1) * 10_000;
          const spans = minuteOfTraffic({ service: 'checkout', route: 'POST /pay', requests: 10, errorRatio }, T0 + m * min + tenth * 10_000);
          await rules.observe({ spans, logs: [], metrics: [] });
        }
    };
    let rules = await open();
    rules.start();
    await feed(rules, 0, 5, 0.3);
    assert.deepEqual(
      reported.map((s) => s.status),
      ['firing'],
    );
    const firing = rules.list()[0]!.status;
    assert.equal(firing.state, 'firing');
    await rules.stop();

    rules = await open();
    assert.deepEqual(rules.list()[0]!.status, firing, 'state, value and since come back as they were');
    await feed(rules, 5, 8, 0.3);
    assert.deepEqual(
      reported.map((s) => s.status),
      ['firing'],
      'still firing: nothing new to page',
    );
    await feed(rules, 8, 11, 0);
    assert.deepEqual(
      reported.map((s) => [s.status, s.id]),
      [
        ['firing', reported[0]!.id],
        ['recovered', reported[0]!.id],
      ],
    );
    assert.equal(rules.list()[0]!.status.state, 'inactive');
    await rules.stop();
  });

  it('silences that ended stay expired after a restart, also one expired by hand before its end', async () => {
    clock = T0 + 60 * min;
    let silences = await SilenceService.open(store, () => clock, log);
    const ends = await silences.create({ service: 'checkout', durationMs: 30 * min, comment: 'migration' }, 'ops');
    const early = await silences.create({ kind: 'user-rule', durationMs: 4 * 60 * min, comment: 'tuning rules' }, 'ops');
    const running = await silences.create({ service: 'cart', durationMs: 4 * 60 * min, comment: 'cart rewrite' }, 'ops');
    clock += 10 * min;
    await silences.expire(early.id);
    clock += 30 * min;
    const states = () => new Map(silences.list().map((s) => [s.id, s.state]));
    assert.deepEqual([...states().values()].sort(), ['active', 'expired', 'expired']);

    silences = await SilenceService.open(store, () => clock, log);
    assert.equal(states().get(ends.id), 'expired', 'ended by its end');
    assert.equal(states().get(early.id), 'expired', 'expired by hand stays expired though its end is hours away');
    assert.equal(states().get(running.id), 'active');
    const incident = (service: string, kind: string) => ({
      services: [service],
      signals: [{ kind: kind as never, subject: { service }, status: 'firing' as const }],
    });
    assert.deepEqual(silences.covering(incident('checkout', 'error-rate'), clock), []);
    assert.deepEqual(silences.covering(incident('payment', 'user-rule'), clock), []);
    assert.deepEqual(
      silences.covering(incident('cart', 'latency'), clock).map((s) => s.id),
      [running.id],
    );
  });
});
