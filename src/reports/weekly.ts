// When the weekly reliability report is due: the schedule (`reports.weekly` in vigil.yaml) and a
// pure decision from the time now and the last week posted. The week reported is the seven days
// before the latest scheduled moment; a week is posted once whatever the clock does (a jump back
// never posts it again), and after downtime only the latest missed week is posted (catch up once).
import type { WeeklySchedule } from './config.js';

const STEP_MS = 15 * 60_000;
const WEEK_MS = 7 * 86_400_000;

function localWeekdayHourMinute(ms: number, timeZone: string): { day: string; hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(ms);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return { day: get('weekday').toLowerCase(), hour: Number(get('hour')), minute: Number(get('minute')) };
}

/**
 * The latest scheduled moment at or before `nowMs` (epoch ms), searched back a week and a day in
 * quarter hours, so zones with half-hour offsets and daylight-saving changes are found too.
 */
export function latestSlotMs(nowMs: number, s: WeeklySchedule): number | undefined {
  for (let t = Math.floor(nowMs / STEP_MS) * STEP_MS; t > nowMs - WEEK_MS - 86_400_000; t -= STEP_MS) {
    const l = localWeekdayHourMinute(t, s.timezone);
    if (l.day === s.day && l.hour === s.hour && l.minute === 0) return t;
  }
  return undefined;
}

/** The week to post now, if one is due: the seven days before the latest slot, unless it was posted already. */
export function weeklyReportDue(
  nowMs: number,
  lastPostedSlotMs: number | undefined,
  s: WeeklySchedule,
): { slotMs: number; fromMs: number; toMs: number } | undefined {
  const slot = latestSlotMs(nowMs, s);
  if (slot === undefined || (lastPostedSlotMs !== undefined && slot <= lastPostedSlotMs)) return undefined;
  return { slotMs: slot, fromMs: slot - WEEK_MS, toMs: slot };
}
