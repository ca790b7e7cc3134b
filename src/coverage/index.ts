// Monitoring coverage, the public surface: measure what each service and route sends (store
// queries), check it against configured SLOs, synthetic checks and critical journeys, and score it.
export { buildCoverageReport, scoreService, scoreRoute, scoreJourney, serviceWeights, routeWeights, journeyWeights, journeyShare } from './score.js';
export { collectCoverageFacts } from './queries.js';
export { formatCoverageReport } from './format.js';
export { journeyFromText, journeyMatches, parseRouteName, routeNameMatches, targetCovers, targetCoversJourney } from './targets.js';
export type {
  Check,
  CoverageFacts,
  CoverageGap,
  CoverageOptions,
  CoverageReport,
  CoverageTarget,
  JourneyCoverage,
  JourneyTarget,
  RouteCoverage,
  RouteFacts,
  ServiceCoverage,
  ServiceFacts,
  TimeWindow,
} from './types.js';
