// Production confidence's public surface: the facts it is judged from and the pure judgement.
export { judgeConfidence, penalties } from './judge.js';
export { overallConfidence } from './overall.js';
export type { OverallConfidence } from './overall.js';
export type { Confidence, ConfidenceLevel, ServiceFacts, SloFact, VerdictFact, IncidentFact, ChangeFact } from './types.js';
