// The streaming univariate anomaly scorer behind `metric-anomaly` signals and `vigil backtest`:
// each push scores one point from the points before it (no look-ahead) in bounded memory, and its
// whole state is plain JSON so the live engine can persist it and replays continue exactly.
import { RollingWindow } from './rollingWindow.js';
import type { RollingWindowState } from './rollingWindow.js';
import { RecentRecord } from './recentRecord.js';
import type { RecentRecordState } from './recentRecord.js';
import { heavyTailSurprise } from './surprise.js';

/** The fixed detectors, in the order of their surprise histories; one `shift` follows per span. */
const DETECTORS = ['level', 'local', 'step', 'season'] as const;

/**
 * A score that keeps up a run of high ones (the last ≥ RUN_MIN, this ≥ RUN_RATIO of it) is not
 * damped: a sustained change stays anomalous, which consecutive-bucket alerting relies on.
 */
const RUN_MIN = 0.9;
const RUN_RATIO = 0.9;

/** log10 units a surprise must beat its record by to count: noise nudging a record is not news. */
const RECORD_MARGIN = 0.2;

/** Evidence (summed log10 excess) that maps to a score of 0.5. */
const EVIDENCE_HALF = 0.2;

function detectorNames(o: SeriesScorerOptions): string[] {
  return [...DETECTORS, ...o.shiftSpans.map((span) => `shift${span}`)];
}

export interface SeriesScorerOptions {
  /** Points in the short robust window (local level). */
  shortWindow: number;
  /** Points in the long robust window (typical level and spread). */
  longWindow: number;
  /** Numbers of points averaged to catch small sustained shifts of the level, one detector each. */
  shiftSpans: number[];
  /** Season length in ms (a day); residuals against the same time one season ago. */
  seasonMs: number;
  /** Most points kept to look one season back; longer seasons are skipped. */
  seasonMaxPoints: number;
  /**
   * A point counts only by how far it beats each detector's record over this horizon (a week):
   * "the most unusual in a week" means the same whether a series is sampled every 10 s or hourly.
   */
  calibrationHorizonMs: number;
  /** Most points a record is kept for (bounds memory on fast series). */
  calibrationMaxPoints: number;
  /** Degrees of freedom of the Student-t tail that turns a z-score into surprise. */
  tailDegrees: number;
  /** Points after a high score during which only a higher one is reported in full. */
  suppressPoints: number;
  /** Factor applied to scores that do not beat the recent maximum. */
  suppressFactor: number;
  /** Points before any score is given (the scorer is still learning). */
  warmupPoints: number;
}

export const defaultSeriesScorerOptions: Readonly<SeriesScorerOptions> = Object.freeze({
  shortWindow: 64,
  longWindow: 2048,
  shiftSpans: [3, 8, 32],
  seasonMs: 86_400_000,
  seasonMaxPoints: 2000,
  calibrationHorizonMs: 7 * 86_400_000,
  calibrationMaxPoints: 10_000,
  tailDegrees: 4,
  suppressPoints: 120,
  suppressFactor: 0.1,
  warmupPoints: 16,
});

export interface SeriesScorerSnapshot {
  version: 2;
  options: SeriesScorerOptions;
  count: number;
  shortValues: RollingWindowState;
  longValues: RollingWindowState;
  diffs: RollingWindowState;
  shifts: RollingWindowState[];
  seasonTimes: number[];
  seasonValues: number[];
  seasonResiduals: RollingWindowState;
  /** Per detector (level, local, step, season, then one per shift span): its recent record. */
  records: RecentRecordState[];
  recentScores: number[];
  /** The score last returned (after damping). */
  lastReported: number;
}

/** Version 1 kept a point-count window of surprises per detector instead of records. */
interface SeriesScorerSnapshotV1 extends Omit<SeriesScorerSnapshot, 'version' | 'options' | 'records' | 'lastReported'> {
  version: 1;
  options: Partial<SeriesScorerOptions>;
  surprises: RollingWindowState[];
}

