// Synthetic monitoring: checks as code (YAML), their runners, scheduling, confirmation and signals.
export { SyntheticMonitor, type CheckSummary, type MonitorOptions } from './monitor.js';
export { loadChecks, parseCheckFile, formatProblem, ChecksInvalidError, type CheckProblem, type LoadedCheck } from './load.js';
export { runCheck, defaultChromiumPath, type RunOptions } from './run.js';
export { CheckScheduler, confirmRetryMs } from './scheduler.js';
export { confirmRun, initialCheckState, checkService, type CheckState, type CheckStatus } from './confirm.js';
export { runSpans, syntheticService } from './spans.js';
export { parseDuration } from './duration.js';
export type { RunResult, StepResult, AssertionResult } from './result.js';
export type { CheckDefinition, CheckKind } from './schema.js';
export { checksConfigSchema, type ChecksConfig } from './config.js';
