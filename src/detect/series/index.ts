// Public surface of the streaming series scorer: the live engine (metric-anomaly signals on
// gauges and KPIs, the declared-KPI watcher through the alarm rule) and `vigil backtest` import from here only.
export { createSeriesScorer, restoreSeriesScorer, defaultSeriesScorerOptions } from './scorer.js';
export type { SeriesScorer, SeriesScorerOptions, SeriesScorerSnapshot } from './scorer.js';
export { alarmScale, alarmScore, type AlarmEpisode, type AlarmRule, type AlarmedSeries } from './alarm.js';
