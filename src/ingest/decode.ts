// One entry point over the three decoders, used by both receivers: signal + body → batch + rejections.
import { decodeLogs } from './logs.js';
import type { IngestLimits } from './limits.js';
import { decodeMetrics } from './metrics.js';
import type { ConventionOptions } from './semconv.js';
import { decodeTraces } from './traces.js';
import type { OtlpEncoding, OtlpSignal, Rejections, TelemetryBatch } from './types.js';

export interface DecodedRequest {
  batch: TelemetryBatch;
  accepted: number;
  rejected: Rejections;
}

/** Throws OtlpDecodeError when the body is malformed. */
export function decodeRequest(signal: OtlpSignal, body: Buffer, encoding: OtlpEncoding, limits: IngestLimits, conventions?: ConventionOptions): DecodedRequest {
  if (signal === 'traces') {
    const { spans, rejected } = decodeTraces(body, encoding, limits, conventions);
    return { batch: { spans, logs: [], metrics: [] }, accepted: spans.length, rejected };
  }
  if (signal === 'logs') {
    const { logs, rejected } = decodeLogs(body, encoding, limits, conventions);
    return { batch: { spans: [], logs, metrics: [] }, accepted: logs.length, rejected };
  }
  const { metrics, rejected } = decodeMetrics(body, encoding, limits);
  return { batch: { spans: [], logs: [], metrics }, accepted: metrics.length, rejected };
}
