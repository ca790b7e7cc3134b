// What fixed it: the note an incident is resolved with (or one added after) becomes its resolution,
// is stored on its record, and fills "what fixed it" on the next incident that looks like it (the
// stored record the API shows; notifications take the same similar-incident list).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getIncidentRecord, type StoreClient } from '../store/index.js';
import { IncidentService } from './incident-service.js';
import type { Pipeline } from './pipeline.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const payErrors = { service: 'payment', route: 'POST /pay' };

describe('incident resolution', () => {
  let rig: PipelineRig;
  let store: StoreClient;
  let pipeline: Pipeline;

  before(async () => {
    rig = await PipelineRig.open('vigil-resolution-');
    ({ store, pipeline } = rig);
  });
  after(() => rig.close());

  it('fills the similar incident\'s "what fixed it" from the resolving note, and a later note replaces it', async () => {
    const incidents = new IncidentService(store, pipeline);
    await rig.errorsDetectedAt(payErrors, T0);
    const [first] = (await incidents.list({ openOnly: false, limit: 10 })).incidents;
    assert.ok(first, 'the first incident opened');
    await incidents.transition(first.id, 'resolved', 'ana', 'restarted redis');
    const resolved = await getIncidentRecord(store, first.id);
    assert.deepEqual(resolved?.resolution, { text: 'restarted redis', actor: 'ana', atMs: T0 });

    // The same problem again, past the cool-down (so it is a new incident, not a reopening).
    const later = T0 + 2 * 3_600_000;
    await rig.errorsDetectedAt(payErrors, later);
    const second = (await incidents.list({ openOnly: true, limit: 10 })).incidents[0];
    assert.ok(second && second.id !== first.id, 'a second incident opened');
    assert.deepEqual(
      second.similarIncidents.map((s) => [s.incidentId, s.resolution]),
      [[first.id, 'restarted redis']],
    );

    // Said afterwards, on the resolved first incident: the next similar one shows the newer note.
    await incidents.note(first.id, 'bo', 'root fix: cache fallback on payment');
    assert.equal((await getIncidentRecord(store, first.id))?.resolution?.text, 'root fix: cache fallback on payment');
    const third = T0 + 4 * 3_600_000;
    await incidents.transition(second.id, 'resolved', 'ana');
    await rig.errorsDetectedAt(payErrors, third);
    const newest = (await incidents.list({ openOnly: true, limit: 10 })).incidents[0]!;
    const fixes = new Map(newest.similarIncidents.map((s) => [s.incidentId, s.resolution]));
    assert.equal(fixes.get(first.id), 'root fix: cache fallback on payment');
    assert.equal(fixes.get(second.id), '', 'resolved without a note: nobody said what fixed it');
  });
});
