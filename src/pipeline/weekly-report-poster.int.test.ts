// The weekly report reaches a real webhook on schedule: once per week across ticks, a clock going
// back and a restart; after downtime, once, with the latest week.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import { parseNotifyConfig } from '../notify/index.js';
import { HttpReceiver } from '../notify/testing/http-receiver.js';
import { reliabilityReport, weeklyReportSchema } from '../reports/index.js';
import { WeeklyReportPoster } from './weekly-report-poster.js';

/** Monday 2026-11-02 09:00 UTC. */
const MON9 = Date.UTC(2026, 10, 2, 9);
const DAY = 86_400_000;

describe('weekly reliability report post', () => {
  let dir: string;
  let receiver: HttpReceiver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-weekly-'));
    receiver = await HttpReceiver.start();
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('posts each week once to the configured channel, whatever the clock does', async () => {
    let now = MON9 - 60_000;
    const asked: Array<[number, number]> = [];
    const poster = (): WeeklyReportPoster =>
      new WeeklyReportPoster({
        schedule: weeklyReportSchema.parse({ channel: 'team', day: 'monday', hour: 9 }),
        notify: parseNotifyConfig({
          channels: [
            { name: 'team', type: 'webhook', url: receiver.url('/weekly'), secret: 'a-secret-of-16-chars' },
            { name: 'pager', type: 'webhook', url: receiver.url('/pager'), secret: 'a-secret-of-16-chars' },
          ],
        }),
        dataDir: dir,
        publicUrl: 'https://vigil.example.com/',
        log: createLogger('silent'),
        now: () => now,
        report: (fromMs, toMs) => (
          asked.push([fromMs, toMs]),
          Promise.resolve(
            reliabilityReport({ fromMs, toMs, history: [], identifiedAtMs: new Map(), actionItems: [], firstTicketMs: new Map(), slos: [], nowMs: toMs }),
          )
        ),
        timers: { setInterval: () => 0, clearInterval: () => undefined },
      });
    let p = poster();
    await p.start();
    await p.tick();
    assert.deepEqual(asked, [[MON9 - 14 * DAY, MON9 - 7 * DAY]], 'a minute before the slot, never posted: the week before last');
    const first = asked.length;
    now = MON9 + 60_000;
    await p.tick();
    await p.tick();
    assert.deepEqual(asked.slice(first), [[MON9 - 7 * DAY, MON9]], 'at the slot: the week before it, once');
    now = MON9 - 2 * DAY;
    await p.tick();
    assert.equal(asked.length, first + 1, 'a clock going back posts nothing');
    await p.stop();
    // A restart in the same week, then three weeks of downtime.
    now = MON9 + 3 * DAY;
    p = poster();
    await p.start();
    await p.tick();
    assert.equal(asked.length, first + 1, 'a restart does not post the week again');
    now = MON9 + 23 * DAY;
    await p.tick();
    await p.tick();
    assert.deepEqual(asked.slice(first + 1), [[MON9 + 14 * DAY, MON9 + 21 * DAY]], 'after downtime: once, the latest week');
    await receiver.waitUntil((r) => r.accepted().filter((q) => q.path === '/weekly').length >= first + 2);
    await p.stop();
    const posts = receiver
      .accepted()
      .filter((q) => q.path === '/weekly')
      .map((q) => (JSON.parse(q.body) as { message: { incident: { title: string }; headline: string; update: string } }).message);
    assert.equal(posts.length, first + 2);
    assert.equal(receiver.accepted().filter((q) => q.path === '/pager').length, 0, 'only the configured channel');
    assert.match(posts[posts.length - 1]!.incident.title, /^Weekly reliability report, 2026-11-16 to 2026-11-23$/);
    assert.equal(posts[posts.length - 1]!.headline, 'Weekly reliability report, 2026-11-16 to 2026-11-23', 'named as a report, not as an incident update');
    assert.match(
      posts[posts.length - 1]!.update,
      /^Full report: https:\/\/vigil\.example\.com\/api\/v1\/reports\/reliability\?from=2026-11-16T09:00:00\.000Z&to=2026-11-23T09:00:00\.000Z&format=html\. 0 incidents \(0 critical, 0 high\); MTTD n\/a, MTTR n\/a; repeats 0\.0%; action items 0\/0 done, 0 overdue; 0 customer-reported first\./,
    );
  });

  it('refuses a channel that notify.channels does not have', () => {
    assert.throws(
      () =>
        new WeeklyReportPoster({
          schedule: weeklyReportSchema.parse({ channel: 'nope' }),
          notify: parseNotifyConfig({}),
          dataDir: dir,
          log: createLogger('silent'),
          now: () => 0,
          report: () => Promise.reject(new Error('unused')),
        }),
      /reports\.weekly\.channel "nope" is not in notify\.channels/,
    );
  });
});
