// Stakeholder updates follow the incidents' own events (no polling, no read needed): one per
// status change and one per severity change, none for a note or a joining symptom of the same
// severity; with approval on they wait as drafts until posted; after a restart what was last said
// is remembered, so the same state is not told twice.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StakeholderUpdateView } from '../api/index.js';
import { signalOf } from '../incidents/testing/scenarios.js';
import { createLogger } from '../logger.js';
import { statusConfigSchema } from '../status/index.js';
import type { StoreClient } from '../store/index.js';
import { IncidentService } from './incident-service.js';
import type { Pipeline } from './pipeline.js';
import { StatusService } from './status-service.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const min = 60_000;

describe('stakeholder updates driven by incident events', () => {
  let rig: PipelineRig;
  let store: StoreClient;
  let pipeline: Pipeline;
  let incidents: IncidentService;
  const log = createLogger('silent');
  const components = [{ name: 'Payments', services: ['checkout'], audience: 'customers paying online' }];
  const open = async (approval: boolean, published: string[]): Promise<StatusService> => {
    const s = await StatusService.open({
      store,
      config: statusConfigSchema.parse({ components, updates: { approval } }),
      incidents,
      now: () => pipeline.now(),
      log,
      publish: (u) => Promise.resolve(void published.push(u.text)),
    });
    pipeline.onIncidentUpdates((_u, records, nowMs) => s.incidentsUpdated(records, nowMs));
    await s.start();
    return s;
  };
  const texts = (list: StakeholderUpdateView[]): string[] => list.map((u) => `${u.status} ${u.incidentStatus}/${u.incidentSeverity}: ${u.text}`);

  before(async () => {
    rig = await PipelineRig.open('vigil-status-updates-');
    ({ store, pipeline } = rig);
    incidents = new IncidentService(store, pipeline);
  });
  after(() => rig.close());

  it('posts one update per status or severity change at once, drafts them under approval, and remembers across a restart', async () => {
    const posted: string[] = [];
    const approved: string[] = [];
    const live = await open(false, posted);
    const gated = await open(true, approved);
    await pipeline.flushTo(T0);
    // A low symptom opens the incident: told at once, with no read of the page in between.
    await pipeline.reportSignals([signalOf('latency', { service: 'checkout', route: 'POST /pay' }, T0 - min, { detectedAtMs: T0, score: 0.5 })]);
    await live.settled();
    assert.equal(posted.length, 1, 'the opening is posted by the event itself');
    assert.match(posted[0]!, /^Payments is slower or failing for some requests since/);
    const [incident] = (await incidents.list({ openOnly: true, limit: 10 })).incidents;
    assert.ok(incident);
    const firstSeverity = incident.severity;

    // A critical journey's check fails too: the severity rises, and that alone is news.
    await pipeline.reportSignals([
      signalOf('synthetic-failure', { service: 'checkout', route: 'pay by card' }, T0, { detectedAtMs: T0 + 10_000, evidence: { critical: 'yes' } }),
    ]);
    await live.settled();
    const now = (await incidents.get(incident.id))!.record;
    assert.notEqual(now.severity, firstSeverity, 'the scenario raises the severity');
    assert.equal(posted.length, 2, texts(await live.updates(incident.id)).join('\n'));
    assert.match(posted[1]!, /^The impact has grown: Payments is /);

    // A note is for responders: no update. An acknowledgement is a status change: one update.
    await incidents.note(incident.id, 'sam', 'looking at the pool');
    await incidents.transition(incident.id, 'acknowledged', 'sam');
    await live.settled();
    assert.equal(posted.length, 3);
    assert.match(posted[2]!, /Our engineers are on it/);
    assert.deepEqual(
      (await live.updates(incident.id)).map((u) => [u.status, u.incidentStatus, u.incidentSeverity]),
      [
        ['posted', 'triggered', firstSeverity],
        ['posted', 'triggered', now.severity],
        ['posted', 'acknowledged', now.severity],
      ],
    );

    // Under approval the same three changes are drafts, and nothing reaches the channels until posted.
    const drafts = await gated.updates(incident.id);
    assert.deepEqual(
      drafts.map((u) => u.status),
      ['draft', 'draft', 'draft'],
    );
    assert.deepEqual(approved, []);
    const edited = await gated.saveUpdate(incident.id, { id: drafts[2]!.id, text: 'Card payments fail for some; we are on it.', post: true }, 'lee');
    assert.equal(edited?.status, 'posted');
    await gated.settled();
    assert.deepEqual(approved, ['Card payments fail for some; we are on it.']);

    // A restart: the same state is not told again; the next change is.
    await live.stop();
    const restarted: string[] = [];
    const again = await open(false, restarted);
    await pipeline.noteIncident(incident.id, 'sam', 'still looking');
    await again.settled();
    assert.deepEqual(restarted, [], 'the state its last update spoke for is remembered');
    await incidents.transition(incident.id, 'resolved', 'sam');
    await again.settled();
    assert.equal(restarted.length, 1);
    assert.match(restarted[0]!, /^Payments was affected from .* until .*\. The problem is resolved/);
  });
});
