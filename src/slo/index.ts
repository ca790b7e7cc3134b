// SLOs' public surface: the definition schema (vigil.yaml and API), the pure engine that turns
// per-minute counts (from spans or a metric's good/total ratio) into burn rates, budgets and `slo-burn` signals, and the workbook arithmetic.
export { sloDefinitionSchema, slosConfigSchema, parseSloWindow, metricWhereSchema } from './config.js';
export type { SloDefinition, SloDefinitionInput, SloMetric, MetricSelector } from './config.js';
export { SloEngine } from './engine.js';
export { metricCountsInRange, CumulativeMarks, pointMatches, seriesKey } from './metric-counts.js';
export type { MetricCountsSnapshot } from './metric-counts.js';
export type { SloStatus, SloState, BurnAlert, SloEngineSnapshot } from './engine.js';
export { burnRules, burnRate, burnThreshold, budgetRemaining, exhaustionForecastMs, detectionTimeMs, formatSpan } from './burn.js';
export type { BurnRule, BurnSeverity } from './burn.js';