export interface SeriesScorer {
  /** Scores the point at `timeMs` (non-decreasing) in [0,1]; higher is more anomalous. */
  push(timeMs: number, value: number): number;
  snapshot(): SeriesScorerSnapshot;
}

export function createSeriesScorer(options: Partial<SeriesScorerOptions> = {}): SeriesScorer {
  return new StreamingScorer(emptySnapshot({ ...defaultSeriesScorerOptions, ...options }));
}

export function restoreSeriesScorer(snapshot: SeriesScorerSnapshot | SeriesScorerSnapshotV1): SeriesScorer {
  if (snapshot.version === 1) return new StreamingScorer(upgradeV1(snapshot));
  if (snapshot.version !== 2) throw new Error(`unknown series scorer snapshot version ${String((snapshot as { version: unknown }).version)}`);
  return new StreamingScorer(snapshot);
}

/** Persisted engine state from before records: past surprises become records as of the last point. */
function upgradeV1(old: SeriesScorerSnapshotV1): SeriesScorerSnapshot {
  const { surprises, options, ...rest } = old;
  const o: SeriesScorerOptions = { ...defaultSeriesScorerOptions, ...options };
  const lastMs = old.seasonTimes[old.seasonTimes.length - 1] ?? 0;
  const records = surprises.map((w) => {
    const record = RecentRecord.empty(o.calibrationHorizonMs, o.calibrationMaxPoints);
    for (const v of w.values) record.push(lastMs, v);
    return record.snapshot();
  });
  return { ...rest, version: 2, options: o, records, lastReported: 0 };
}

function emptySnapshot(o: SeriesScorerOptions): SeriesScorerSnapshot {
  const win = (capacity: number): RollingWindowState => ({ capacity, values: [] });
  return {
    version: 2,
    options: o,
    count: 0,
    shortValues: win(o.shortWindow),
    longValues: win(o.longWindow),
    diffs: win(o.longWindow),
    shifts: o.shiftSpans.map(() => win(o.longWindow)),
    seasonTimes: [],
    seasonValues: [],
    seasonResiduals: win(o.longWindow),
    records: detectorNames(o).map(() => RecentRecord.empty(o.calibrationHorizonMs, o.calibrationMaxPoints).snapshot()),
    recentScores: [],
    lastReported: 0,
  };
}

class StreamingScorer implements SeriesScorer {
  private readonly o: SeriesScorerOptions;
  private count: number;
  private readonly shortValues: RollingWindow;
  private readonly longValues: RollingWindow;
  private readonly diffs: RollingWindow;
  private readonly shifts: RollingWindow[];
  private readonly names: string[];
  private readonly seasonTimes: number[];
  private readonly seasonValues: number[];
  private readonly seasonResiduals: RollingWindow;
  private readonly records: RecentRecord[];
  private readonly recentScores: number[];
  private lastReported: number;

  constructor(s: SeriesScorerSnapshot) {
    this.o = { ...s.options };
    this.count = s.count;
    this.shortValues = RollingWindow.restore(s.shortValues);
    this.longValues = RollingWindow.restore(s.longValues);
    this.diffs = RollingWindow.restore(s.diffs);
    this.shifts = s.shifts.map((w) => RollingWindow.restore(w));
    this.names = detectorNames(this.o);
    this.seasonTimes = [...s.seasonTimes];
    this.seasonValues = [...s.seasonValues];
    this.seasonResiduals = RollingWindow.restore(s.seasonResiduals);
    this.records = s.records.map((r) => RecentRecord.restore(r));
    this.recentScores = [...s.recentScores];
    this.lastReported = s.lastReported;
  }

