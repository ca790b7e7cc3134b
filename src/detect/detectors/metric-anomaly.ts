// Metric anomalies on gauges and business KPIs (orders/min, sign-ups …): each watched series is
// scored point by point by the streaming series scorer (src/detect/series), the same scorer
// `vigil backtest` uses, and a score above the threshold is a signal. A change that lasts stays
// anomalous while the series stays changed (an episode), though the scorer reports its start only.
// A series is judged at its own points: a bucket it reported nothing in (an SDK exporting once a
// minute, a 15–60 s scrape, under the engine's 10 s buckets) is no news, for a few of its own gaps.
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import { alarmScore, createSeriesScorer, restoreSeriesScorer, type AlarmEpisode, type SeriesScorer, type SeriesScorerSnapshot } from '../series/index.js';
import { count } from '../format.js';
import { pointSpacing } from './point-spacing.js';

interface WatchedSeries {
  service: string;
  metric: string;
  unit: string;
  version: string;
  points: number;
  lastMs: number;
  lastValue: number;
  lastScore: number;
  /** Times of its last points, oldest first (at most SPACING_TIMES): its usual gap between points. */
  times?: number[];
  /** Scorer state as of the last snapshot; the live scorer is the truth in between. */
  scorer: SeriesScorerSnapshot | null;
  /** The change being held since a point scored at or above the threshold (absent when none). */
  episode?: AlarmEpisode;
}

export interface MetricAnomalyState {
  series: Record<string, WatchedSeries>;
}

/** Point times kept per series: pointSpacing's median looks at their last 8 gaps. */
const SPACING_TIMES = 9;
/**
 * How long, in the series' own gaps, a bucket without a point is no news for a pending or firing
 * series: one missed export and half a gap of jitter. Past it the series has stopped reporting, so
 * a pending first point is forgotten (it cannot pair with one that comes much later) and a firing
 * signal recovers as for any series no longer evaluated.
 */
const NO_NEWS_GAPS = 2.5;

/** Whether a bucket ending at `nowMs` without a point of the series is no news (the series is still reporting). */
function awaitingPoint(s: WatchedSeries, nowMs: number): boolean {
  const spacing = pointSpacing((s.times ?? []).map((t) => [t] as const));
  return spacing !== undefined && nowMs - s.lastMs <= NO_NEWS_GAPS * spacing;
}

const live = new WeakMap<MetricAnomalyState, Map<string, SeriesScorer>>();

/** Whether a metric name is one of the watched patterns (a trailing `*` matches a prefix). */
export function watched(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}

function scorerOf(state: MetricAnomalyState, id: string): SeriesScorer {
  let scorers = live.get(state);
  if (!scorers) {
    scorers = new Map();
    live.set(state, scorers);
  }
  let scorer = scorers.get(id);
  if (!scorer) {
    const saved = state.series[id]?.scorer;
    scorer = saved ? restoreSeriesScorer(saved) : createSeriesScorer();
    scorers.set(id, scorer);
  }
  return scorer;
}

/** This detector's section of `detect:` in vigil.yaml (`metricAnomaly`): every field, checked, with its default. */
const metricAnomalySchema = z
  .object({
    /** Metric names watched by the streaming series scorer; a trailing `*` matches a prefix. */
    metrics: z.array(z.string().min(1)),
    /** Scores at or above this (0..1) are anomalous. */
    threshold: z.number().gt(0).max(1),
    /** Points a series needs before its scores are trusted. */
    minPoints: z.number().int().min(1),
    /**
     * Series left to someone who knows which way is bad: a metric (of one service, with these
     * attribute values, when given). Declared KPIs are added here by the pipeline, since the KPI
     * watcher judges them by their direction and this scorer would also page on a welcome surge.
     */
    skip: z.array(
      z.object({ metric: z.string().min(1), service: z.string().min(1).optional(), attributes: z.record(z.string().min(1), z.string()).optional() }).strict(),
    ),
  })
  .strict();

type SkippedSeries = z.output<typeof metricAnomalySchema>['skip'][number];

