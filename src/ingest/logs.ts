// decodeLogs: an OTLP ExportLogsServiceRequest (protobuf bytes or JSON) → LogRecord rows plus the
// rejected count and reasons for the partial-success answer. Pure: no I/O, no clock.
import type { LogRecord } from '../model/index.js';
import type { IngestLimits } from './limits.js';
import { LOG_RECORDS } from './log-record.js';
import { decodeLogsJson } from './logs-json.js';
import { decodeLogsProtobuf } from './logs-protobuf.js';
import type { ConventionOptions } from './semconv.js';
import { decodeSignal, type SignalDecoder } from './signal-decode.js';
import type { DecodedLogs, OtlpEncoding } from './types.js';

const LOGS: SignalDecoder<LogRecord> = { plural: LOG_RECORDS.plural, timeOf: (l) => l.timeMs, protobuf: decodeLogsProtobuf, json: decodeLogsJson };

/** Decodes a logs export request; throws OtlpDecodeError when the body is malformed. */
export function decodeLogs(body: unknown, encoding: OtlpEncoding, limits?: IngestLimits, conventions?: ConventionOptions): DecodedLogs {
  const { items, rejected } = decodeSignal(LOGS, body, encoding, limits, conventions);
  return { logs: items, rejected };
}
