// The pipeline adapter between ingest, the pure engines, the store and the notifier.
export { Pipeline, type PipelineOptions } from './pipeline.js';
export { IncidentService, type IncidentActions } from './incident-service.js';
export { DeployInference } from './deploy-inference.js';
export { SloService } from './slo-service.js';
export { FollowUpService, type FollowUpExtras } from './follow-up-service.js';
export { kpiAroundReader, type KpiAroundReader } from './kpi-series.js';
export { withFollowUp } from './follow-up-incidents.js';
export { SilenceService } from './silence-service.js';
export { ConfidenceService, type ReleaseVerdictSource } from './confidence-service.js';
export { StatusService, type UpdatePublisher } from './status-service.js';
export { ReleaseService, type ReleaseCompanion } from './release-service.js';
export { RuleService } from './rule-service.js';
export { stakeholderChannels, type StakeholderChannels } from './stakeholder-channels.js';
export { WeeklyReportPoster, type WeeklyReportPosterOptions } from './weekly-report-poster.js';
