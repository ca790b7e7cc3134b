// Deploy listeners (what runs a service's smoke checks): told of every deploy once it is applied,
// the recorded ones and the ones inferred from a new service.version alike; other changes are not
// deploys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeSpan } from '../../test/support/records.js';
import type { ChangeEvent } from '../model/index.js';
import type { Pipeline } from './pipeline.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);

describe('deploy listeners', () => {
  let rig: PipelineRig;
  let pipeline: Pipeline;
  const told: ChangeEvent[] = [];

  before(async () => {
    rig = await PipelineRig.open('vigil-deploys-');
    pipeline = rig.pipeline;
    pipeline.onDeploy((d) => told.push(d));
  });
  after(() => rig.close());

  it('hears inferred and recorded deploys, once each, and no other change', async () => {
    const spans = (version: string, atMs: number) => ({
      spans: [makeSpan({ service: 'cart', serviceVersion: version, kind: 'server', startTimeMs: atMs })],
      logs: [],
      metrics: [],
    });
    await pipeline.ingest(spans('1.0', T0));
    assert.equal(told.length, 0, 'the first version seen is the baseline, not a deploy');
    await pipeline.ingest(spans('1.1', T0 + 60_000));
    await pipeline.ingest(spans('1.1', T0 + 70_000));
    assert.deepEqual(
      told.map((d) => [d.service, d.version, d.previousVersion, d.source]),
      [['cart', '1.1', '1.0', 'inferred']],
    );
    await pipeline.recordChange({ service: 'cart', kind: 'config', source: 'api', timeMs: T0 + 80_000, description: 'a flag' });
    await pipeline.recordChange({ service: 'cart', kind: 'deploy', version: '1.2', source: 'api', timeMs: T0 + 90_000 });
    await pipeline.ingest(spans('1.2', T0 + 100_000));
    assert.deepEqual(
      told.map((d) => [d.version, d.source, d.kind]),
      [
        ['1.1', 'inferred', 'deploy'],
        ['1.2', 'api', 'deploy'],
      ],
    );
  });
});
