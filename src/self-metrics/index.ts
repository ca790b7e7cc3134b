// Vigil watching itself: Prometheus metrics about ingest, the write-ahead log, detection, incidents,
// notifications and the API, served at GET /metrics. Counters are bumped where things happen;
// queue depths and lags are read from their owners when scraped, so nothing is kept twice.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the scrape reads from the running components at that moment. */
export interface SelfMetricSources {
  writer(): {
    queuedRows: number;
    walBacklogRows: number;
    walBytes: number;
    walSegments: number;
    insertFailures: number;
    quarantinedInserts: number;
    rowsWritten: number;
  };
  /** Seconds the engines' clock is behind (wall: now; event: the newest event time seen). */
  detectionLagSeconds(): number;
  openIncidents(): number;
  /** Per notification channel: delivered and dead (given up) messages so far, pending now. */
  notifications(): Record<string, { type: string; delivered: number; dead: number; pending: number }>;
}

export type OtlpSignalName = 'traces' | 'metrics' | 'logs';

export class SelfMetrics {
  readonly registry = new Registry();
  private readonly ingestRows: Counter<'signal' | 'outcome'>;
  private readonly ingestRequests: Counter<'signal' | 'transport' | 'status'>;
  private readonly ingestBytes: Counter<'signal'>;
  private readonly apiSeconds: Histogram<'method' | 'route' | 'status'>;

  constructor(sources: SelfMetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'vigil_' });
    this.ingestRows = new Counter({
      name: 'vigil_ingest_rows_total',
      help: 'Spans, log records and metric points decoded from OTLP, by outcome (accepted, or refused with partial success).',
      labelNames: ['signal', 'outcome'],
      registers,
    });
    this.ingestRequests = new Counter({
      name: 'vigil_ingest_requests_total',
      help: 'OTLP export requests by signal, transport and answer (HTTP status, or ok for gRPC).',
      labelNames: ['signal', 'transport', 'status'],
      registers,
    });
    this.ingestBytes = new Counter({
      name: 'vigil_ingest_request_bytes_total',
      help: 'Bytes of OTLP/HTTP request bodies as sent (compressed when gzip).',
      labelNames: ['signal'],
      registers,
    });
    this.apiSeconds = new Histogram({
      name: 'vigil_api_request_duration_seconds',
      help: 'REST API latency by matched route and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    };
    gauge(
      'vigil_wal_queued_rows',
      'Rows acknowledged or being appended, not yet inserted (counts against storage.maxQueuedRows).',
      () => sources.writer().queuedRows,
    );
    gauge('vigil_wal_backlog_rows', 'Rows in the write-ahead log not yet inserted into the store.', () => sources.writer().walBacklogRows);
    gauge('vigil_wal_bytes', 'Bytes of write-ahead log segments on disk.', () => sources.writer().walBytes);
    gauge(
      'vigil_store_insert_failures',
      'Failed attempts at the insert at the head of the log (0 while inserts go through).',
      () => sources.writer().insertFailures,
    );
    gauge(
      'vigil_store_quarantined_inserts',
      'Per-table inserts the store refused for their data, moved to quarantine.',
      () => sources.writer().quarantinedInserts,
    );
    gauge('vigil_store_rows_written', 'Rows inserted into the store since start.', () => sources.writer().rowsWritten);
    gauge('vigil_detection_lag_seconds', "How far the engines' clock is behind now (wall clock) or the newest event time (event clock).", () =>
      sources.detectionLagSeconds(),
    );
    gauge('vigil_incidents_open', 'Incidents not resolved.', () => sources.openIncidents());
    const perChannel = (name: string, help: string, field: 'delivered' | 'dead' | 'pending'): void => {
      new Gauge({
        name,
        help,
        labelNames: ['channel', 'type'],
        registers,
        collect() {
          this.reset();
          for (const [channel, s] of Object.entries(sources.notifications())) this.set({ channel, type: s.type }, s[field]);
        },
      });
    };
    perChannel('vigil_notifications_delivered', 'Notification messages delivered per channel since the outbox began.', 'delivered');
    perChannel('vigil_notifications_failed', 'Notification messages given up on (dead) per channel.', 'dead');
    perChannel('vigil_notifications_pending', 'Notification messages waiting for delivery or retry per channel.', 'pending');
  }

  decoded(signal: OtlpSignalName, transport: 'http' | 'grpc', counts: { accepted: number; rejected: number }): void {
    this.ingestRows.inc({ signal, outcome: 'accepted' }, counts.accepted);
    if (counts.rejected) this.ingestRows.inc({ signal, outcome: 'refused' }, counts.rejected);
    if (transport === 'grpc') this.ingestRequests.inc({ signal, transport, status: 'ok' });
  }

  otlpHttpAnswered(signal: OtlpSignalName, status: number, bodyBytes: number): void {
    this.ingestRequests.inc({ signal, transport: 'http', status: String(status) });
    if (bodyBytes > 0) this.ingestBytes.inc({ signal }, bodyBytes);
  }

  apiAnswered(method: string, route: string, status: number, seconds: number): void {
    this.apiSeconds.observe({ method, route, status: String(status) }, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
export { degradedReasons, queueWarningShare, type HealthFacts, type MemoryStatus } from './health.js';