  push(timeMs: number, value: number): number {
    // A gap in the data is not evidence of anything; it must not poison the windows either.
    if (!Number.isFinite(value) || !Number.isFinite(timeMs)) return 0;
    const zs = this.count >= this.o.warmupPoints ? this.zScores(timeMs, value) : this.names.map(() => undefined);
    this.learn(timeMs, value);
    // Summed, not maximised: a real change trips several detectors at once, noise mostly one.
    let evidence = 0;
    zs.forEach((z, i) => {
      if (z === undefined) return;
      const surprise = heavyTailSurprise(z, this.o.tailDegrees);
      const record = this.records[i] as RecentRecord;
      evidence += this.excess(record, timeMs, surprise);
      record.push(timeMs, surprise);
    });
    return this.suppress(evidence / (evidence + EVIDENCE_HALF));
  }

  /** One robust z per detector (undefined while it lacks history), from past points only. */
  private zScores(timeMs: number, value: number): (number | undefined)[] {
    const enough = (w: RollingWindow): boolean => w.size >= this.o.warmupPoints;
    const prev = this.longValues.last();
    const past = this.seasonAgo(timeMs);
    return [
      robustZ(this.longValues, value),
      robustZ(this.shortValues, value, this.longValues),
      prev !== undefined && enough(this.diffs) ? robustZ(this.diffs, value - prev) : undefined,
      past !== undefined && enough(this.seasonResiduals) ? robustZ(this.seasonResiduals, value - past) : undefined,
      ...this.o.shiftSpans.map((span, i) => {
        const shift = this.shiftOf(value, span);
        const history = this.shifts[i] as RollingWindow;
        return shift !== undefined && enough(history) ? robustZ(history, shift) : undefined;
      }),
    ];
  }

  /** Mean of the last `span` points including this one, minus the long median. */
  private shiftOf(value: number, span: number): number | undefined {
    if (this.longValues.size < span) return undefined;
    let sum = value;
    for (let k = 0; k < span - 1; k++) sum += this.longValues.last(k) ?? value;
    return sum / span - this.longValues.median();
  }

  private learn(timeMs: number, value: number): void {
    const prev = this.longValues.last();
    if (prev !== undefined) this.diffs.push(value - prev);
    this.o.shiftSpans.forEach((span, i) => {
      const shift = this.shiftOf(value, span);
      if (shift !== undefined) this.shifts[i]?.push(shift);
    });
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

  /**
   * How far (in log10 units) a detector's surprise exceeds its record over the calibration
   * horizon: heavy-tailed series thereby set their own, higher bar.
   */
  private excess(record: RecentRecord, timeMs: number, surprise: number): number {
    const bar = record.record(timeMs);
    if (record.seen < this.o.warmupPoints || bar === undefined) return 0;
    return Math.max(0, surprise - bar - RECORD_MARGIN);
  }

  /** NAB-style alerting rewards the first detection of an episode, so echoes are damped. */
  private suppress(score: number): number {
    let recentMax = 0;
    for (const s of this.recentScores) recentMax = Math.max(recentMax, s);
    this.recentScores.push(score);
    if (this.recentScores.length > this.o.suppressPoints) this.recentScores.shift();
    const continues = this.lastReported >= RUN_MIN && score >= RUN_RATIO * this.lastReported;
    this.lastReported = score > recentMax || continues ? score : score * this.o.suppressFactor;
    return this.lastReported;
  }

  snapshot(): SeriesScorerSnapshot {
    return {
      version: 2,
      options: { ...this.o },
      count: this.count,
      shortValues: this.shortValues.snapshot(),
      longValues: this.longValues.snapshot(),
      diffs: this.diffs.snapshot(),
      shifts: this.shifts.map((w) => w.snapshot()),
      seasonTimes: [...this.seasonTimes],
      seasonValues: [...this.seasonValues],
      seasonResiduals: this.seasonResiduals.snapshot(),
      records: this.records.map((r) => r.snapshot()),
      recentScores: [...this.recentScores],
      lastReported: this.lastReported,
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
