// Synthetic monitoring: checks as code (YAML and TypeScript browser journeys), their runners,
// scheduling, confirmation, latency regressions and signals.
export { SyntheticMonitor, type CheckSummary, type MonitorOptions } from './monitor.js';
export { loadChecks, parseCheckFile, formatProblem, ChecksInvalidError, type CheckProblem, type LoadedCheck } from './load.js';
export { runCheck, defaultChromiumPath, newSyntheticTraceId, type RunOptions } from './run.js';
export { CheckScheduler, confirmRetryMs } from './scheduler.js';
export { confirmRun, initialCheckState, checkService, type CheckState, type CheckStatus } from './confirm.js';
export { observeRunLatency, initialLatencyState, latencyPolicy, latencyStateFromHistory, type LatencyState } from './latency.js';
export { runSpans, syntheticService } from './spans.js';
export { parseDuration } from './duration.js';
export type { RunResult, StepResult, AssertionResult } from './result.js';
export type { CheckDefinition, CheckKind, ScriptedBrowserCheck } from './schema.js';
export type { JourneyDefinition, JourneyHelpers } from './journeys/api.js';
export { checksConfigSchema, type ChecksConfig } from './config.js';
