// Business KPIs' public surface (pure): declarations, the watch that measures drops in event time,
// and the severity raise a drop means.
export { kpiDefinitionSchema, kpisConfigSchema, type KpiDefinition, type KpiDefinitionInput } from './config.js';
export { KpiWatch, type KpiDrop, type KpiState } from './watch.js';
export { withBusinessImpact } from './business-impact.js';
