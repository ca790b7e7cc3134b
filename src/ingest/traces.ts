// decodeTraces: an OTLP ExportTraceServiceRequest (protobuf bytes or JSON) → Span records plus the
// rejected count and reasons for the partial-success answer. Pure: no I/O, no clock.
import type { Span } from '../model/index.js';
import type { IngestLimits } from './limits.js';
import type { ConventionOptions } from './semconv.js';
import { decodeSignal, type SignalDecoder } from './signal-decode.js';
import { SPANS } from './span-record.js';
import { decodeTracesJson } from './traces-json.js';
import { decodeTracesProtobuf } from './traces-protobuf.js';
import type { DecodedTraces, OtlpEncoding } from './types.js';

const TRACES: SignalDecoder<Span> = { plural: SPANS.plural, timeOf: (s) => s.startTimeMs, protobuf: decodeTracesProtobuf, json: decodeTracesJson };

/** Decodes a trace export request; throws OtlpDecodeError when the body is malformed. */
export function decodeTraces(body: unknown, encoding: OtlpEncoding, limits?: IngestLimits, conventions?: ConventionOptions): DecodedTraces {
  const { items, rejected } = decodeSignal(TRACES, body, encoding, limits, conventions);
  return { spans: items, rejected };
}
