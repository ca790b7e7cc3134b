// The weekly post's "is it due": once per week whatever the clock does, catching up once after
// downtime, in the configured zone (daylight-saving included).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { weeklyReportSchema } from './config.js';
import { latestSlotMs, weeklyReportDue } from './weekly.js';

const H = 3_600_000;
const DAY = 24 * H;
/** Monday 2026-11-02 09:00 UTC. */
const MON9 = 1_793_610_000_000;
const utc = weeklyReportSchema.parse({ channel: 'team' });

void test('due at the slot, for the seven days before it, and only once', () => {
  assert.equal(weeklyReportDue(MON9 - 60_000, MON9 - 7 * DAY, utc), undefined, 'a minute early: last week was posted');
  assert.deepEqual(weeklyReportDue(MON9, MON9 - 7 * DAY, utc), { slotMs: MON9, fromMs: MON9 - 7 * DAY, toMs: MON9 });
  assert.equal(weeklyReportDue(MON9 + 5 * 60_000, MON9, utc), undefined, 'posted: not again at the next tick');
  assert.equal(weeklyReportDue(MON9 + 3 * DAY, MON9, utc), undefined, 'nor later in the week');
  assert.deepEqual(weeklyReportDue(MON9 + 7 * DAY, MON9, utc)?.slotMs, MON9 + 7 * DAY, 'the next week');
  assert.deepEqual(weeklyReportDue(MON9 + 2 * H, undefined, utc)?.slotMs, MON9, 'never posted: the latest week');
});

void test('clock jumps: back never posts a week twice; forward over weeks of downtime catches up once, with the latest week', () => {
  assert.equal(weeklyReportDue(MON9 - 3 * DAY, MON9, utc), undefined, 'the clock went back before the posted slot');
  assert.equal(weeklyReportDue(MON9 - 7 * DAY + H, MON9, utc), undefined, 'back a whole week: that week is older than the posted one');
  const after = weeklyReportDue(MON9 + 23 * DAY, MON9, utc);
  assert.deepEqual(after, { slotMs: MON9 + 21 * DAY, fromMs: MON9 + 14 * DAY, toMs: MON9 + 21 * DAY }, 'three weeks down: one post, the latest week');
  assert.equal(weeklyReportDue(MON9 + 23 * DAY + H, after?.slotMs, utc), undefined, 'and not the missed ones after it');
});

void test('the slot is local: Berlin 09:00 is 08:00 UTC in winter and 07:00 UTC in summer; other days and hours', () => {
  const berlin = weeklyReportSchema.parse({ channel: 'team', timezone: 'Europe/Berlin' });
  assert.equal(latestSlotMs(MON9, berlin), 1_793_606_400_000 /* 08:00 UTC */);
  assert.equal(
    latestSlotMs(1_781_049_600_000 /* Wednesday 2026-06-10 00:00 UTC */, berlin),
    1_780_902_000_000 /* 2026-06-08 07:00 UTC */,
    'Monday 8 June 2026, summer time',
  );
  const friday = weeklyReportSchema.parse({ channel: 'team', day: 'friday', hour: 17, timezone: 'Asia/Kolkata' });
  assert.equal(latestSlotMs(MON9, friday), 1_793_359_800_000 /* 2026-10-30 11:30 UTC */, 'Friday 17:00 in India (UTC+5:30)');
  assert.equal(weeklyReportSchema.safeParse({ channel: 'team', timezone: 'Mars/Olympus' }).success, false);
  assert.equal(weeklyReportSchema.safeParse({ channel: 'team', hour: 24 }).success, false);
});
