// The streaming univariate anomaly scorer behind `metric-anomaly` signals and `vigil backtest`:
// each push scores one point from the points before it (no look-ahead) in bounded memory, and its
// whole state is plain JSON so the live engine can persist it and replays continue exactly.
import { RollingWindow } from './rollingWindow.js';
import type { RollingWindowState } from './rollingWindow.js';
import { tailSurprise } from './gaussianTail.js';

/** The detectors, in the order of their surprise histories. */
const DETECTORS = ['level', 'local', 'step', 'shift', 'season'] as const;

export interface SeriesScorerOptions {
  /** Points in the short robust window (local level). */
  shortWindow: number;
  /** Points in the long robust window (typical level and spread). */
  longWindow: number;
  /** Points averaged to catch small sustained shifts of the level. */
  shiftSpan: number;
  /** Season length in ms (a day); residuals against the same time one season ago. */
  seasonMs: number;
  /** Most points kept to look one season back; longer seasons are skipped. */
  seasonMaxPoints: number;
  /** Points of surprise history that calibrate the score to the series' own noise. */
  calibrationWindow: number;
  /** Quantile of past surprises that a point must exceed to score at all. */
  calibrationQuantile: number;
  /** Points after a high score during which only a higher one is reported in full. */
  suppressPoints: number;
  /** Factor applied to scores that do not beat the recent maximum. */
  suppressFactor: number;
  /** Points before any score is given (the scorer is still learning). */
  warmupPoints: number;
}

export const defaultSeriesScorerOptions: Readonly<SeriesScorerOptions> = Object.freeze({
  shortWindow: 64,
  longWindow: 512,
  shiftSpan: 8,
  seasonMs: 86_400_000,
  seasonMaxPoints: 2000,
  calibrationWindow: 1500,
  calibrationQuantile: 0.995,
  suppressPoints: 120,
  suppressFactor: 0.5,
  warmupPoints: 16,
});

export interface SeriesScorerSnapshot {
  version: 1;
  options: SeriesScorerOptions;
  count: number;
  shortValues: RollingWindowState;
  longValues: RollingWindowState;
  diffs: RollingWindowState;
  shifts: RollingWindowState;
  seasonTimes: number[];
  seasonValues: number[];
  seasonResiduals: RollingWindowState;
  /** Per detector (level, local, step, shift, season): its past surprises. */
  surprises: RollingWindowState[];
  recentScores: number[];
}

export interface SeriesScorer {
  /** Scores the point at `timeMs` (non-decreasing) in [0,1]; higher is more anomalous. */
  push(timeMs: number, value: number): number;
  snapshot(): SeriesScorerSnapshot;
}

export function createSeriesScorer(options: Partial<SeriesScorerOptions> = {}): SeriesScorer {
  return new StreamingScorer(emptySnapshot({ ...defaultSeriesScorerOptions, ...options }));
}

export function restoreSeriesScorer(snapshot: SeriesScorerSnapshot): SeriesScorer {
  if (snapshot.version !== 1) throw new Error(`unknown series scorer snapshot version ${String(snapshot.version)}`);
  return new StreamingScorer(snapshot);
}

function emptySnapshot(o: SeriesScorerOptions): SeriesScorerSnapshot {
  const win = (capacity: number): RollingWindowState => ({ capacity, values: [] });
  return {
    version: 1,
    options: o,
    count: 0,
    shortValues: win(o.shortWindow),
    longValues: win(o.longWindow),
    diffs: win(o.longWindow),
    shifts: win(o.longWindow),
    seasonTimes: [],
    seasonValues: [],
    seasonResiduals: win(o.longWindow),
    surprises: DETECTORS.map(() => win(o.calibrationWindow)),
    recentScores: [],
  };
}

class StreamingScorer implements SeriesScorer {
  private readonly o: SeriesScorerOptions;
  private count: number;
  private readonly shortValues: RollingWindow;
  private readonly longValues: RollingWindow;
  private readonly diffs: RollingWindow;
  private readonly shifts: RollingWindow;
  private readonly seasonTimes: number[];
  private readonly seasonValues: number[];
  private readonly seasonResiduals: RollingWindow;
  private readonly surprises: RollingWindow[];
  private readonly recentScores: number[];

  constructor(s: SeriesScorerSnapshot) {
    this.o = { ...s.options };
    this.count = s.count;
    this.shortValues = RollingWindow.restore(s.shortValues);
    this.longValues = RollingWindow.restore(s.longValues);
    this.diffs = RollingWindow.restore(s.diffs);
    this.shifts = RollingWindow.restore(s.shifts);
    this.seasonTimes = [...s.seasonTimes];
    this.seasonValues = [...s.seasonValues];
    this.seasonResiduals = RollingWindow.restore(s.seasonResiduals);
    this.surprises = s.surprises.map((w) => RollingWindow.restore(w));
    this.recentScores = [...s.recentScores];
  }

