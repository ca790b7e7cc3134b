// Business KPIs' public surface (pure): declarations, the watch that measures drops in event time,
// the signals a lasting drop fires, and the severity raise a drop means.
export { kpiDefinitionSchema, kpisConfigSchema, kpiSeries, type KpiDefinition, type KpiDefinitionInput } from './config.js';
export { KpiWatch, defaultKpiAlarm, kpiAlarmFor, type KpiAlarm, type KpiDrop, type KpiState } from './watch.js';
export { KpiDetector, kpiDropsOf, type KpiDetectorSnapshot } from './signals.js';
export { withBusinessImpact, kpiDropText } from './business-impact.js';
export { kpiAround, kpiWindow, type KpiAround, type KpiSeriesPoint } from './around.js';
