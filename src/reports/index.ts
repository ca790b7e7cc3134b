// Reliability reports' public surface (pure): figures from an incident history, and their exports.
export {
  reliabilityReport,
  reportTargets,
  type BusinessKpisInput,
  type KpiEvent,
  type ReliabilityInput,
  type ReliabilityReport,
  type SloAttainment,
} from './reliability.js';
export { reliabilityDocument, reliabilityJson } from './render.js';
export { confidenceAt, type EndOfRangeFacts } from './confidence.js';
export { weeklyReportDue, latestSlotMs } from './weekly.js';
export { weeklyReportSchema, reportsConfigSchema, type WeeklySchedule, type ReportsConfig } from './config.js';
