// Habits: a series that leaves its usual range now and then by itself (a function's cold start, an
// hourly job's CPU) pages the first times only. Its excursions past the paging bars are remembered
// for a day; one that went as high twice before, each time a blip, is the series' habit until it
// outlasts the longest of them. A sustained rise to the same level still pages, a higher one at once.

/** How long excursions are remembered: one daily cycle (the clean record's day). */
export const HABIT_MEMORY_MS = 24 * 3_600_000;
/** Earlier excursions as high that make one a habit: twice, as for the ranking's recurring moves (one may be a fault's first try). */
export const HABIT_EPISODES = 2;

export interface ExcursionMemory {
  /** Excursions past the paging bars over the last day, [first, last time past them, highest level], oldest first. */
  excursions?: Array<[number, number, number]>;
  /** Whether the newest excursion is still past the bars. */
  inExcursion?: true;
}

/**
 * Notes where a series stands against its paging bars (`passing`, at `level`) and says whether its
 * excursion is one of its habits: at least twice in the last day it reached `asHigh` (the level over
 * the detector's own minimum rise, so not a rise it would page on), each time a blip (back within
 * two judging windows, over by itself before anyone could act), and this one has not yet lasted
 * longer than the longest of them.
 */
export function habitual(memory: ExcursionMemory, passing: boolean, level: number, asHigh: number, nowMs: number, recentMs: number): boolean {
  const excursions = (memory.excursions ??= []);
  while (excursions.length > 0 && excursions[0]![1] < nowMs - HABIT_MEMORY_MS) excursions.shift();
  if (!passing) {
    delete memory.inExcursion;
    return false;
  }
  let current = memory.inExcursion ? excursions[excursions.length - 1] : undefined;
  if (!current) {
    current = [nowMs, nowMs, level];
    excursions.push(current);
    memory.inExcursion = true;
  }
  current[1] = nowMs;
  current[2] = Math.max(current[2], level);
  const earlier = excursions.slice(0, -1).filter((e) => e[2] >= asHigh && e[1] - e[0] <= 2 * recentMs);
  return earlier.length >= HABIT_EPISODES && nowMs - current[0] <= Math.max(...earlier.map((e) => e[1] - e[0]));
}