function skipped(m: { name: string; service: string; attributes: Readonly<Record<string, string>> }, skip: readonly SkippedSeries[]): boolean {
  return skip.some(
    (s) =>
      s.metric === m.name &&
      (s.service === undefined || s.service === m.service) &&
      Object.entries(s.attributes ?? {}).every(([k, v]) => m.attributes[k] === v),
  );
}

export const metricAnomalySettings = detectorSettings('metricAnomaly', metricAnomalySchema, {
  metrics: ['kpi.*', 'business.*'],
  threshold: 0.9,
  minPoints: 60,
  skip: [],
});

export const metricAnomalyDetector: Detector<MetricAnomalyState> = {
  name: 'metric-anomaly',
  initialState: () => ({ series: {} }),
  persist(state) {
    const scorers = live.get(state);
    if (!scorers) return;
    for (const [id, scorer] of scorers) {
      const s = state.series[id];
      if (s) s.scorer = scorer.snapshot();
    }
  },
  evaluate(ctx, state) {
    const c = ctx.config.metricAnomaly;
    const touched = new Set<string>();
    for (const m of ctx.metrics) {
      if (!Number.isFinite(m.value) || !watched(m.name, c.metrics) || skipped(m, c.skip)) continue;
      const attrs = Object.keys(m.attributes)
        .sort()
        .map((k) => `${k}=${m.attributes[k] ?? ''}`)
        .join(',');
      const id = `${m.service}|${m.name}|${attrs}`;
      const s = (state.series[id] ??= {
        service: m.service,
        metric: m.name,
        unit: m.unit,
        version: m.serviceVersion,
        points: 0,
        lastMs: -1,
        lastValue: 0,
        lastScore: 0,
        scorer: null,
      });
      if (m.timeMs < s.lastMs) continue;
      // A lasting change is held as long as a new series is watched before it is judged.
      const score = alarmScore(s, scorerOf(state, id), m.timeMs, m.value, { threshold: c.threshold, holdPoints: c.minPoints });
      s.lastMs = m.timeMs;
      // In place: this runs for every metric point ingested.
      const times = (s.times ??= []);
      times.push(m.timeMs);
      if (times.length > SPACING_TIMES) times.shift();
      s.version = m.serviceVersion || s.version;
      // The bucket's worst point speaks for it.
      s.lastScore = touched.has(id) ? Math.max(s.lastScore, score) : score;
      touched.add(id);
    }
    const out: Evaluation[] = [];
    for (const id of Object.keys(state.series)) {
      const s = state.series[id];
      if (!s) continue;
      const key = `metric-anomaly|${id}`;
      const firing = ctx.isFiring(key);
      const subject = { service: s.service, metric: s.metric, version: s.version };
      if (!touched.has(id)) {
        // Between its points a series anomalous at its last point (pending) or firing is no news.
        const pending = s.points >= c.minPoints && s.lastScore >= c.threshold;
        if ((pending || firing) && awaitingPoint(s, ctx.nowMs)) {
          out.push({ key, kind: 'metric-anomaly', subject, state: 'elevated', noNews: true });
          continue;
        }
        if (!firing) continue;
      }
      const anomalous = touched.has(id) && s.points >= c.minPoints && s.lastScore >= c.threshold;
      const state_ = anomalous ? 'anomalous' : touched.has(id) && s.lastScore >= c.threshold * 0.8 ? 'elevated' : 'normal';
      if (state_ === 'normal' && !firing) continue;
      const e: Evaluation = { key, kind: 'metric-anomaly', subject, state: state_ };
      if (anomalous) {
        e.draft = {
          startedAtMs: s.lastMs,
          window: { fromMs: ctx.nowMs - ctx.config.bucketMs, toMs: ctx.nowMs },
          observed: s.lastValue,
          baseline: Number.NaN,
          unit: s.unit || 'value',
          pValue: Number.NaN,
          score: s.lastScore,
          summary: `${s.service} ${s.metric}: unusual value ${count(s.lastValue)}${s.unit && s.unit !== '1' ? ` ${s.unit}` : ''} (anomaly score ${s.lastScore.toFixed(2)} of 1)`,
          evidence: { value: s.lastValue, score: s.lastScore, points: s.points },
        };
      }
      out.push(e);
    }
    return out;
  },
};
