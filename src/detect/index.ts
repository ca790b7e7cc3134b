// The detection core's public surface: the engine the server drives, its configuration schema,
// and the ports and types a caller may need. Other modules import from here only.
export { DetectionEngine } from './engine.js';
export type { DetectionSnapshot, DetectionEngineOptions } from './engine.js';
export { detectionConfigSchema, defaultDetectionConfig, resolveDetectionConfig } from './config.js';
export type { DetectionConfig, DetectionConfigInput } from './config.js';
export type { Detector, DetectorContext, Evaluation, EvaluationState, SignalDraft } from './detector.js';
export { detectorRegistry } from './detectors/registry.js';
export type { ExceptionFingerprinter } from './log-events.js';
export type { TemplateMatch, TemplateMiner } from './logs/index.js';
/** The online log template miner and the metric series scorer, for `vigil patterns` and `vigil backtest`. */
export { createTemplateMiner } from './logs/index.js';
export { createSeriesScorer } from './series/index.js';
export type { SeriesScorer, SeriesScorerOptions } from './series/index.js';
/** The scorer with metric-anomaly's alarm rule, for the declared-KPI watcher: one judgement of a series for both. */
export { alarmScore, restoreSeriesScorer } from './series/index.js';
export type { AlarmedSeries, AlarmEpisode, AlarmRule, SeriesScorerSnapshot } from './series/index.js';
/** Latency sketches, shared with release validation so both read latency the same way. */
export { addToSketch, countAbove, emptySketch, mergeSketch, quantile } from './sketch.js';
export type { LatencySketch } from './sketch.js';
/** What counts as a request and a failed one, shared with SLOs so both agree on every span. */
export { isEntrySpan, isFailedSpan, routeOf } from './red.js';
