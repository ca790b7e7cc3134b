// decodeLogs: an OTLP ExportLogsServiceRequest (protobuf bytes or JSON) → LogRecord rows plus the
// rejected count and reasons for the partial-success answer. Pure: no I/O, no clock.
import { RejectionLog } from './attributes.js';
import { boundAmplification, rejectFarAhead } from './request-bounds.js';
import { parseJsonRequest } from './json-values.js';
import { defaultIngestLimits, type IngestLimits } from './limits.js';
import { decodeLogsJson } from './logs-json.js';
import { decodeLogsProtobuf, type LogsContext } from './logs-protobuf.js';
import { defaultConventions, type ConventionOptions } from './semconv.js';
import { asBuffer, bodyBytes } from './wire.js';
import type { DecodedLogs, OtlpEncoding } from './types.js';

/** Decodes a logs export request; throws OtlpDecodeError when the body is malformed. */
export function decodeLogs(
  body: unknown,
  encoding: OtlpEncoding,
  limits: IngestLimits = defaultIngestLimits,
  conventions: ConventionOptions = defaultConventions,
): DecodedLogs {
  const rejections = new RejectionLog();
  const ctx: LogsContext = { limits, conventions, rejections, logs: [], seen: 0 };
  if (encoding === 'protobuf') decodeLogsProtobuf(asBuffer(body), ctx);
  else decodeLogsJson(parseJsonRequest(body), ctx);
  const logs = boundAmplification(
    rejectFarAhead(ctx.logs, (l) => l.timeMs, rejections, 'log records'),
    bodyBytes(body),
    limits,
    rejections,
    'log records',
  );
  return { logs, rejected: rejections.toJSON() };
}
