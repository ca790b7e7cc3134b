// What the OTLP/HTTP and OTLP/gRPC receivers share once a body is in hand: their common options and
// the export itself (decode, store, count, answer). Each receiver keeps only its transport's
// framing, limits on reading and mapping of errors to statuses.
import { decodeRequest } from './decode.js';
import type { InFlightBytes } from './in-flight.js';
import type { IngestLimits } from './limits.js';
import { encodeExportResponse } from './responses.js';
import type { ConventionOptions } from './semconv.js';
import type { Authenticate, DecodeCounts, IngestErrorLog, IngestSink, OtlpEncoding, OtlpSignal } from './types.js';

export interface OtlpReceiverOptions {
  sink: IngestSink;
  limits: IngestLimits;
  /** Bytes being read and decoded now, shared by the HTTP and gRPC receivers. */
  inFlight: InFlightBytes;
  authenticate: Authenticate;
  /** Called after each decoded request (metrics, logs). */
  onDecoded?: (signal: OtlpSignal, counts: DecodeCounts) => void;
  conventions?: ConventionOptions;
  /** Unexpected failures (answered 500, or INTERNAL over gRPC) are reported here. */
  log?: IngestErrorLog;
}

/**
 * Decodes an export request, hands its batch to the sink (acknowledged only once stored) and
 * returns the answer in `encoding`. Throws OtlpDecodeError for a malformed body and what the sink
 * throws, IngestOverloadedError when it is full.
 */
export async function exportRequest(signal: OtlpSignal, body: Buffer, encoding: OtlpEncoding, opts: OtlpReceiverOptions): Promise<Buffer> {
  const decoded = decodeRequest(signal, body, encoding, opts.limits, opts.conventions);
  if (decoded.accepted > 0) await opts.sink.accept(decoded.batch);
  opts.onDecoded?.(signal, { accepted: decoded.accepted, rejected: decoded.rejected.count });
  return encodeExportResponse(signal, decoded.rejected, encoding);
}
