// The unseen-shop replay (issue 18): three hours of the marketplace topology — busy, with a steady
// background of failed calls, a benign deploy every few minutes, a quiet admin tool and a one-off
// job — then a fault. Nothing may open before the fault; the fault opens exactly one new incident.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MARKETPLACE } from '../sim/index.js';
import { replayEngines } from './engine-replay.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2026, 10, 3, 9, 0, 0);

void test('3 h of a busy shop with background errors and frequent deploys opens no incident; a bad deploy at hour 3 opens exactly one, within 2 minutes, rated by its impact', async () => {
  const onset = T0 + 3 * HOUR;
  const r = await replayEngines({
    topology: MARKETPLACE,
    seed: 7,
    startMs: T0,
    durationMs: 3 * HOUR + 6 * MIN,
    rps: 5,
    stepMs: 10_000,
    backgroundErrorRate: 0.0015,
    deployEveryMs: 4 * MIN,
    faults: [{ name: 'pricing-exception-deploy', atMs: onset }],
    incidents: { entryServices: ['edge-proxy'] },
  });
  const describe = (xs: typeof r.incidents): string =>
    xs.map((i) => `${new Date(i.detectedAtMs).toISOString()} ${i.severity} ${i.title} (${i.severityReason})`).join('\n');
  const before = r.incidents.filter((i) => i.detectedAtMs < onset);
  assert.deepEqual(before, [], `incidents before the fault:\n${describe(before)}`);
  const after = r.incidents.filter((i) => i.detectedAtMs >= onset);
  assert.equal(after.length, 1, describe(after));
  const incident = after[0]!;
  assert.ok(incident.detectedAtMs - onset <= 2 * MIN, `detected ${(incident.detectedAtMs - onset) / 1000} s after the deploy`);
  assert.ok(incident.services.includes('pricing'), describe(after));
  // A fifth of price look-ups fail: several percent of edge-proxy requests fail beyond the usual.
  assert.ok(['high', 'critical'].includes(incident.severity), describe(after));
  assert.match(incident.severityReason, /of edge-proxy requests failing/);
  // "after 2.10.0 deploy" when the lead symptom is pricing's own route, "after pricing 2.10.0 deploy" otherwise.
  assert.match(
    incident.title,
    /(^Errors in pricing .* after 2\.10\.0 deploy|after pricing 2\.10\.0 deploy)/,
    'the deploy the ranking blames, not the latest one nearby',
  );
});

void test('the replay reads vigil.yaml’s declared edges the way the pipeline does: merged with the learned graph, learned edges kept', async () => {
  const replay = (declaredEdges: Array<{ from: string; to: string }>): ReturnType<typeof replayEngines> =>
    replayEngines({ seed: 3, startMs: T0, durationMs: 4 * MIN, rps: 2, stepMs: 10_000, impact: false, declaredEdges });
  const learned = await replay([]);
  const callees = learned.graph.callees('frontend');
  assert.ok(callees.length > 0, 'the shop’s spans form a graph');
  assert.ok(!callees.includes('ledger'));
  const declared = await replay([{ from: 'frontend', to: 'ledger' }]);
  assert.deepEqual(declared.graph.callees('frontend').sort(), [...callees, 'ledger'].sort());
  assert.ok(declared.graph.neighbours('ledger').includes('frontend'), 'correlation sees the declared call');
  assert.ok(declared.graph.edges().some((e) => e.caller === 'frontend' && e.callee === 'ledger' && e.declared));
});
