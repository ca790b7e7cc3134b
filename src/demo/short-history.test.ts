// Short histories (issue 19): 20 minutes of the shop's own traffic before a fault is enough to
// detect it and rank it right, and the cold start pages nobody: no incident opens before the fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replayEngines } from './engine-replay.js';

const MIN = 60_000;
const START = Date.UTC(2026, 10, 3, 13, 0, 0);

void test('20 minutes of history is enough, and no incident opens before the fault in a clean replay', async () => {
  const faultAt = START + 20 * MIN;
  const r = await replayEngines({
    seed: 2,
    startMs: START,
    durationMs: 25 * MIN,
    rps: 5,
    stepMs: 10_000,
    faults: [{ name: 'latency-deploy', atMs: faultAt }],
    impact: false,
    incidents: { entryServices: ['frontend'] },
  });
  assert.deepEqual(
    r.incidents.filter((i) => i.detectedAtMs < faultAt).map((i) => i.title),
    [],
    'incidents before the fault',
  );
  assert.equal(r.incidents.length, 1, r.incidents.map((i) => i.title).join(' | '));
  const incident = r.incidents[0]!;
  assert.ok(incident.detectedAtMs - faultAt <= 2 * MIN, `detected ${(incident.detectedAtMs - faultAt) / 1000} s after the fault`);
  assert.equal(`${incident.rootCauses[0]?.service}:${incident.rootCauses[0]?.kind}`, 'catalog:bad-deploy');
});
