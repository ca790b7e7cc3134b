// Synthetic traffic is not customer traffic: the backend spans a check's requests cause (in the
// check's marked trace, though the backend never tags them) stay out of what customer-facing
// judgements count, here an availability SLO; the dependency graph still learns the calls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSpan } from '../../test/support/records.js';
import { newSyntheticTraceId } from '../synthetics/index.js';
import type { Span } from '../model/index.js';
import type { Pipeline } from './pipeline.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

const payment = (o: Partial<Span>): Span =>
  makeSpan({ service: 'payment', kind: 'server', httpMethod: 'POST', httpRoute: '/pay', name: 'POST /pay', startTimeMs: T0, ...o });

describe('synthetic traffic', () => {
  let rig: PipelineRig;
  let pipeline: Pipeline;

  before(async () => {
    rig = await PipelineRig.open('vigil-synthetic-traffic-', {
      config: { slos: [{ name: 'payment availability', service: 'payment', objective: 'availability', target: 0.99 }] },
    });
    pipeline = rig.pipeline;
  });
  after(() => rig.close());

  it("leaves a check's backend spans out of the SLO's requests and keeps the customers'", async () => {
    const synthetic = Array.from({ length: 10 }, (_v, i) => {
      const traceId = newSyntheticTraceId();
      return [
        payment({ traceId, startTimeMs: T0 + i * 1000, httpStatusCode: 500 }),
        makeSpan({ traceId, service: 'payment', kind: 'client', peerService: 'ledger', startTimeMs: T0 + i * 1000 }),
      ];
    }).flat();
    const customers = [
      ...Array.from({ length: 5 }, (_v, i) => payment({ startTimeMs: T0 + i * 1000 })),
      payment({ startTimeMs: T0 + 6000, httpStatusCode: 500 }),
    ];
    await pipeline.ingest({ spans: [...synthetic, ...customers], logs: [], metrics: [] });
    await pipeline.flushTo(T0 + 5 * 60_000);

    const [slo] = pipeline.sloStatuses();
    assert.deepEqual(slo?.requests, { good: 5, total: 6 }, 'only the customers count: 10 failing synthetic requests would make it 5 of 16');
    assert.ok(
      pipeline
        .dependencyGraph()
        .edges()
        .some((e) => e.caller === 'payment' && e.callee === 'ledger'),
      'the calls a check caused still show the topology',
    );
  });
});
