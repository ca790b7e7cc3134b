// Root cause, the public surface: the live dependency graph, ranked explained suspects, and
// similar / recurring incidents. Pure: callers pass spans, signals, changes and times in.

export { DependencyGraph, defaultGraphOptions } from './graph/dependencyGraph.js';
export { declaredGraph } from './graph/declaredGraph.js';
export { withDeclaredEdges } from './graph/mergedGraph.js';
export type { DeclaredEdge, MergedGraph } from './graph/mergedGraph.js';
export type { DependencyGraphOptions, DependencyGraphSnapshot, VersionInfo } from './graph/dependencyGraph.js';
export type { EdgeWindow, ServiceWindow, VersionWindow } from './graph/windows.js';
export { rankRootCauses, buildRuleContext } from './rank/rankRootCauses.js';
export { defaultRcaRules } from './rank/registry.js';
export { concernedByChange, RankRefresh, rankIncident } from './rankRefresh.js';
export type { RankingEvidence } from './rankRefresh.js';
export { defaultRcaOptions } from './rank/types.js';
export type { Finding, GraphView, RcaOptions, RcaRule, RcaWindow, RootCauseInput, RuleContext } from './rank/types.js';
export { incidentSignature } from './similar/signature.js';
export type { IncidentLike, IncidentSignature } from './similar/signature.js';
export { findSimilarIncidents, recurringPatterns, signatureSimilarity, SIMILARITY_WEIGHTS } from './similar/similarity.js';
export type { PastIncident, RecurringPattern, SimilarIncident } from './similar/similarity.js';
