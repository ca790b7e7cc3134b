// The fast protobuf decoder for ExportLogsServiceRequest: one pass over the wire format straight
// into LogRecord rows (the log ingest hot path).
import type { Attributes, LogRecord, ResourceIdentity } from '../model/index.js';
import { plainToAttribute, type RejectionLog } from './attributes.js';
import type { IngestLimits } from './limits.js';
import { emptyLog, finishLog } from './log-record.js';
import { resourceIdentity, type ConventionOptions } from './semconv.js';
import { WIRE_LEN, WireReader } from './wire.js';
import { readAnyValue, readKeyValueInto, readResource, readScopeName } from './wire-values.js';

const LEN = WIRE_LEN;
const tagOf = (field: number, wt: number): number => (field << 3) | wt;

export interface LogsContext {
  limits: IngestLimits;
  conventions: ConventionOptions;
  rejections: RejectionLog;
  logs: LogRecord[];
  seen: number;
}

export function decodeLogsProtobuf(buf: Buffer, ctx: LogsContext): void {
  const r = new WireReader(buf);
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) readResourceLogs(r, r.lengthEnd(), ctx);
    else r.skip(tag & 7);
  }
}

function readResourceLogs(r: WireReader, end: number, ctx: LogsContext): void {
  let resourceAttrs: Attributes = {};
  const scopes: Array<[number, number]> = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) resourceAttrs = readResource(r, r.lengthEnd());
    else if (tag === tagOf(2, LEN)) {
      const e = r.lengthEnd();
      scopes.push([r.pos, e]);
      r.pos = e;
    } else r.skip(tag & 7);
  }
  const identity = resourceIdentity(resourceAttrs);
  for (const [start, e] of scopes) {
    r.pos = start;
    readScopeLogs(r, e, identity, resourceAttrs, ctx);
  }
  r.pos = end;
}

function readScopeLogs(r: WireReader, end: number, identity: ResourceIdentity, resourceAttrs: Attributes, ctx: LogsContext): void {
  let scopeName = '';
  const records: Array<[number, number]> = [];
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) scopeName = readScopeName(r, r.lengthEnd());
    else if (tag === tagOf(2, LEN)) {
      const e = r.lengthEnd();
      records.push([r.pos, e]);
      r.pos = e;
    } else r.skip(tag & 7);
  }
  for (const [start, e] of records) {
    if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
      ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} log records`);
      continue;
    }
    r.pos = start;
    const log = emptyLog(identity, resourceAttrs, scopeName);
    readLogRecord(r, e, log);
    if (finishLog(log, ctx.limits, ctx.conventions, ctx.rejections)) ctx.logs.push(log);
  }
  r.pos = end;
}

function readLogRecord(r: WireReader, end: number, log: LogRecord): void {
  while (r.pos < end) {
    const tag = r.uint32();
    switch (tag) {
      case tagOf(1, 1):
        log.timeMs = r.nanosMs();
        break;
      case tagOf(11, 1):
        log.observedTimeMs = r.nanosMs();
        break;
      case tagOf(2, 0):
        log.severityNumber = r.uint32() | 0;
        break;
      case tagOf(3, LEN):
        log.severityText = r.string();
        break;
      case tagOf(5, LEN):
        log.body = plainToAttribute(readAnyValue(r, r.lengthEnd()));
        break;
      case tagOf(6, LEN):
        readKeyValueInto(r, r.lengthEnd(), log.attributes);
        break;
      case tagOf(9, LEN):
        log.traceId = r.hex();
        break;
      case tagOf(10, LEN):
        log.spanId = r.hex();
        break;
      default:
        r.skip(tag & 7);
    }
  }
  if (r.pos !== end) r.truncated();
}
