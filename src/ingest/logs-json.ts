// The OTLP/JSON decoder for ExportLogsServiceRequest: same records and validation as the
// protobuf path (log-record.ts).
import { plainToAttribute } from './attributes.js';
import { ItemLimitError } from './errors.js';
import {
  anyValueToPlain,
  arrayField,
  attributesField,
  enumField,
  idField,
  nanosField,
  objectsOf,
  resourceAttributes,
  scopeName,
  stringField,
  type JsonObject,
} from './json-values.js';
import { emptyLog, finishLog } from './log-record.js';
import type { LogsContext } from './logs-protobuf.js';
import { resourceIdentity } from './semconv.js';

const SEVERITY_NAMES = [
  'SEVERITY_NUMBER_UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((l) => [l, `${l}2`, `${l}3`, `${l}4`].map((n) => `SEVERITY_NUMBER_${n}`)),
];

export function decodeLogsJson(request: JsonObject, ctx: LogsContext): void {
  const resourceLogs = objectsOf(arrayField(request, 'resourceLogs', 'resource_logs', 'request'), 'resourceLogs');
  resourceLogs.forEach((rl, i) => {
    const where = `resourceLogs[${i}]`;
    const warn = (reason: string): void => ctx.rejections.warn(reason);
    const resourceAttrs = resourceAttributes(rl, where, ctx.limits, warn);
    const identity = resourceIdentity(resourceAttrs);
    objectsOf(arrayField(rl, 'scopeLogs', 'scope_logs', where), `${where}.scopeLogs`).forEach((sl, j) => {
      const at = `${where}.scopeLogs[${j}]`;
      const scope = scopeName(sl, at, ctx.limits, warn);
      objectsOf(arrayField(sl, 'logRecords', 'log_records', at), `${at}.logRecords`).forEach((l, k) => {
        if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
          ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} log records`);
          return;
        }
        const w = `${at}.logRecords[${k}]`;
        const log = emptyLog(identity, resourceAttrs, scope);
        log.timeMs = nanosField(l, 'timeUnixNano', 'time_unix_nano', w);
        log.observedTimeMs = nanosField(l, 'observedTimeUnixNano', 'observed_time_unix_nano', w);
        log.severityNumber = enumField(l, 'severityNumber', 'severity_number', SEVERITY_NAMES, w);
        log.severityText = stringField(l, 'severityText', 'severity_text', w);
        try {
          log.body = plainToAttribute(anyValueToPlain(l.body, `${w}.body`, ctx.limits));
          log.attributes = attributesField(l, 'attributes', undefined, w, ctx.limits);
        } catch (err) {
          if (!(err instanceof ItemLimitError)) throw err;
          ctx.rejections.reject(`log record rejected: ${err.message}`);
          return;
        }
        log.traceId = idField(l, 'traceId', 'trace_id', w);
        log.spanId = idField(l, 'spanId', 'span_id', w);
        if (finishLog(log, ctx.limits, ctx.conventions, ctx.rejections)) ctx.logs.push(log);
      });
    });
  });
}
