// The ingest module's public surface: OTLP/HTTP and OTLP/gRPC receivers, the pure decoders, the
// sink contract, limits and the `ingest:` config schema. Other modules import only from here.
export type {
  Authenticate,
  DecodeCounts,
  IngestErrorLog,
  DecodedLogs,
  DecodedMetrics,
  DecodedTraces,
  IngestSink,
  OtlpEncoding,
  OtlpSignal,
  Rejections,
  TelemetryBatch,
} from './types.js';
export { IngestOverloadedError, OtlpDecodeError } from './errors.js';
export { defaultIngestLimits, ingestConfigSchema, type IngestConfig, type IngestLimits } from './limits.js';
export { decodeTraces } from './traces.js';
export { decodeLogs } from './logs.js';
export { decodeMetrics } from './metrics.js';
export { defaultConventions, type ConventionOptions } from './semconv.js';
export { InFlightBytes } from './in-flight.js';
export { registerOtlpHttpRoutes, type OtlpHttpOptions } from './http.js';
export { startOtlpGrpcServer, type OtlpGrpcOptions, type RunningOtlpGrpc } from './grpc.js';
