// The streaming univariate anomaly scorer behind `metric-anomaly` signals and `vigil backtest`:
// each push scores one point from the points before it (no look-ahead) in bounded memory, and its
// whole state is plain JSON so the live engine can persist it and replays continue exactly.
import { RollingWindow } from './rollingWindow.js';
import type { RollingWindowState } from './rollingWindow.js';
import { RecentRecord } from './recentRecord.js';
import type { RecentRecordState } from './recentRecord.js';
import { heavyTailSurprise } from './surprise.js';
import { ShapeMemory, windowShape } from './shapeMemory.js';
import type { ShapeMemoryState } from './shapeMemory.js';

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

/** Log10 units a shape's novelty must exceed before it counts as evidence (a 5× usual distance). */
const SHAPE_MARGIN = 0.7;

function detectorNames(o: SeriesScorerOptions): string[] {
  return [...DETECTORS, ...o.shiftSpans.map((span) => `shift${span}`), ...o.quantileLevels.map((q) => `q${Math.round(100 * q)}of${o.quantileSpan}`)];
}

export interface SeriesScorerOptions {
  /** Points in the short robust window (local level). */
  shortWindow: number;
  /** Points in the long robust window (typical level and spread). */
  longWindow: number;
  /** Numbers of points averaged to catch small sustained shifts of the level, one detector each. */
  shiftSpans: number[];
  /**
   * Points in the window whose quantiles (one detector per level) catch a shift of the bulk of
   * the values, which spikes of any height do not move: a plateau or a sagging level after spikes.
   * 4k+1 points make the quartiles exact order statistics rather than averages of two.
   */
  quantileSpan: number;
  quantileLevels: number[];
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
  /** Points in the window whose shape is compared with the remembered shapes. */
  shapeWindow: number;
  /** Features (sorted bin means) a window shape is summarised by. */
  shapeBins: number;
  /** Most shapes remembered; the least recently matched is forgotten first. */
  shapeCapacity: number;
  /** Typical distances within which a window refines a remembered shape instead of starting one. */
  shapeVigilance: number;
  /** Windows observed before shape novelty counts (the memory is still filling). */
  shapeWarmup: number;
}

export const defaultSeriesScorerOptions: Readonly<SeriesScorerOptions> = Object.freeze({
  shortWindow: 64,
  longWindow: 2048,
  shiftSpans: [3, 8, 32],
  quantileSpan: 65,
  quantileLevels: [0.25, 0.75],
  seasonMs: 86_400_000,
  seasonMaxPoints: 2000,
  calibrationHorizonMs: 7 * 86_400_000,
  calibrationMaxPoints: 10_000,
  tailDegrees: 4,
  suppressPoints: 120,
  suppressFactor: 0.1,
  warmupPoints: 16,
  shapeWindow: 64,
  shapeBins: 8,
  shapeCapacity: 64,
  shapeVigilance: 3,
  shapeWarmup: 512,
});

export interface SeriesScorerSnapshot {
  version: 3;
  options: SeriesScorerOptions;
  count: number;
  shortValues: RollingWindowState;
  longValues: RollingWindowState;
  diffs: RollingWindowState;
  shifts: RollingWindowState[];
  /** Per quantile level: past quantile shifts of the recent window. */
  quantileShifts: RollingWindowState[];
  seasonTimes: number[];
  seasonValues: number[];
  seasonResiduals: RollingWindowState;
  /** Per detector (level, local, step, season, one per shift span, one per quantile): its record. */
  records: RecentRecordState[];
  recentScores: number[];
  /** The score last returned (after damping). */
  lastReported: number;
  shapes: ShapeMemoryState;
}

/** Version 2 had no quantile-shift detectors and no shape memory. */
interface SeriesScorerSnapshotV2 extends Omit<SeriesScorerSnapshot, 'version' | 'options' | 'quantileShifts' | 'shapes'> {
  version: 2;
  options: Omit<SeriesScorerOptions, 'quantileSpan' | 'quantileLevels' | 'shapeWindow' | 'shapeBins' | 'shapeCapacity' | 'shapeVigilance' | 'shapeWarmup'>;
}

