// User-defined alert rules' public surface: the rule schema (vigil.yaml and API) and the pure engine.
export { alertRuleSchema, rulesConfigSchema, parseRuleDuration, redMeasures } from './config.js';
export type { AlertRule, AlertRuleInput, RedMeasure } from './config.js';
export { RuleEngine } from './engine.js';
export type { RuleStatus, RuleState, RuleWithStatus, RuleEngineSnapshot } from './engine.js';
