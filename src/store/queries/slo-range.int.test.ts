// Availability over a range from the minute rollup: per method when the SLO names one, failures
// counted as the live SLO engine counts them, and minutes rolled up before the rollup kept the
// method still counted after the upgrade. An SLO from a metric's good/total ratio over a range
// counts the stored points' increases inside it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSpan } from '../../../test/support/records.js';
import { isFailedSpan } from '../../detect/index.js';
import type { MetricPoint, Span } from '../../model/index.js';
import { blankMetric } from '../../model/testing/records.js';
import { metricCountsInRange } from '../../slo/index.js';
import { metricPointsForSlo, migrate, openStore, redSeries, sloCountsInRange, TelemetryWriter, type StoreClient } from '../index.js';

const T0 = 1_764_000_000_000;
const MIN = 60_000;
let dir: string;
let store: StoreClient;
let writer: TelemetryWriter;

const pay = (method: string, status: number, at: number, o: Partial<Span> = {}): Span =>
  makeSpan({ service: 'payment', name: `${method} /pay`, httpMethod: method, httpRoute: '/pay', httpStatusCode: status, startTimeMs: at, ...o });
const write = async (spans: Span[]): Promise<void> => {
  await writer.write({ spans, logs: [], metrics: [] });
  await writer.sync();
};
const counts = (route: string | undefined, fromMs: number, toMs: number) => sloCountsInRange(store, { service: 'payment', route, fromMs, toMs });

describe('availability over a range from the minute rollup', () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-slo-range-'));
    store = await openStore({ dataDir: dir });
    // A database as the release before this one left it: the rollup without the method.
    assert.deepEqual(await migrate(store, { upTo: 8 }), [1, 2, 3, 4, 5, 6, 7, 8]);
    writer = await TelemetryWriter.open(store, { maxQueuedRows: 10_000, maxRowsPerFlush: 5_000, walDir: join(dir, 'wal') });
  });
  after(async () => {
    await writer.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('keeps the minutes rolled up before the upgrade and counts them for every method', async () => {
    // Old minute: 4 POSTs (1 failed) and 4 GETs, rolled up without their method.
    await write([
      ...[200, 200, 200, 503].map((s, i) => pay('POST', s, T0 + i * 1000)),
      ...[200, 200, 200, 200].map((s, i) => pay('GET', s, T0 + 5000 + i * 1000)),
    ]);
    assert.deepEqual(await migrate(store), [9], 'only the new migration runs');
    assert.deepEqual(await migrate(store), [], 'and once');
    assert.deepEqual(await counts('POST /pay', T0, T0 + MIN), { good: 7, total: 8 }, 'an old minute cannot tell methods apart');
    assert.deepEqual(await counts(undefined, T0, T0 + MIN), { good: 7, total: 8 });
  });

  it('counts only the named method, and a failure as the live engine does, after it', async () => {
    const at = T0 + 10 * MIN;
    const spans = [
      ...[200, 500, 502, 200].map((s, i) => pay('POST', s, at + i * 1000)),
      ...[200, 200, 404].map((s, i) => pay('GET', s, at + 10_000 + i * 1000)),
      // A consumer that saw a 503 from someone else, with its own status fine, did not fail; an error status fails any span.
      pay('POST', 503, at + 20_000, { kind: 'consumer' }),
      pay('GET', 200, at + 21_000, { statusCode: 'error' }),
    ];
    await write(spans);
    const live = (keep: (s: Span) => boolean): { good: number; total: number } => {
      const mine = spans.filter(keep);
      return { good: mine.filter((s) => !isFailedSpan(s)).length, total: mine.length };
    };
    assert.deepEqual(
      await counts('POST /pay', at, at + MIN),
      live((s) => s.httpMethod === 'POST'),
    );
    assert.deepEqual(await counts('POST /pay', at, at + MIN), { good: 3, total: 5 });
    assert.deepEqual(await counts('GET /pay', at, at + MIN), { good: 3, total: 4 });
    assert.deepEqual(
      await counts('/pay', at, at + MIN),
      live(() => true),
    );
    assert.deepEqual(await counts(undefined, at, at + MIN), { good: 6, total: 9 });
    const red = await redSeries(store, { fromMs: at, toMs: at + MIN, stepMs: MIN, service: 'payment', groupBy: 'service', maxSeries: 5 });
    assert.equal(
      red[0]?.points.reduce((a, p) => a + p.errors, 0),
      3,
      'charts count the same failures',
    );
  });

  it("counts a metric SLO's increases inside the range, the stored point before it only setting the marks", async () => {
    const at = T0 + 60 * MIN;
    const counter = (status: string, value: number, timeMs: number): MetricPoint =>
      blankMetric({
        name: 'jobs.processed',
        type: 'sum',
        temporality: 'cumulative',
        isMonotonic: true,
        service: 'payment',
        timeMs,
        startTimeMs: T0,
        attributes: { status },
        value,
      });
    const metrics: MetricPoint[] = [];
    // Exported every minute from 5 minutes before the range: 100 more jobs a minute, 2 of them failed.
    for (let m = -5; m <= 10; m++) metrics.push(counter('ok', 10_000 + 98 * m, at + m * MIN), counter('failed', 500 + 2 * m, at + m * MIN));
    metrics.push(blankMetric({ name: 'other', service: 'payment', timeMs: at }), { ...counter('failed', 9_999, at), service: 'cart' });
    await writer.write({ spans: [], logs: [], metrics });
    await writer.sync();
    const slo = { service: 'payment', metric: { total: { name: 'jobs.processed' }, bad: { name: 'jobs.processed', where: { status: 'failed' } } } };
    const points = await metricPointsForSlo(store, { service: 'payment', names: ['jobs.processed'], fromMs: at, toMs: at + 10 * MIN });
    assert.ok(points[0]!.timeMs < at && points.every((p, i) => i === 0 || p.timeMs >= points[i - 1]!.timeMs), 'in time order, from before the range');
    assert.deepEqual(new Set(points.map((p) => `${p.name} ${p.service}`)), new Set(['jobs.processed payment']), 'only the named metrics of the service');
    // Minutes 0..9 each add 100 jobs, 2 of them failed: the point at minute 10 ends the range, the one at -1 sets the marks.
    assert.deepEqual(metricCountsInRange(slo, points, at, at + 10 * MIN), { good: 980, total: 1_000 });
  });
});