/** Version 1 kept a point-count window of surprises per detector instead of records. */
interface SeriesScorerSnapshotV1 extends Omit<SeriesScorerSnapshotV2, 'version' | 'options' | 'records' | 'lastReported'> {
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

export function restoreSeriesScorer(snapshot: SeriesScorerSnapshot | SeriesScorerSnapshotV2 | SeriesScorerSnapshotV1): SeriesScorer {
  if (snapshot.version === 1) return new StreamingScorer(upgradeV2(upgradeV1(snapshot)));
  if (snapshot.version === 2) return new StreamingScorer(upgradeV2(snapshot));
  if (snapshot.version !== 3) throw new Error(`unknown series scorer snapshot version ${String((snapshot as { version: unknown }).version)}`);
  return new StreamingScorer(snapshot);
}

/** Persisted engine state from before records: past surprises become records as of the last point. */
function upgradeV1(old: SeriesScorerSnapshotV1): SeriesScorerSnapshotV2 {
  const { surprises, options, ...rest } = old;
  const o: SeriesScorerSnapshotV2['options'] = { ...defaultSeriesScorerOptions, ...options };
  const lastMs = old.seasonTimes[old.seasonTimes.length - 1] ?? 0;
  const records = surprises.map((w) => {
    const record = RecentRecord.empty(o.calibrationHorizonMs, o.calibrationMaxPoints);
    for (const v of w.values) record.push(lastMs, v);
    return record.snapshot();
  });
  return { ...rest, version: 2, options: o, records, lastReported: 0 };
}

/**
 * State from before quantile shifts and shapes: the new detectors start learning from the
 * upgrade on (their histories and records empty, the shape memory empty), the rest continues.
 */
function upgradeV2(old: SeriesScorerSnapshotV2): SeriesScorerSnapshot {
  const o: SeriesScorerOptions = { ...defaultSeriesScorerOptions, ...old.options };
  const fresh = emptySnapshot(o);
  return {
    ...old,
    version: 3,
    options: o,
    quantileShifts: fresh.quantileShifts,
    records: [...old.records, ...fresh.records.slice(old.records.length)],
    shapes: fresh.shapes,
  };
}

function emptySnapshot(o: SeriesScorerOptions): SeriesScorerSnapshot {
  const win = (capacity: number): RollingWindowState => ({ capacity, values: [] });
  return {
    version: 3,
    options: o,
    count: 0,
    shortValues: win(o.shortWindow),
    longValues: win(o.longWindow),
    diffs: win(o.longWindow),
    shifts: o.shiftSpans.map(() => win(o.longWindow)),
    quantileShifts: o.quantileLevels.map(() => win(o.longWindow)),
    seasonTimes: [],
    seasonValues: [],
    seasonResiduals: win(o.longWindow),
    records: detectorNames(o).map(() => RecentRecord.empty(o.calibrationHorizonMs, o.calibrationMaxPoints).snapshot()),
    recentScores: [],
    lastReported: 0,
    shapes: ShapeMemory.empty(o.shapeCapacity).snapshot(),
  };
}

class StreamingScorer implements SeriesScorer {
  private readonly o: SeriesScorerOptions;
  private count: number;
  private readonly shortValues: RollingWindow;
  private readonly longValues: RollingWindow;
  private readonly diffs: RollingWindow;
  private readonly shifts: RollingWindow[];
  private readonly quantileShifts: RollingWindow[];
  private readonly names: string[];
  private readonly seasonTimes: number[];
  private readonly seasonValues: number[];
  private readonly seasonResiduals: RollingWindow;
  private readonly records: RecentRecord[];
  private readonly recentScores: number[];
  private lastReported: number;
  private readonly shapes: ShapeMemory;

  constructor(s: SeriesScorerSnapshot) {
    this.o = { ...s.options };
    this.count = s.count;
    this.shortValues = RollingWindow.restore(s.shortValues);
    this.longValues = RollingWindow.restore(s.longValues);
    this.diffs = RollingWindow.restore(s.diffs);
    this.shifts = s.shifts.map((w) => RollingWindow.restore(w));
    this.quantileShifts = s.quantileShifts.map((w) => RollingWindow.restore(w));
    this.names = detectorNames(this.o);
    this.seasonTimes = [...s.seasonTimes];
    this.seasonValues = [...s.seasonValues];
    this.seasonResiduals = RollingWindow.restore(s.seasonResiduals);
    this.records = s.records.map((r) => RecentRecord.restore(r));
    this.recentScores = [...s.recentScores];
    this.lastReported = s.lastReported;
    this.shapes = ShapeMemory.restore(s.shapes);
  }

