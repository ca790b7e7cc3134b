// Baselines that know the time of day and the day of week: a recent level (exponentially decayed)
// blended with a seasonal profile (15-min slots of the day, hourly slots of the week, each decayed
// across days/weeks). Plain JSON state so the engine snapshots it as is.

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const WEEK_SLOT_MS = 3_600_000;

export interface SeasonalBaseline {
  /** Recent per-bucket mean, decayed with the series' half-life; -1 until the first bucket. */
  level: number;
  /** Buckets learned so far. */
  buckets: number;
  daySlots: number[];
  daySeen: number[];
  weekSlots: number[];
  weekSeen: number[];
  /** Slot being accumulated (index into daySlots) and its running sum / bucket count. */
  openDaySlot: number;
  openWeekSlot: number;
  openSum: number;
  openWeekSum: number;
  openCount: number;
  openWeekCount: number;
}

export interface SeasonalParams {
  bucketMs: number;
  slotMs: number;
  halfLifeMs: number;
  /** Weight of the newest day (week) when folding a finished slot into the profile. */
  dayWeight: number;
  seasonalWeight: number;
}

export function emptyBaseline(params: SeasonalParams): SeasonalBaseline {
  const daySlotCount = Math.max(1, Math.round(DAY_MS / params.slotMs));
  return {
    level: -1,
    buckets: 0,
    daySlots: new Array<number>(daySlotCount).fill(0),
    daySeen: new Array<number>(daySlotCount).fill(0),
    weekSlots: new Array<number>(WEEK_MS / WEEK_SLOT_MS).fill(0),
    weekSeen: new Array<number>(WEEK_MS / WEEK_SLOT_MS).fill(0),
    openDaySlot: -1,
    openWeekSlot: -1,
    openSum: 0,
    openWeekSum: 0,
    openCount: 0,
    openWeekCount: 0,
  };
}

function daySlotOf(timeMs: number, b: SeasonalBaseline): number {
  const slotMs = DAY_MS / b.daySlots.length;
  return Math.floor((((timeMs % DAY_MS) + DAY_MS) % DAY_MS) / slotMs);
}

function weekSlotOf(timeMs: number): number {
  return Math.floor((((timeMs % WEEK_MS) + WEEK_MS) % WEEK_MS) / WEEK_SLOT_MS);
}

function fold(slots: number[], seen: number[], slot: number, mean: number, weight: number): void {
  const seenBefore = seen[slot] ?? 0;
  slots[slot] = seenBefore === 0 ? mean : (1 - weight) * (slots[slot] ?? 0) + weight * mean;
  seen[slot] = seenBefore + 1;
}

/** Learns one closed bucket's value (bucket ending at `timeMs`). */
export function learn(b: SeasonalBaseline, timeMs: number, value: number, params: SeasonalParams): void {
  const decay = Math.pow(0.5, params.bucketMs / params.halfLifeMs);
  b.buckets += 1;
  // Bias-corrected moving average: over its first buckets the level is their plain mean, so a
  // series that started with a burst (a job that ran once) is not taken for steady traffic that
  // then "dropped"; the gain settles to the decayed average's (1 - decay) as history accrues.
  const gain = b.level < 0 ? 1 : (1 - decay) / (1 - Math.pow(decay, b.buckets));
  b.level = b.level < 0 ? value : b.level + gain * (value - b.level);
  const t = timeMs - 1;
  const daySlot = daySlotOf(t, b);
  if (daySlot !== b.openDaySlot) {
    // A slot counts for the profile only when most of it was observed.
    const full = (DAY_MS / b.daySlots.length / params.bucketMs) * 0.5;
    if (b.openDaySlot >= 0 && b.openCount >= full) fold(b.daySlots, b.daySeen, b.openDaySlot, b.openSum / b.openCount, params.dayWeight);
    b.openDaySlot = daySlot;
    b.openSum = 0;
    b.openCount = 0;
  }
  b.openSum += value;
  b.openCount += 1;
  const weekSlot = weekSlotOf(t);
  if (weekSlot !== b.openWeekSlot) {
    const full = (WEEK_SLOT_MS / params.bucketMs) * 0.5;
    if (b.openWeekSlot >= 0 && b.openWeekCount >= full) fold(b.weekSlots, b.weekSeen, b.openWeekSlot, b.openWeekSum / b.openWeekCount, params.dayWeight);
    b.openWeekSlot = weekSlot;
    b.openWeekSum = 0;
    b.openWeekCount = 0;
  }
  b.openWeekSum += value;
  b.openWeekCount += 1;
}

/** The seasonal expectation for a bucket ending at `timeMs`, or undefined without history there. */
export function seasonalAt(b: SeasonalBaseline, timeMs: number): number | undefined {
  const t = timeMs - 1;
  const d = daySlotOf(t, b);
  const w = weekSlotOf(t);
  const day = (b.daySeen[d] ?? 0) > 0 ? b.daySlots[d] : undefined;
  const week = (b.weekSeen[w] ?? 0) > 0 ? b.weekSlots[w] : undefined;
  if (day !== undefined && week !== undefined) return (day + week) / 2;
  return day ?? week;
}

/** Expected per-bucket value: the recent level blended with the seasonal profile when known. */
export function expectedAt(b: SeasonalBaseline, timeMs: number, params: SeasonalParams): number {
  const recent = Math.max(0, b.level);
  const seasonal = seasonalAt(b, timeMs);
  if (seasonal === undefined) return recent;
  return (1 - params.seasonalWeight) * recent + params.seasonalWeight * seasonal;
}
