// SLO attainment in a reliability report is the attainment of the report's range: requests before
// or after it, however bad, do not count (a crafted history in the store, hand-computed figures).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeSpan } from '../../test/support/records.js';
import type { Span } from '../model/index.js';
import { TelemetryWriter, type StoreClient } from '../store/index.js';
import { FollowUpService } from './follow-up-service.js';
import { ScratchStore } from '../store/testing/scratch-store.js';

const R0 = Date.UTC(2026, 10, 2, 0, 0, 0);
const MIN = 60_000;

/** `n` checkout POST /pay server spans from `atMs`, the first `failed` failing and the first `slow` slow. */
function requests(atMs: number, n: number, failed: number, slow: number): Span[] {
  return Array.from({ length: n }, (_, i) =>
    makeSpan({
      service: 'checkout',
      kind: 'server',
      name: 'POST /pay',
      httpMethod: 'POST',
      httpRoute: '/pay',
      startTimeMs: atMs + i * 1000,
      durationMs: i < slow ? 900 : 40,
      httpStatusCode: i < failed ? 503 : 200,
    }),
  );
}

describe('SLO attainment bound to the report range', () => {
  let dir: string;
  let store: StoreClient;
  let scratch: ScratchStore;

  before(async () => {
    scratch = await ScratchStore.open('vigil-slo-range-');
    ({ dir, store } = scratch);
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 100_000, maxRowsPerFlush: 10_000, walDir: join(dir, 'wal') });
    // Before the range: a bad hour (half failing, all slow); in it: 200 requests, 3 failing, 20 slow;
    // after it: another bad hour; and another service's failures in the range.
    const spans = [
      ...requests(R0 - 30 * MIN, 100, 50, 100),
      ...requests(R0 + 10 * MIN, 100, 2, 10),
      ...requests(R0 + 40 * MIN, 100, 1, 10),
      ...requests(R0 + 2 * 60 * MIN, 100, 100, 100),
      ...requests(R0 + 20 * MIN, 50, 50, 50).map((s) => ({ ...s, service: 'search' })),
    ];
    await writer.write({ spans, logs: [], metrics: [] });
    await writer.sync();
    await writer.stop();
  });
  after(async () => {
    await scratch.close();
  });

  it("counts only the range's requests, for availability and for latency, by service and route", async () => {
    const slos = [
      { name: 'checkout availability', service: 'checkout', objective: 'availability' as const, target: 0.99 },
      { name: 'pay latency', service: 'checkout', route: 'POST /pay', objective: 'latency' as const, thresholdMs: 300, target: 0.95 },
      { name: 'other route', service: 'checkout', route: 'GET /cart', objective: 'availability' as const, target: 0.99 },
    ];
    const followUp = new FollowUpService(store, { now: () => R0 + 3 * 60 * MIN }, { list: () => slos }, () => R0 + 3 * 60 * MIN);
    const r = await followUp.reliability(R0, R0 + 60 * MIN);
    assert.deepEqual(
      r.slos.map((s) => [s.name, s.requests, s.attainment, s.met]),
      [
        ['checkout availability', 200, 197 / 200, false],
        ['pay latency', 200, 180 / 200, false],
        ['other route', 0, null, null],
      ],
    );
    // The hour before alone: half failing.
    const earlier = await followUp.reliability(R0 - 60 * MIN, R0);
    assert.deepEqual(
      earlier.slos.map((s) => [s.requests, s.attainment]),
      [
        [100, 0.5],
        [100, 0],
        [0, null],
      ],
    );
  });
});