  push(timeMs: number, value: number): number {
    // A gap in the data is not evidence of anything; it must not poison the windows either.
    if (!Number.isFinite(value) || !Number.isFinite(timeMs)) return 0;
    const recent = this.recentWindow(value);
    const quantileShifts = this.quantileShiftsOf(recent);
    const zs = this.count >= this.o.warmupPoints ? this.zScores(timeMs, value, quantileShifts) : this.names.map(() => undefined);
    const novelty = this.shapeNovelty(recent);
    this.learn(timeMs, value, quantileShifts);
    // Summed, not maximised: a real change trips several detectors at once, noise mostly one.
    let evidence = 0;
    zs.forEach((z, i) => {
      if (z === undefined) return;
      const surprise = heavyTailSurprise(z, this.o.tailDegrees);
      const record = this.records[i] as RecentRecord;
      evidence += this.excess(record, timeMs, surprise);
      record.push(timeMs, surprise);
    });
    // A new shape is evidence of its own kind; it speaks only when it is stronger than the rest.
    if (novelty > 0) evidence = Math.max(evidence, Math.log10(novelty) - SHAPE_MARGIN);
    return this.suppress(evidence / (evidence + EVIDENCE_HALF));
  }

  /** The last points up to and including `value`, oldest first (fewer while the series is young). */
  private recentWindow(value: number): number[] {
    const n = Math.min(Math.max(this.o.quantileSpan, this.o.shapeWindow) - 1, this.longValues.size);
    const out = new Array<number>(n + 1);
    for (let k = 0; k < n; k++) out[n - 1 - k] = this.longValues.last(k) as number;
    out[n] = value;
    return out;
  }

  /** Per quantile level: that quantile of the recent window minus the long median. */
  private quantileShiftsOf(recent: readonly number[]): (number | undefined)[] {
    const span = this.o.quantileSpan;
    if (recent.length < span) return this.o.quantileLevels.map(() => undefined);
    const sorted = recent.slice(recent.length - span).sort((a, b) => a - b);
    const centre = this.longValues.median();
    return this.o.quantileLevels.map((q) => {
      const pos = q * (span - 1);
      const lo = sorted[Math.floor(pos)] as number;
      const hi = sorted[Math.ceil(pos)] as number;
      return (lo + hi) / 2 - centre;
    });
  }

  /** Novelty of the recent window's shape against the remembered shapes; 0 while learning. */
  private shapeNovelty(recent: readonly number[]): number {
    const o = this.o;
    if (recent.length < o.shapeWindow) return 0;
    const shape = windowShape(recent.slice(recent.length - o.shapeWindow), o.shapeBins, this.longValues.median(), this.longValues.spread());
    const novelty = this.shapes.observe(shape, o.shapeVigilance);
    return this.shapes.observed > o.shapeWarmup ? novelty : 0;
  }

  /** One robust z per detector (undefined while it lacks history), from past points only. */
  private zScores(timeMs: number, value: number, quantileShifts: readonly (number | undefined)[]): (number | undefined)[] {
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
      ...quantileShifts.map((shift, i) => {
        const history = this.quantileShifts[i] as RollingWindow;
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

  private learn(timeMs: number, value: number, quantileShifts: readonly (number | undefined)[]): void {
    const prev = this.longValues.last();
    if (prev !== undefined) this.diffs.push(value - prev);
    this.o.shiftSpans.forEach((span, i) => {
      const shift = this.shiftOf(value, span);
      if (shift !== undefined) this.shifts[i]?.push(shift);
    });
    quantileShifts.forEach((shift, i) => {
      if (shift !== undefined) this.quantileShifts[i]?.push(shift);
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
    if (lo + 1 < ts.length && Math.abs((ts[lo + 1] as number) - target) < Math.abs((ts[lo] as number) - target)) best = lo + 1;
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
      version: 3,
      options: { ...this.o },
      count: this.count,
      shortValues: this.shortValues.snapshot(),
      longValues: this.longValues.snapshot(),
      diffs: this.diffs.snapshot(),
      shifts: this.shifts.map((w) => w.snapshot()),
      quantileShifts: this.quantileShifts.map((w) => w.snapshot()),
      seasonTimes: [...this.seasonTimes],
      seasonValues: [...this.seasonValues],
      seasonResiduals: this.seasonResiduals.snapshot(),
      records: this.records.map((r) => r.snapshot()),
      recentScores: [...this.recentScores],
      lastReported: this.lastReported,
      shapes: this.shapes.snapshot(),
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
