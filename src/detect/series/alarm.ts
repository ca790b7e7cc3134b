// The alarm rule on the series scorer's scores, one code path for the metric-anomaly detector and
// the declared-KPI watcher (kpi/watch.ts): values are scored on a log scale, and a change that
// lasts keeps its opening score while the series stays changed, for a bounded number of points.
import type { SeriesScorer } from './scorer.js';

/**
 * The scorer judges each point against a record of surprises, so the second point of a lasting
 * drop is no news to it (NAB rewards the first alarm of an episode). Alerting needs consecutive
 * anomalous points, so the episode holds the opening score while values stay at least halfway
 * from the last normal value to the anomalous one, for at most the hold's points: after that a
 * lasting new level is taken as normal.
 */
export interface AlarmEpisode {
  from: number;
  to: number;
  score: number;
  held: number;
}

/** What the alarm keeps of a series besides its scorer (plain JSON, part of its owner's state). */
export interface AlarmedSeries {
  /** Points scored so far. */
  points: number;
  /** The last value scored, as given (not on the log scale). */
  lastValue: number;
  /** The change being held since a point scored at or above the threshold (absent when none). */
  episode?: AlarmEpisode;
}

export interface AlarmRule {
  /** Scores at or above this (0..1) are anomalous. */
  threshold: number;
  /** Points after the last one at or above the threshold for which a lasting change keeps its score. */
  holdPoints: number;
}

/**
 * KPIs and gauges move by ratios (a 75% drop is the same news at the daily trough as at the peak,
 * and noise grows with the level), so the scorer sees them on a log scale and its records of how
 * unusual a move is hold across the whole cycle. Sign-preserving for negative gauges.
 */
export function alarmScale(value: number): number {
  return Math.sign(value) * Math.log1p(Math.abs(value));
}

/** Scores the series' next point and returns the score the alarm compares with its threshold. */
export function alarmScore(s: AlarmedSeries, scorer: SeriesScorer, timeMs: number, value: number, rule: AlarmRule): number {
  const raw = scorer.push(timeMs, alarmScale(value));
  const score = s.points > 0 ? heldScore(s, value, raw, rule) : raw;
  s.points += 1;
  s.lastValue = value;
  return score;
}

function heldScore(s: AlarmedSeries, value: number, score: number, rule: AlarmRule): number {
  if (score >= rule.threshold) {
    s.episode = { from: s.episode?.from ?? s.lastValue, to: value, score, held: 0 };
    return score;
  }
  const e = s.episode;
  if (!e) return score;
  const progress = e.to === e.from ? 0 : (value - e.from) / (e.to - e.from);
  if (progress >= 0.5 && e.held < rule.holdPoints) {
    e.held++;
    return Math.max(score, e.score);
  }
  delete s.episode;
  return score;
}
