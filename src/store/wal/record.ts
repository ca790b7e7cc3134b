// One write-ahead-log record: the insert payload of one group commit, per telemetry table its
// column list and JSONCompactEachRow body, framed with its length and a CRC32 so a torn or
// corrupt tail is recognised on recovery. Bodies are kept as written: an insert later is a
// concatenation of bodies, never a re-serialisation.
import { crc32 } from 'node:zlib';

export const telemetryTables = ['spans', 'logs', 'metric_points'] as const;
export type TelemetryTable = (typeof telemetryTables)[number];

/** Rows of one table in one record: the body holds one JSON array per row, newline-terminated. */
export interface TableChunk {
  table: TelemetryTable;
  rows: number;
  /** Column names in body order, comma-separated. */
  columns: string;
  body: Buffer;
  /** Earliest and latest day of the rows' partition column, when known at write (not logged). */
  days?: { min: number; max: number };
}

/** A record's bytes as a list of buffers (written with one writev, no concatenation). */
export interface EncodedRecord {
  parts: Buffer[];
  bytes: number;
}

const formatVersion = 1;
/** length (u32) + crc32 (u32) of the payload. */
export const frameHeaderBytes = 8;
/** Far above any record we write (a group is bounded by the writer's queue); guards against garbage lengths. */
const maxPayloadBytes = 1 << 30;

export function encodeRecord(chunks: readonly TableChunk[]): EncodedRecord {
  const used = chunks.filter((c) => c.rows > 0);
  const parts: Buffer[] = [];
  const head = Buffer.alloc(2);
  head.writeUInt8(formatVersion, 0);
  head.writeUInt8(used.length, 1);
  parts.push(head);
  for (const c of used) {
    const columns = Buffer.from(c.columns);
    const meta = Buffer.alloc(1 + 4 + 2 + columns.length + 4);
    let o = meta.writeUInt8(telemetryTables.indexOf(c.table), 0);
    o = meta.writeUInt32LE(c.rows, o);
    o = meta.writeUInt16LE(columns.length, o);
    o += columns.copy(meta, o);
    meta.writeUInt32LE(c.body.length, o);
    parts.push(meta, c.body);
  }
  let crc = 0;
  let length = 0;
  for (const p of parts) {
    crc = crc32(p, crc);
    length += p.length;
  }
  const frame = Buffer.alloc(frameHeaderBytes);
  frame.writeUInt32LE(length, 0);
  frame.writeUInt32LE(crc, 4);
  return { parts: [frame, ...parts], bytes: frameHeaderBytes + length };
}

export function decodePayload(payload: Buffer): TableChunk[] {
  if (payload.readUInt8(0) !== formatVersion) throw new Error(`unknown WAL record version ${payload.readUInt8(0)}`);
  const count = payload.readUInt8(1);
  const chunks: TableChunk[] = [];
  let o = 2;
  for (let i = 0; i < count; i++) {
    const table = telemetryTables[payload.readUInt8(o)];
    if (!table) throw new Error(`unknown WAL table id ${payload.readUInt8(o)}`);
    const rows = payload.readUInt32LE(o + 1);
    const columnsLength = payload.readUInt16LE(o + 5);
    o += 7;
    const columns = payload.toString('utf8', o, o + columnsLength);
    o += columnsLength;
    const bodyLength = payload.readUInt32LE(o);
    o += 4;
    if (o + bodyLength > payload.length) throw new Error('WAL record body overruns its frame');
    chunks.push({ table, rows, columns, body: payload.subarray(o, o + bodyLength) });
    o += bodyLength;
  }
  return chunks;
}

export interface ScannedRecord {
  start: number;
  end: number;
  chunks: TableChunk[];
}

export interface ScanResult {
  records: ScannedRecord[];
  /** Offset just past the last intact record: everything from here on is torn or corrupt. */
  validEnd: number;
  /** Why scanning stopped before the end of the buffer, if it did. */
  problem?: string;
}

/** Reads consecutive framed records from `from`, stopping at the first torn or corrupt one. */
export function scanRecords(data: Buffer, from = 0): ScanResult {
  const records: ScannedRecord[] = [];
  let o = from;
  while (o < data.length) {
    if (data.length - o < frameHeaderBytes) return { records, validEnd: o, problem: `torn frame header at offset ${o}` };
    const length = data.readUInt32LE(o);
    const crc = data.readUInt32LE(o + 4);
    if (length < 2 || length > maxPayloadBytes) return { records, validEnd: o, problem: `implausible record length ${length} at offset ${o}` };
    const end = o + frameHeaderBytes + length;
    if (end > data.length)
      return { records, validEnd: o, problem: `torn record at offset ${o} (${length} bytes announced, ${data.length - o - frameHeaderBytes} present)` };
    const payload = data.subarray(o + frameHeaderBytes, end);
    if (crc32(payload) !== crc) return { records, validEnd: o, problem: `checksum mismatch at offset ${o}` };
    let chunks: TableChunk[];
    try {
      chunks = decodePayload(payload);
    } catch (err) {
      return { records, validEnd: o, problem: `undecodable record at offset ${o}: ${(err as Error).message}` };
    }
    records.push({ start: o, end, chunks });
    o = end;
  }
  return { records, validEnd: o };
}
