// The pipeline adapter between ingest, the pure engines, the store and the notifier.
export { Pipeline, type PipelineOptions } from './pipeline.js';
export { IncidentService, type IncidentActions } from './incident-service.js';
export { DeployInference } from './deploy-inference.js';
export { ClickHouseContextQueries } from './context-queries.js';
export { SloService } from './slo-service.js';
