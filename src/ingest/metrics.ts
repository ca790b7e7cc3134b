// decodeMetrics: an OTLP ExportMetricsServiceRequest (protobuf bytes or JSON) → MetricPoint rows
// plus rejected counts. Protobuf is decoded reflectively into the JSON mapping's shape (longs as
// decimal strings, so no precision is lost) and then read by the same code as JSON.
import { RejectionLog } from './attributes.js';
import { boundAmplification, rejectFarAhead } from './request-bounds.js';
import { OtlpDecodeError } from './errors.js';
import { isObject, parseJsonRequest, type JsonObject } from './json-values.js';
import { defaultIngestLimits, type IngestLimits } from './limits.js';
import { decodeMetricsShape, type MetricsContext } from './metric-points.js';
import { otlpTypes } from './proto/root.js';
import type { DecodedMetrics, OtlpEncoding } from './types.js';
import { asBuffer, bodyBytes } from './wire.js';

function protobufToShape(buf: Buffer): JsonObject {
  let message;
  try {
    message = otlpTypes.metricsRequest.decode(buf);
  } catch (err) {
    // protobufjs decodes nested AnyValues recursively: a deep one ends its recursion this way.
    if (err instanceof RangeError && /call stack/.test(err.message))
      throw new OtlpDecodeError('protobuf body nests too deeply: AnyValues may nest at most ingest.maxAnyValueDepth levels');
    throw new OtlpDecodeError(`protobuf body is not an ExportMetricsServiceRequest: ${(err as Error).message}`);
  }
  const shape: unknown = otlpTypes.metricsRequest.toObject(message, { longs: String, enums: Number, bytes: String, defaults: false });
  if (!isObject(shape)) throw new OtlpDecodeError('protobuf body is not an ExportMetricsServiceRequest');
  return shape;
}

/** Decodes a metrics export request; throws OtlpDecodeError when the body is malformed. */
export function decodeMetrics(body: unknown, encoding: OtlpEncoding, limits: IngestLimits = defaultIngestLimits): DecodedMetrics {
  const rejections = new RejectionLog();
  const ctx: MetricsContext = { limits, rejections, metrics: [], seen: 0 };
  decodeMetricsShape(encoding === 'protobuf' ? protobufToShape(asBuffer(body)) : parseJsonRequest(body), ctx);
  const metrics = boundAmplification(
    rejectFarAhead(ctx.metrics, (m) => m.timeMs, rejections, 'data points'),
    bodyBytes(body),
    limits,
    rejections,
    'data points',
  );
  return { metrics, rejected: rejections.toJSON() };
}
