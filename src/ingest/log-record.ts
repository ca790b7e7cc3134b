// Building and validating one LogRecord, shared by the protobuf and JSON log decoders.
import { emptyLogRecord, type LogRecord } from '../model/index.js';
import { attributeViolation } from './attributes.js';
import { MAX_TIME_MS, timeViolation } from './request-bounds.js';
import { liftLogConventions } from './semconv.js';
import { ZERO_SPAN, ZERO_TRACE } from './span-record.js';
import { placeUnder, type ItemRules, type ItemScope, type SignalContext } from './signal-items.js';

/** Validates a decoded log record and lifts its conventions; false (and logged) if rejected. */
export function finishLog(log: LogRecord, { limits, conventions, rejections }: SignalContext<LogRecord>): boolean {
  // OTLP: a record without time_unix_nano is judged and stored at its observed time.
  if (log.timeMs === 0) log.timeMs = log.observedTimeMs;
  const problem =
    timeViolation(
      log.timeMs,
      log.timeMs === log.observedTimeMs ? 'log record time (time_unix_nano, else observed_time_unix_nano)' : 'log record time_unix_nano',
    ) ??
    (log.observedTimeMs >= MAX_TIME_MS ? 'log record observed_time_unix_nano is after 2100-01-01' : undefined) ??
    (log.severityText.length > limits.maxNameLength
      ? `log record severity_text is ${log.severityText.length} characters long, over the limit ingest.maxNameLength=${limits.maxNameLength}`
      : undefined) ??
    (log.traceId.length !== 0 && log.traceId.length !== 32 ? `log record trace_id must be empty or 16 bytes (got ${log.traceId.length / 2})` : undefined) ??
    (log.spanId.length !== 0 && log.spanId.length !== 16 ? `log record span_id must be empty or 8 bytes (got ${log.spanId.length / 2})` : undefined) ??
    (log.severityNumber < 0 || log.severityNumber > 24 ? `log record severity_number must be 0..24 (got ${log.severityNumber})` : undefined) ??
    (log.body.length > limits.maxAttributeValueLength
      ? `log record body is ${log.body.length} characters long, over the limit ingest.maxAttributeValueLength=${limits.maxAttributeValueLength}`
      : undefined) ??
    attributeViolation(log.attributes, limits, 'log record');
  if (problem) {
    rejections.reject(problem);
    return false;
  }
  if (log.traceId === ZERO_TRACE) log.traceId = '';
  if (log.spanId === ZERO_SPAN) log.spanId = '';
  liftLogConventions(log, conventions);
  return true;
}

export const LOG_RECORDS: ItemRules<LogRecord, ItemScope> = {
  singular: 'log record',
  plural: 'log records',
  empty: (scope) => placeUnder(emptyLogRecord(), scope),
  finish: finishLog,
};
