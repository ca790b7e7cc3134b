// A declared KPI is judged by the KPI detector alone (the metric scorer leaves its series), so the
// issue 18 case must hold on this path too: a sustained 75% drop of a noisy business KPI raises a
// signal within 3 points, and the noise of usual minutes raises none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Signal } from '../model/index.js';
import { seededRandom } from '../random/index.js';
import { kpisConfigSchema } from './config.js';
import { MIN, T0, ordersPoint as orders } from './testing.js';
import { KpiDetector } from './signals.js';

const kpis = kpisConfigSchema.parse([{ name: 'orders/min', metric: 'business.orders', service: 'checkout' }]);

/** Three hours of ~120 orders a minute (Poisson-like noise, ±2σ ≈ ±22), then `factor` of that from minute 180 on. */
function replay(factor: number, seed: number): { signals: Signal[]; firstAfterDrop?: number } {
  const rand = seededRandom(seed);
  const d = new KpiDetector(kpis);
  const signals: Signal[] = [];
  for (let m = 0; m < 200; m++) {
    const usual = 120 + Math.round(Math.sqrt(120) * 2 * (rand() + rand() + rand() - 1.5));
    d.observe([orders(m, Math.round(usual * (m >= 180 ? factor : 1)))]);
    signals.push(...d.advance(T0 + (m + 1) * MIN + 5_000));
  }
  const first = signals.find((s) => s.status === 'firing');
  return { signals, ...(first ? { firstAfterDrop: (first.detectedAtMs - orders(180, 0).timeMs) / MIN } : {}) };
}

void test('a declared KPI that drops by 75% and stays down fires within 3 points of the drop', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const { signals, firstAfterDrop } = replay(0.25, seed);
    assert.ok(firstAfterDrop !== undefined, `seed ${seed}: the drop raised nothing`);
    assert.ok(firstAfterDrop > 0 && firstAfterDrop <= 3, `seed ${seed}: first signal ${firstAfterDrop} points after the drop`);
    assert.ok(
      signals.some((s) => s.status === 'firing' && s.evidence.kpiSeverity === 'critical'),
      'a 75% drop is critical',
    );
  }
});

void test('three hours of the same KPI with only its usual noise raise nothing', () => {
  for (const seed of [1, 2, 3, 4, 5]) assert.deepEqual(replay(1, seed).signals, [], `seed ${seed}`);
});
