// The fast protobuf decoder for ExportLogsServiceRequest: one pass over the wire format straight
// into LogRecord rows (the log ingest hot path).
import type { LogRecord } from '../model/index.js';
import { plainToAttribute } from './attributes.js';
import { LOG_RECORDS } from './log-record.js';
import type { SignalContext } from './signal-items.js';
import { decodeWireRequest, type WireItemKind } from './wire-resources.js';
import type { WireReader } from './wire.js';
import { tagOf, WIRE_LEN } from './wire.js';
import { readAnyValue, readKeyValueInto, type ValueLimits } from './wire-values.js';

const LEN = WIRE_LEN;

const WIRE_LOG_RECORDS: WireItemKind<LogRecord> = { ...LOG_RECORDS, read: readLogRecord };

export function decodeLogsProtobuf(buf: Buffer, ctx: SignalContext<LogRecord>): void {
  decodeWireRequest(buf, WIRE_LOG_RECORDS, ctx);
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
