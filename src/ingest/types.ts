// The ingest module's contracts with the rest of Vigil: what a decoded request carries, the sink
// that stores it durably, and the key check the receivers run before reading a body.
import type { LogRecord, MetricPoint, Span } from '../model/index.js';

export interface TelemetryBatch {
  spans: Span[];
  logs: LogRecord[];
  metrics: MetricPoint[];
}

/** Stores a batch; resolves only once it is durable. May reject with IngestOverloadedError. */
export interface IngestSink {
  accept(batch: TelemetryBatch): Promise<void>;
}

/** Where the receivers report failures they did not expect (a bug, a sink error): pino-shaped. */
export interface IngestErrorLog {
  error(details: { err: unknown; signal: OtlpSignal; transport: 'http' | 'grpc' }, message: string): void;
}

/** True if the `Authorization` header carries a bearer key with the ingest scope. */
export type Authenticate = (authorizationHeader: string | undefined) => Promise<boolean>;

export type OtlpSignal = 'traces' | 'logs' | 'metrics';
export type OtlpEncoding = 'protobuf' | 'json';

/** Items a request carried, and how many of them were rejected (with the reasons, for the sender). */
export interface DecodeCounts {
  accepted: number;
  rejected: number;
}

export interface Rejections {
  count: number;
  /** Distinct reasons, first ones first: they go back to the sender in partialSuccess.errorMessage. */
  reasons: string[];
}

export interface DecodedTraces {
  spans: Span[];
  rejected: Rejections;
}
export interface DecodedLogs {
  logs: LogRecord[];
  rejected: Rejections;
}
export interface DecodedMetrics {
  metrics: MetricPoint[];
  rejected: Rejections;
}
