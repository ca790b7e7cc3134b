// SLOs' public surface: the definition schema (vigil.yaml and API), the pure engine that turns
// per-minute counts into burn rates, budgets and `slo-burn` signals, and the workbook arithmetic.
export { sloDefinitionSchema, slosConfigSchema, parseSloWindow } from './config.js';
export type { SloDefinition, SloDefinitionInput } from './config.js';
export { SloEngine } from './engine.js';
export type { SloStatus, SloState, BurnAlert, SloEngineSnapshot } from './engine.js';
export { burnRules, burnRate, burnThreshold, budgetRemaining, exhaustionForecastMs, detectionTimeMs, formatSpan } from './burn.js';
export type { BurnRule, BurnSeverity } from './burn.js';
