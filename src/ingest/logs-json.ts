// The OTLP/JSON decoder for ExportLogsServiceRequest: same records and validation as the
// protobuf path (log-record.ts).
import type { LogRecord } from '../model/index.js';
import { plainToAttribute } from './attributes.js';
import { anyValueToPlain, attributesField, enumField, idField, nanosField, stringField, type JsonObject } from './json-values.js';
import { walkJsonRequest, type JsonItemKind } from './json-resources.js';
import { LOG_RECORDS } from './log-record.js';
import { takeItem, type SignalContext } from './signal-items.js';

const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((l) => [l, `${l}2`, `${l}3`, `${l}4`].map((n) => `SEVERITY_NUMBER_${n}`)),
];

const JSON_LOG_RECORDS: JsonItemKind<LogRecord> = {
  ...LOG_RECORDS,
  read(l, w, log, limits) {
    log.timeMs = nanosField(l, 'timeUnixNano', 'time_unix_nano', w);
    log.observedTimeMs = nanosField(l, 'observedTimeUnixNano', 'observed_time_unix_nano', w);
    log.severityNumber = enumField(l, 'severityNumber', 'severity_number', SEVERITY_NAMES, w);
    log.severityText = stringField(l, 'severityText', 'severity_text', w);
    log.body = plainToAttribute(anyValueToPlain(l.body, `${w}.body`, limits));
    log.attributes = attributesField(l, 'attributes', undefined, w, limits);
    log.traceId = idField(l, 'traceId', 'trace_id', w);
    log.spanId = idField(l, 'spanId', 'span_id', w);
  },
};

export function decodeLogsJson(request: JsonObject, ctx: SignalContext<LogRecord>): void {
  walkJsonRequest(
    request,
    { resources: ['resourceLogs', 'resource_logs'], scopes: ['scopeLogs', 'scope_logs'], items: ['logRecords', 'log_records'] },
    ctx,
    (l, w, scope) => takeItem(JSON_LOG_RECORDS, ctx, l, w, scope),
  );
}
