// The ClickHouse schema as ordered migrations. A data directory records which ones it has, so a
// newer Vigil upgrades an older directory in place. Never edit a shipped migration: add one.
//
// Choices: ordering keys follow the explore queries (per service then time); trace lookups go
// through a small trace_id → time-range table filled by a materialized view; logs carry a token
// bloom filter for full-text search; RED per minute is kept as a rollup so dashboards and
// incident context do not rescan raw spans.

export interface Migration {
  id: number;
  name: string;
  statements: (db: string) => string[];
}

const attrMaps = `
    resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),
    attributes Map(LowCardinality(String), String) CODEC(ZSTD(1)),`;

const identity = `
    service LowCardinality(String),
    service_version LowCardinality(String),
    environment LowCardinality(String),`;

/** Blocks per table whose deduplication token the engine remembers (migration 3). */
export const deduplicationWindow = 1000;

export const migrations: Migration[] = [
  {
    id: 1,
    name: 'telemetry tables',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.spans (
        start_time DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
        trace_id String CODEC(ZSTD(1)),
        span_id String CODEC(ZSTD(1)),
        parent_span_id String CODEC(ZSTD(1)),
        name LowCardinality(String),
        kind LowCardinality(String),
        duration_ms Float64,
        status_code LowCardinality(String),
        status_message String CODEC(ZSTD(1)),
        scope_name LowCardinality(String),${identity}
        http_method LowCardinality(String),
        http_route LowCardinality(String),
        http_status_code UInt16,
        db_system LowCardinality(String),
        db_namespace LowCardinality(String),
        db_operation LowCardinality(String),
        peer_service LowCardinality(String),
        user_id String CODEC(ZSTD(1)),
        exception_type LowCardinality(String),
        exception_message String CODEC(ZSTD(1)),
        exception_stacktrace String CODEC(ZSTD(3)),${attrMaps}
        events String CODEC(ZSTD(3)),
        links String CODEC(ZSTD(3)),
        INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
        INDEX idx_user user_id TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX idx_attr_keys mapKeys(attributes) TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX idx_attr_values mapValues(attributes) TYPE bloom_filter(0.01) GRANULARITY 4,
        INDEX idx_duration duration_ms TYPE minmax GRANULARITY 1
      ) ENGINE = MergeTree
      PARTITION BY toDate(start_time)
      ORDER BY (service, kind, name, start_time)
      SETTINGS ttl_only_drop_parts = 1`,
      `CREATE TABLE IF NOT EXISTS ${db}.trace_index (
        trace_id String,
        start AggregateFunction(min, DateTime64(6, 'UTC')),
        end AggregateFunction(max, DateTime64(6, 'UTC'))
      ) ENGINE = AggregatingMergeTree
      ORDER BY trace_id`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.trace_index_mv TO ${db}.trace_index AS
        SELECT trace_id, minState(start_time) AS start, maxState(start_time) AS end
        FROM ${db}.spans GROUP BY trace_id`,
      `CREATE TABLE IF NOT EXISTS ${db}.logs (
        time DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
        observed_time DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),${identity}
        severity_number UInt8,
        severity_text LowCardinality(String),
        body String CODEC(ZSTD(1)),
        trace_id String CODEC(ZSTD(1)),
        span_id String CODEC(ZSTD(1)),
        scope_name LowCardinality(String),
        user_id String CODEC(ZSTD(1)),
        exception_type LowCardinality(String),
        exception_message String CODEC(ZSTD(1)),
        exception_stacktrace String CODEC(ZSTD(3)),${attrMaps}
        INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
        INDEX idx_body lower(body) TYPE tokenbf_v1(32768, 3, 0) GRANULARITY 1,
        INDEX idx_attr_values mapValues(attributes) TYPE bloom_filter(0.01) GRANULARITY 4
      ) ENGINE = MergeTree
      PARTITION BY toDate(time)
      ORDER BY (service, time)
      SETTINGS ttl_only_drop_parts = 1`,
      `CREATE TABLE IF NOT EXISTS ${db}.metric_points (
        name LowCardinality(String),
        description String CODEC(ZSTD(1)),
        unit LowCardinality(String),
        type LowCardinality(String),
        temporality LowCardinality(String),
        is_monotonic Bool,${identity}
        time DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),
        start_time DateTime64(6, 'UTC') CODEC(Delta, ZSTD(1)),${attrMaps}
        value Float64,
        count UInt64,
        sum Float64,
        min Nullable(Float64),
        max Nullable(Float64),
        bucket_counts Array(UInt64),
        explicit_bounds Array(Float64),
        exp_scale Int32,
        exp_zero_count UInt64,
        exp_positive_offset Int32,
        exp_positive_counts Array(UInt64),
        exp_negative_offset Int32,
        exp_negative_counts Array(UInt64),
        quantiles Array(Tuple(quantile Float64, value Float64))
      ) ENGINE = MergeTree
      PARTITION BY toDate(time)
      ORDER BY (name, service, time)
      SETTINGS ttl_only_drop_parts = 1`,
      `CREATE TABLE IF NOT EXISTS ${db}.red_1m (
        minute DateTime('UTC'),
        service LowCardinality(String),
        route LowCardinality(String),
        service_version LowCardinality(String),
        requests SimpleAggregateFunction(sum, UInt64),
        errors SimpleAggregateFunction(sum, UInt64),
        duration AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64)
      ) ENGINE = AggregatingMergeTree
      PARTITION BY toDate(minute)
      ORDER BY (service, route, service_version, minute)`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.red_1m_mv TO ${db}.red_1m AS
        SELECT toStartOfMinute(start_time) AS minute, service,
          if(http_route != '', http_route, name) AS route, service_version,
          count() AS requests,
          countIf(status_code = 'error' OR http_status_code >= 500) AS errors,
          quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms) AS duration
        FROM ${db}.spans WHERE kind IN ('server', 'consumer')
        GROUP BY minute, service, route, service_version`,
    ],
  },
  {
    id: 2,
    name: 'changes, signals, incidents, engine state, keys',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.changes (
        id String,
        service LowCardinality(String),
        kind LowCardinality(String),
        time DateTime64(6, 'UTC'),
        version String,
        previous_version String,
        environment LowCardinality(String),
        commit String,
        description String,
        source LowCardinality(String),
        attributes Map(String, String)
      ) ENGINE = ReplacingMergeTree
      ORDER BY (id)`,
      `CREATE TABLE IF NOT EXISTS ${db}.signals (
        id String,
        key String,
        kind LowCardinality(String),
        status LowCardinality(String),
        service LowCardinality(String),
        started_at DateTime64(6, 'UTC'),
        updated_at DateTime64(6, 'UTC'),
        body String CODEC(ZSTD(3))
      ) ENGINE = ReplacingMergeTree(updated_at)
      ORDER BY (id)`,
      `CREATE TABLE IF NOT EXISTS ${db}.incidents (
        id String,
        revision UInt64,
        status LowCardinality(String),
        started_at DateTime64(6, 'UTC'),
        body String CODEC(ZSTD(3))
      ) ENGINE = ReplacingMergeTree(revision)
      ORDER BY (id)`,
      `CREATE TABLE IF NOT EXISTS ${db}.incident_timeline (
        incident_id String,
        at DateTime64(6, 'UTC'),
        seq UInt64,
        kind LowCardinality(String),
        text String,
        actor String,
        data String
      ) ENGINE = ReplacingMergeTree
      ORDER BY (incident_id, seq)`,
      `CREATE TABLE IF NOT EXISTS ${db}.engine_state (
        name String,
        saved_at UInt64,
        body String CODEC(ZSTD(3))
      ) ENGINE = ReplacingMergeTree(saved_at)
      ORDER BY (name)`,
      `CREATE TABLE IF NOT EXISTS ${db}.api_keys (
        id String,
        name String,
        hash String,
        scopes Array(LowCardinality(String)),
        created_at DateTime64(3, 'UTC'),
        revoked_at Nullable(DateTime64(3, 'UTC')),
        version UInt64
      ) ENGINE = ReplacingMergeTree(version)
      ORDER BY (id)`,
    ],
  },
  {
    id: 3,
    // The WAL's inserter tags each insert with a token derived from its log range; the engine keeps
    // the tokens of the last 1000 blocks per table and drops a block whose token it has seen, so a
    // range replayed after a crash is counted once. The rollups fed by materialized views need the
    // window too: with deduplicate_blocks_in_dependent_materialized_views their blocks are judged
    // on their own, so a view block that did not land before the crash still lands on replay.
    // Caveat: an insert WITHOUT a token into these tables is deduplicated by a hash of its data, so
    // inserting the very same rows twice keeps them once (the WAL always sends a token).
    name: 'insert deduplication for telemetry and its rollups',
    statements: (db) =>
      ['spans', 'logs', 'metric_points', 'trace_index', 'red_1m'].map(
        (t) => `ALTER TABLE ${db}.${t} MODIFY SETTING non_replicated_deduplication_window = ${deduplicationWindow}`,
      ),
  },
  {
    id: 4,
    // Who did what: key management, incident actions, recorded changes, refused attempts on them,
    // configuration loads. Append-only, no TTL (an audit trail that ages out is no audit trail).
    name: 'audit log',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.audit_log (
        time DateTime64(3, 'UTC'),
        id String,
        key_id String,
        key_name String,
        action LowCardinality(String),
        target String,
        status UInt16,
        ip String,
        details String
      ) ENGINE = MergeTree
      ORDER BY (time, id)`,
    ],
  },
  {
    id: 5,
    // Synthetic check runs: one row per run, its steps and assertions as JSON (read back whole).
    name: 'synthetic check runs',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.check_runs (
        name LowCardinality(String),
        kind LowCardinality(String),
        time DateTime64(3, 'UTC'),
        ok Bool,
        duration_ms Float64,
        error String,
        trace_id String,
        steps String CODEC(ZSTD(3)),
        details String
      ) ENGINE = MergeTree
      PARTITION BY toYYYYMM(time)
      ORDER BY (name, time)
      TTL toDateTime(time) + INTERVAL 90 DAY`,
    ],
  },
  {
    id: 6,
    // Learning from incidents: action items (latest version wins), the team's edits to review
    // sections (kept across regeneration), and support tickets from help desks. No TTL: reports
    // look back over months, and the rows are few.
    name: 'action items, review edits, support tickets',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.action_items (
        id String,
        incident_id String,
        title String,
        owner String,
        due Nullable(DateTime64(3, 'UTC')),
        status LowCardinality(String),
        created_at DateTime64(3, 'UTC'),
        done_at Nullable(DateTime64(3, 'UTC')),
        version UInt64
      ) ENGINE = ReplacingMergeTree(version)
      ORDER BY (id)`,
      `CREATE TABLE IF NOT EXISTS ${db}.review_edits (
        incident_id String,
        section LowCardinality(String),
        text String CODEC(ZSTD(3)),
        author String,
        at DateTime64(3, 'UTC'),
        version UInt64
      ) ENGINE = ReplacingMergeTree(version)
      ORDER BY (incident_id, section)`,
      `CREATE TABLE IF NOT EXISTS ${db}.tickets (
        source LowCardinality(String),
        id String,
        time DateTime64(3, 'UTC'),
        title String,
        body String CODEC(ZSTD(3)),
        service LowCardinality(String),
        customer String,
        received_at DateTime64(3, 'UTC'),
        INDEX idx_time time TYPE minmax GRANULARITY 1
      ) ENGINE = ReplacingMergeTree(received_at)
      ORDER BY (source, id)`,
    ],
  },
  {
    id: 7,
    // Operator-made objects that change by whole versions (latest version wins, a tombstone
    // deletes): silences, alert rules made through the API, and stakeholder updates (drafts and
    // posted ones, kept for the status page). The body is the object as JSON; rows are few.
    name: 'silences, alert rules, stakeholder updates',
    statements: (db) =>
      ['silences', 'alert_rules', 'stakeholder_updates'].map(
        (table) => `CREATE TABLE IF NOT EXISTS ${db}.${table} (
        id String,
        version UInt64,
        deleted Bool,
        body String CODEC(ZSTD(3))
      ) ENGINE = ReplacingMergeTree(version)
      ORDER BY (id)`,
      ),
  },
  {
    id: 8,
    // Web UI sessions, so a restart does not sign everyone out: the SHA-256 of the session id (the
    // cookie's value is never stored), the hash of the key it stands for (revoking the key ends it),
    // and its wall-clock expiry. Written once at login, deleted at logout; expired rows are purged.
    name: 'ui sessions',
    statements: (db) => [
      `CREATE TABLE IF NOT EXISTS ${db}.ui_sessions (
        id_hash String,
        key_hash String,
        expires_at DateTime64(3, 'UTC')
      ) ENGINE = MergeTree
      ORDER BY (id_hash)`,
    ],
  },
  {
    id: 9,
    // The minute rollup learns the HTTP method, so an SLO on "POST /pay" counts POSTs only over any
    // range, and it counts a failure exactly as the live SLO engine and the detectors do (an error
    // status, or a 5xx on a server span; a consumer's HTTP status is not its own). Rows rolled up
    // before this keep an empty method. Both statements are safe to run twice.
    name: 'method in the minute rollup',
    statements: (db) => [
      `ALTER TABLE ${db}.red_1m ADD COLUMN IF NOT EXISTS http_method LowCardinality(String) AFTER route,
        MODIFY ORDER BY (service, route, service_version, minute, http_method)`,
      `DROP VIEW IF EXISTS ${db}.red_1m_mv`,
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.red_1m_mv TO ${db}.red_1m AS
        SELECT toStartOfMinute(start_time) AS minute, service,
          if(http_route != '', http_route, name) AS route, http_method, service_version,
          count() AS requests,
          countIf(status_code = 'error' OR (kind = 'server' AND http_status_code >= 500)) AS errors,
          quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms) AS duration
        FROM ${db}.spans WHERE kind IN ('server', 'consumer')
        GROUP BY minute, service, route, http_method, service_version`,
    ],
  },
];

/** Tables whose rows age out, with the time column the TTL is measured on. */
export const retentionTables = [
  { table: 'spans', column: 'start_time', setting: 'spansDays' },
  { table: 'logs', column: 'time', setting: 'logsDays' },
  { table: 'metric_points', column: 'time', setting: 'metricsDays' },
  { table: 'red_1m', column: 'minute', setting: 'rollupDays' },
] as const;

export interface RetentionDays {
  spansDays: number;
  logsDays: number;
  metricsDays: number;
  rollupDays: number;
}
