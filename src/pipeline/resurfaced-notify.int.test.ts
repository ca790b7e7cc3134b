// "We said we'd fix this last time": a new incident like a resolved one whose action item is still
// open carries that item in its notification (the message and its rendered fields), not only on
// the incident's page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Notifier, parseNotifyConfig, type IncidentMessage, type NotificationChannel } from '../notify/index.js';
import { plainMarkup, renderMessage } from '../notify/render.js';
import { FollowUpService } from './follow-up-service.js';
import { IncidentService } from './incident-service.js';
import type { Pipeline } from './pipeline.js';
import { PipelineRig } from './testing/pipeline-rig.js';

const T0 = Date.UTC(2026, 10, 2, 14, 0, 0);
const payErrors = { service: 'payment', route: 'POST /pay' };

describe('open action items of similar incidents in notifications', () => {
  let rig: PipelineRig;
  let pipeline: Pipeline;
  const sent: IncidentMessage[] = [];
  const memory: NotificationChannel = { name: 'team', type: 'webhook', send: (m) => (sent.push(m), Promise.resolve({ ok: true })) };

  before(async () => {
    let followUp!: FollowUpService;
    rig = await PipelineRig.open('vigil-resurfaced-', {
      adapters: (store, _config, dir) => {
        const notify = parseNotifyConfig({
          channels: [{ name: 'team', type: 'webhook', url: 'http://127.0.0.1:9/unused', secret: 'a-secret-of-16-chars' }],
          routes: [{ channels: ['team'] }],
          coalesceMs: 0,
        });
        followUp = new FollowUpService(store, { now: () => pipeline.now() });
        return {
          notifier: new Notifier({ config: notify, directory: join(dir, 'notify'), channels: [memory] }),
          openActionItemsOf: (i) => followUp.openItemsForMessage(i),
        };
      },
    });
    pipeline = rig.pipeline;
    pipeline.start();
    // The first occurrence, resolved, with one item still open and one done.
    const incidents = new IncidentService(rig.store, pipeline);
    await rig.errorsDetectedAt(payErrors, T0);
    const [first] = (await incidents.list({ openOnly: false, limit: 10 })).incidents;
    assert.ok(first);
    await incidents.transition(first.id, 'resolved', 'ana', 'restarted the pool');
    await followUp.addActionItem(first.id, { title: 'alert on pool saturation before it is full', owner: 'ana' });
    const done = await followUp.addActionItem(first.id, { title: 'write the runbook' });
    await followUp.setActionItemStatus(done.id, 'done');
  });
  after(() => rig.close());

  async function delivered(count: number): Promise<IncidentMessage[]> {
    for (let i = 0; i < 100 && sent.length < count; i++) await new Promise((r) => setTimeout(r, 50));
    return sent;
  }

  it("the new incident's opening message lists the open item of the earlier one, not the done one", async () => {
    const before = (await delivered(1)).length;
    const later = T0 + 2 * 3_600_000;
    await rig.errorsDetectedAt(payErrors, later);
    const messages = await delivered(before + 1);
    const opened = messages.slice(before).find((m) => m.event === 'opened');
    assert.ok(opened, `an opening message: ${messages.map((m) => m.idempotencyKey).join(', ')}`);
    assert.notEqual(opened.incident.id, messages[0]!.incident.id, 'a new incident');
    assert.deepEqual(
      opened.context.openActionItems?.map((a) => [a.title, a.owner, a.incidentId]),
      [['alert on pool saturation before it is full', 'ana', messages[0]!.incident.id]],
    );
    const field = renderMessage(opened, plainMarkup).fields.find((f) => f.title === 'Still open from similar incidents');
    assert.match(field?.value ?? '', /^alert on pool saturation before it is full \(ana\) — from incident \d+ /);
    const first = messages.find((m) => m.event === 'opened' && m.incident.id === messages[0]!.incident.id);
    assert.equal(first?.context.openActionItems, undefined, 'nothing to resurface on the first occurrence');
  });
});
