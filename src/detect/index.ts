// The detection core's public surface: the engine the server drives, its configuration schema,
// and the ports and types a caller may need. Other modules import from here only.
export { DetectionEngine } from './engine.js';
export type { DetectionSnapshot, DetectionEngineOptions } from './engine.js';
export { detectionConfigSchema, defaultDetectionConfig, resolveDetectionConfig } from './config.js';
export type { DetectionConfig, DetectionConfigInput } from './config.js';
export type { Detector, DetectorContext, Evaluation, EvaluationState, Finding } from './detector.js';
export { detectorRegistry } from './detectors/registry.js';
export type { ExceptionFingerprinter } from './log-events.js';
export type { TemplateMatch } from './logs/index.js';
/** What counts as a request and a failed one, shared with SLOs so both agree on every span. */
export { isEntrySpan, isFailedSpan, routeOf } from './red.js';