  push(timeMs: number, value: number): number {
    // A gap in the data is not evidence of anything; it must not poison the windows either.
    if (!Number.isFinite(value) || !Number.isFinite(timeMs)) return 0;
    const zs = this.count >= this.o.warmupPoints ? this.zScores(timeMs, value) : DETECTORS.map(() => undefined);
    this.learn(timeMs, value);
    let best = 0;
    zs.forEach((z, i) => {
      if (z === undefined) return;
      const surprise = tailSurprise(z);
      const history = this.surprises[i] as RollingWindow;
      best = Math.max(best, this.calibrate(history, surprise));
      history.push(surprise);
    });
    return this.suppress(best);
  }

  /** One robust z per detector (undefined while it lacks history), from past points only. */
  private zScores(timeMs: number, value: number): (number | undefined)[] {
    const enough = (w: RollingWindow): boolean => w.size >= this.o.warmupPoints;
    const prev = this.longValues.last();
    const shift = this.shiftOf(value);
    const past = this.seasonAgo(timeMs);
    return [
      robustZ(this.longValues, value),
      robustZ(this.shortValues, value, this.longValues),
      prev !== undefined && enough(this.diffs) ? robustZ(this.diffs, value - prev) : undefined,
      shift !== undefined && enough(this.shifts) ? robustZ(this.shifts, shift) : undefined,
      past !== undefined && enough(this.seasonResiduals) ? robustZ(this.seasonResiduals, value - past) : undefined,
    ];
  }

  /** Mean of the last shiftSpan points including this one, minus the long median. */
  private shiftOf(value: number): number | undefined {
    const span = this.o.shiftSpan;
    if (this.longValues.size < span) return undefined;
    let sum = value;
    for (let k = 0; k < span - 1; k++) sum += this.longValues.last(k) ?? value;
    return sum / span - this.longValues.median();
  }

  private learn(timeMs: number, value: number): void {
    const prev = this.longValues.last();
    if (prev !== undefined) this.diffs.push(value - prev);
    const shift = this.shiftOf(value);
    if (shift !== undefined) this.shifts.push(shift);
    const past = this.seasonAgo(timeMs);
    if (past !== undefined) this.seasonResiduals.push(value - past);
    this.shortValues.push(value);
    this.longValues.push(value);
    this.seasonTimes.push(timeMs);
    this.seasonValues.push(value);
    const horizon = timeMs - 1.5 * this.o.seasonMs;
    while (this.seasonTimes.length > this.o.seasonMaxPoints || (this.seasonTimes[0] ?? timeMs) < horizon) {
      this.seasonTimes.shift();
      this.seasonValues.shift();
    }
    this.count++;
  }

  /** The value nearest to one season before `timeMs`, if one was seen close enough to it. */
  private seasonAgo(timeMs: number): number | undefined {
    const target = timeMs - this.o.seasonMs;
    const ts = this.seasonTimes;
    if (ts.length === 0 || (ts[0] as number) > target) return undefined;
    let lo = 0;
    let hi = ts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((ts[mid] as number) <= target) lo = mid;
      else hi = mid - 1;
    }
    let best = lo;
    if (lo + 1 < ts.length && Math.abs((ts[lo + 1] as number) - target) < Math.abs((ts[lo] as number) - target))
      best = lo + 1;
    if (Math.abs((ts[best] as number) - target) > this.o.seasonMs / 48) return undefined;
    return this.seasonValues[best];
  }

  /** How far the surprise exceeds this series' own high quantile, mapped to [0,1). */
  private calibrate(history: RollingWindow, surprise: number): number {
    if (history.size < this.o.warmupPoints) return 0;
    const floor = history.quantile(this.o.calibrationQuantile);
    const excess = surprise - floor;
    if (excess <= 0) return 0;
    return excess / (excess + 4);
  }

  /** NAB-style alerting rewards the first detection of an episode, so echoes are damped. */
  private suppress(score: number): number {
    let recentMax = 0;
    for (const s of this.recentScores) recentMax = Math.max(recentMax, s);
    this.recentScores.push(score);
    if (this.recentScores.length > this.o.suppressPoints) this.recentScores.shift();
    return score > recentMax ? score : score * this.o.suppressFactor;
  }

  snapshot(): SeriesScorerSnapshot {
    return {
      version: 1,
      options: { ...this.o },
      count: this.count,
      shortValues: this.shortValues.snapshot(),
      longValues: this.longValues.snapshot(),
      diffs: this.diffs.snapshot(),
      shifts: this.shifts.snapshot(),
      seasonTimes: [...this.seasonTimes],
      seasonValues: [...this.seasonValues],
      seasonResiduals: this.seasonResiduals.snapshot(),
      surprises: this.surprises.map((w) => w.snapshot()),
      recentScores: [...this.recentScores],
    };
  }
}

/** (value − median)/spread of `window`; spread from `scaleFrom` when given (a longer window). */
function robustZ(window: RollingWindow, value: number, scaleFrom?: RollingWindow): number {
  if (window.size === 0) return 0;
  const centre = window.median();
  const scaleWindow = scaleFrom ?? window;
  const spread = scaleWindow.spread();
  const floor = 1e-9 * Math.max(1, Math.abs(centre));
  const dev = value - centre;
  if (spread <= floor) return Math.abs(dev) <= floor ? 0 : Math.sign(dev) * 1e3;
  return dev / spread;
}
