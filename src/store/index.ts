// The storage module: one ClickHouse schema, spoken through @clickhouse/client to embedded chDB
// or a server. Other modules import from here only.
export { EMBEDDED_ENGINE_ARGS, openStore, type StoreClient, type StoreLocation } from './client.js';
export { migrate, applyRetention } from './migrate.js';
export { readEngineMemory, type EngineMemory, type EngineAllocator } from './engine-memory.js';
export type { RetentionDays } from './schema.js';
export { compactRows, spanRow, logRow, metricRow } from './rows.js';
export { TelemetryWriter, QueueFullError, type TelemetryRows, type WriterOptions, type WriterStats } from './writer.js';
export { getTrace, searchSpans, searchLogs, logHistogram, parseLogText, type SpanQuery, type LogQuery } from './queries/telemetry.js';
export { metricSeries, bucketQuantile, listMetricNames, type MetricQuery, type MetricSeriesResult, type MetricNameOut } from './queries/metrics.js';
export { redSeries, listServices, type RedQuery, type RedSeries, type RedGroupBy, type ServiceSummary } from './queries/red.js';
export { insertChanges, listChanges, latestVersions, type ChangeQuery } from './queries/changes.js';
export { saveSnapshot, saveSnapshotJson, loadSnapshot, saveSignals } from './queries/state.js';
export { saveIncidentRecords, listIncidentRecords, getIncidentRecord, appendTimeline, readTimeline, type StoredIncident } from './queries/incidents.js';
export { insertKey, listKeys, type StoredKey } from './queries/keys.js';
export { insertCheckRuns, listCheckRuns, latestCheckRuns, type StoredCheckRun } from './queries/check-runs.js';
export { versionLatencyQuantile, versionRequests, versionTrafficBins, type VersionRequest, type VersionTrafficBin } from './queries/release.js';
export { saveVersioned, loadVersioned, type VersionedTable, type VersionedRow } from './queries/versioned.js';
export { insertAuditEntries, listAuditEntries, type AuditEntry, type AuditQuery } from './queries/audit.js';
export { InvalidCursorError, type Page } from './queries/filters.js';
export { ClickHouseContextQueries } from './queries/context.js';
export { saveSession, loadSessions, deleteSessions, purgeExpiredSessions, type StoredSession } from './queries/ui-sessions.js';
export { logPatterns, type LogPattern, type LogPatternQuery, type LogPatternSummary } from './queries/log-patterns.js';
export {
  saveActionItem,
  listActionItems,
  saveReviewEdits,
  listReviewEdits,
  saveTickets,
  listTickets,
  type StoredActionItem,
  type StoredReviewEdit,
  type StoredTicket,
} from './queries/follow-up.js';
export { listIncidentHistory, firstRootCauseTimes, type IncidentHistoryRow } from './queries/incident-history.js';
export { metricPointsForSlo, sloCountsInRange, type SloRangeQuery } from './queries/slo-range.js';
