// Release validation's public surface: the pure engine and its vocabulary, the canary judge, the
// report, and the configuration schema. Other modules import from here only.
export { ReleaseEngine, bucketMs, type DeploymentRecord, type ReleaseSnapshot, type ReleaseUpdate } from './engine.js';
export { releaseSectionSchema, defaultReleaseConfig, type ReleaseConfig } from './config.js';
export { decide, exitCodeOf, IllegalVerdictTransition, watching } from './lifecycle.js';
export type { ComparisonMode, DeploymentRef, Evidence, EvidenceSignal, RedAggregate, ReleaseFinding, Verdict, VerdictStatus } from './types.js';
export {
  anytimePValue,
  mixtureLr,
  newMixture,
  rejects,
  updateOneArm,
  updateTwoArm,
  upperRateBound,
  harmGrid,
  noHarmGrid,
  type MixtureState,
} from './sequential.js';
export { judgeCanary, type CanaryArms, type CanaryBucket, type CanaryJudgement, type RouteJudgement } from './canary-judge.js';
export { releaseReportHtml, releaseReportMarkdown } from './report.js';
export type { ReleaseConfidence } from './report.js';
export { remediationActionSchema, remediationSectionSchema, type RemediationAction, type RemediationConfig } from './remediation/config.js';
export { actionsFor, automaticAction, withinHours, type AutomaticDecision, type RemediationRun, type RemediationSuggestion } from './remediation/guardrails.js';
