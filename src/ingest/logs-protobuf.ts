// The fast protobuf decoder for ExportLogsServiceRequest: one pass over the wire format straight
// into LogRecord rows (the log ingest hot path).
import type { Attributes, LogRecord, ResourceIdentity } from '../model/index.js';
import { plainToAttribute, trimScopeName, type RejectionLog } from './attributes.js';
import { ItemLimitError } from './errors.js';
import type { IngestLimits } from './limits.js';
import { emptyLog, finishLog } from './log-record.js';
import { resourceIdentity, type ConventionOptions } from './semconv.js';
import { WIRE_LEN, WireReader } from './wire.js';
import { readAnyValue, readKeyValueInto, readResource, readScopeName, type ValueLimits } from './wire-values.js';

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
  // As for spans: a resource written after its scopes is applied to the records afterwards.
  let resourceAttrs: Attributes = {};
  let identity = resourceIdentity(resourceAttrs);
  const first = ctx.logs.length;
  let late = false;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) {
      resourceAttrs = readResource(r, r.lengthEnd(), ctx.limits, (reason) => ctx.rejections.warn(reason));
      identity = resourceIdentity(resourceAttrs);
      late = ctx.logs.length > first;
    } else if (tag === tagOf(2, LEN)) readScopeLogs(r, r.lengthEnd(), identity, resourceAttrs, ctx);
    else r.skip(tag & 7);
  }
  if (late) {
    for (let i = first; i < ctx.logs.length; i++) {
      const log = ctx.logs[i]!;
      log.service = identity.service;
      log.serviceVersion = identity.serviceVersion;
      log.environment = identity.environment;
      log.resourceAttributes = resourceAttrs;
    }
  }
}

function readScopeLogs(r: WireReader, end: number, identity: ResourceIdentity, resourceAttrs: Attributes, ctx: LogsContext): void {
  let scopeName = '';
  const first = ctx.logs.length;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === tagOf(1, LEN)) {
      scopeName = trimScopeName(readScopeName(r, r.lengthEnd()), ctx.limits, (reason) => ctx.rejections.warn(reason));
      for (let i = first; i < ctx.logs.length; i++) ctx.logs[i]!.scopeName = scopeName;
    } else if (tag === tagOf(2, LEN)) {
      const e = r.lengthEnd();
      if (++ctx.seen > ctx.limits.maxItemsPerRequest) {
        ctx.rejections.reject(`request has more than ingest.maxItemsPerRequest=${ctx.limits.maxItemsPerRequest} log records`);
        r.pos = e;
        continue;
      }
      const log = emptyLog(identity, resourceAttrs, scopeName);
      try {
        readLogRecord(r, e, log, ctx.limits);
      } catch (err) {
        if (!(err instanceof ItemLimitError)) throw err;
        ctx.rejections.reject(`log record rejected: ${err.message}`);
        r.pos = e;
        continue;
      }
      if (finishLog(log, ctx.limits, ctx.conventions, ctx.rejections)) ctx.logs.push(log);
    } else r.skip(tag & 7);
  }
}

function readLogRecord(r: WireReader, end: number, log: LogRecord, limits: ValueLimits): void {
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
        log.body = plainToAttribute(readAnyValue(r, r.lengthEnd(), limits));
        break;
      case tagOf(6, LEN):
        readKeyValueInto(r, r.lengthEnd(), log.attributes, limits);
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
