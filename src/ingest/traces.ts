// decodeTraces: an OTLP ExportTraceServiceRequest (protobuf bytes or JSON) → Span records plus the
// rejected count and reasons for the partial-success answer. Pure: no I/O, no clock.
import type { Span } from '../model/index.js';
import { RejectionLog } from './attributes.js';
import { boundAmplification, rejectFarAhead } from './request-bounds.js';
import { parseJsonRequest } from './json-values.js';
import { defaultIngestLimits, type IngestLimits } from './limits.js';
import { defaultConventions, type ConventionOptions } from './semconv.js';
import { decodeTracesJson } from './traces-json.js';
import { decodeTracesProtobuf } from './traces-protobuf.js';
import { asBuffer, bodyBytes } from './wire.js';
import type { DecodedTraces, OtlpEncoding } from './types.js';

/** Decodes a trace export request; throws OtlpDecodeError when the body is malformed. */
export function decodeTraces(
  body: unknown,
  encoding: OtlpEncoding,
  limits: IngestLimits = defaultIngestLimits,
  conventions: ConventionOptions = defaultConventions,
): DecodedTraces {
  const rejections = new RejectionLog();
  const ctx: { limits: IngestLimits; conventions: ConventionOptions; rejections: RejectionLog; spans: Span[]; seen: number } = {
    limits,
    conventions,
    rejections,
    spans: [],
    seen: 0,
  };
  if (encoding === 'protobuf') decodeTracesProtobuf(asBuffer(body), ctx);
  else decodeTracesJson(parseJsonRequest(body), ctx);
  const spans = boundAmplification(
    rejectFarAhead(ctx.spans, (s) => s.startTimeMs, rejections, 'spans'),
    bodyBytes(body),
    limits,
    rejections,
    'spans',
  );
  return { spans, rejected: rejections.toJSON() };
}
