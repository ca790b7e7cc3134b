// decodeMetrics: an OTLP ExportMetricsServiceRequest (protobuf bytes or JSON) → MetricPoint rows
// plus rejected counts. Protobuf is decoded reflectively into the JSON mapping's shape (longs as
// decimal strings, so no precision is lost) and then read by the same code as JSON.
import type { MetricPoint } from '../model/index.js';
import { OtlpDecodeError } from './errors.js';
import { isObject, type JsonObject } from './json-values.js';
import type { IngestLimits } from './limits.js';
import { DATA_POINTS, decodeMetricsShape } from './metric-points.js';
import { otlpTypes } from './proto/root.js';
import { decodeSignal, type SignalDecoder } from './signal-decode.js';
import type { DecodedMetrics, OtlpEncoding } from './types.js';

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

const METRICS: SignalDecoder<MetricPoint> = {
  plural: DATA_POINTS.plural,
  timeOf: (m) => m.timeMs,
  protobuf: (buf, ctx) => decodeMetricsShape(protobufToShape(buf), ctx),
  json: decodeMetricsShape,
};

/** Decodes a metrics export request; throws OtlpDecodeError when the body is malformed. */
export function decodeMetrics(body: unknown, encoding: OtlpEncoding, limits?: IngestLimits): DecodedMetrics {
  // Metrics carry no conventions to lift.
  const { items, rejected } = decodeSignal(METRICS, body, encoding, limits);
  return { metrics: items, rejected };
}
