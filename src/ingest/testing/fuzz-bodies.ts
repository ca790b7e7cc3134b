// Seeded mutations of valid OTLP bodies for the ingest fuzz test and `npm run bench:fuzz`: the
// OpenTelemetry JS serializers' own requests (protobuf and JSON, every signal) broken by bit flips,
// truncation, inserted bytes, duplicated fields, huge varints, deep nesting, gzip garbage and edits.
import { gzipSync } from 'node:zlib';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { SeededRandom } from '../../sim/rng.js';
import type { OtlpEncoding, OtlpSignal } from '../types.js';
import { keyValue, lenField, logBytes, logsRequestOf, nestedAnyValue, spanBytes, traceRequestOf } from './otlp-bytes.js';
import { sdkLogs, sdkMetrics, sdkSpans } from './sdk-telemetry.js';

export type FuzzTransport = 'http' | 'grpc';

export interface FuzzCase {
  signal: OtlpSignal;
  transport: FuzzTransport;
  encoding: OtlpEncoding;
  /** Content-Encoding: gzip over HTTP (the bytes are then gzip, possibly broken). */
  gzip: boolean;
  body: Buffer;
  /** The mutations applied, for the report of a failing case. */
  mutations: string[];
}

export type FuzzCorpus = Record<OtlpSignal, Record<OtlpEncoding, Buffer>>;

/** The valid requests every case starts from: the SDK fixtures through the SDK serializers. */
export async function fuzzCorpus(): Promise<FuzzCorpus> {
  const spans = sdkSpans();
  const logs = sdkLogs();
  const metrics = await sdkMetrics();
  return {
    traces: { protobuf: Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!), json: Buffer.from(JsonTraceSerializer.serializeRequest(spans)!) },
    logs: { protobuf: Buffer.from(ProtobufLogsSerializer.serializeRequest(logs)!), json: Buffer.from(JsonLogsSerializer.serializeRequest(logs)!) },
    metrics: {
      protobuf: Buffer.from(ProtobufMetricsSerializer.serializeRequest(metrics)!),
      json: Buffer.from(JsonMetricsSerializer.serializeRequest(metrics)!),
    },
  };
}

const SIGNALS: readonly OtlpSignal[] = ['traces', 'logs', 'metrics'];
const NOW_NANOS = 1_764_000_000_000_000_000n;

const int = (rng: SeededRandom, n: number): number => rng.uint32() % Math.max(1, n);
const pick = <T>(rng: SeededRandom, items: readonly T[]): T => items[int(rng, items.length)]!;

type BytesMutation = (rng: SeededRandom, body: Buffer, corpus: FuzzCorpus, signal: OtlpSignal) => Buffer;

const BYTES_MUTATIONS: Record<string, BytesMutation> = {
  bitFlips(rng, body) {
    const out = Buffer.from(body);
    for (let i = 1 + int(rng, 8); i > 0 && out.length; i--) out[int(rng, out.length)]! ^= 1 << int(rng, 8);
    return out;
  },
  truncate: (rng, body) => body.subarray(0, int(rng, body.length)),
  insertBytes(rng, body) {
    const at = int(rng, body.length + 1);
    const junk = Buffer.from(Array.from({ length: 1 + int(rng, 16) }, () => int(rng, 256)));
    return Buffer.concat([body.subarray(0, at), junk, body.subarray(at)]);
  },
  duplicateSlice(rng, body) {
    const from = int(rng, body.length);
    const slice = body.subarray(from, from + 1 + int(rng, 64));
    const at = int(rng, body.length + 1);
    return Buffer.concat([body.subarray(0, at), slice, body.subarray(at)]);
  },
  // Protobuf merges repeated top-level fields: a body twice over is valid, with every item twice.
  duplicateFields: (rng, body) => Buffer.concat(Array.from({ length: 2 + int(rng, 30) }, () => body)),
  hugeVarint(rng, body) {
    const at = int(rng, body.length + 1);
    const varint = Buffer.from([...Array.from({ length: 5 + int(rng, 6) }, () => 0x80 | int(rng, 128)), int(rng, 2) ? 0x01 : 0x7f]);
    return Buffer.concat([body.subarray(0, at), varint, body.subarray(at + int(rng, 3))]);
  },
  lengthLie(rng, body) {
    const out = Buffer.from(body);
    const at = int(rng, Math.max(1, out.length - 1));
    out[at + 1] = int(rng, 256);
    return out;
  },
  otherSignal: (rng, _body, corpus, signal) =>
    corpus[
      pick(
        rng,
        SIGNALS.filter((s) => s !== signal),
      )
    ].protobuf,
};

/** Hand-built hostile shapes: deep nesting, one huge resource over many spans, extreme times. */
function hostileProtobuf(rng: SeededRandom, signal: OtlpSignal): Buffer | undefined {
  const depth = rng.chance(0.1) ? 10_000 : 1 + int(rng, 120);
  if (signal === 'traces') {
    const kind = int(rng, 3);
    if (kind === 0) return traceRequestOf([spanBytes(0, NOW_NANOS, lenField(9, keyValue('deep', nestedAnyValue(depth))))]);
    if (kind === 1) {
      const resource = lenField(1, keyValue('service.name', lenField(1, Buffer.alloc(2000 + int(rng, 30_000), 0x61))));
      return traceRequestOf(
        Array.from({ length: 50 + int(rng, 3000) }, (_, n) => spanBytes(n, NOW_NANOS + BigInt(n))),
        resource,
      );
    }
    const times = [0n, 1n, 18_446_744_073_708_551_615n, NOW_NANOS, NOW_NANOS * 3n];
    return traceRequestOf(times.map((t, n) => spanBytes(n, t)));
  }
  if (signal === 'logs') return logsRequestOf([logBytes(pick(rng, [0n, NOW_NANOS, 18_446_744_073_709_551_615n]), lenField(5, nestedAnyValue(depth)))]);
  return undefined;
}

const LONE = ['x\ud83d', '\udc00', 'ok\ud83d\ude00', '\ud83d'.repeat(50)];
const JSON_VALUES: ReadonlyArray<(rng: SeededRandom) => unknown> = [
  (rng) => pick(rng, LONE),
  () => '',
  () => null,
  () => [],
  () => ({}),
  () => true,
  () => -1,
  () => 1e308,
  () => '18446744073709551615',
  () => '99999999999999999999999',
  () => '0',
  () => 'NaN',
  () => 'not hex',
  (rng) => 'y'.repeat(1 + int(rng, 100_000)),
  (rng) => ({ stringValue: pick(rng, LONE) }),
  (rng) => ({ kvlistValue: { values: [{ key: pick(rng, LONE), value: { arrayValue: { values: [{ stringValue: pick(rng, LONE) }] } } }] } }),
  (rng) => Array.from({ length: int(rng, 50) }, () => ({ key: `k${int(rng, 1000)}`, value: { intValue: String(int(rng, 1e9)) } })),
];

/** Every (container, key) of a parsed JSON body, for structural edits. */
function slotsOf(root: unknown): Array<[Record<string, unknown> | unknown[], string | number]> {
  const slots: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      node.forEach((child, i) => {
        slots.push([node, i]);
        stack.push(child);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        slots.push([node as Record<string, unknown>, key]);
        stack.push(child);
      }
    }
  }
  return slots;
}

function mutateJson(rng: SeededRandom, body: Buffer, mutations: string[]): Buffer {
  const root = JSON.parse(body.toString('utf8')) as unknown;
  for (let n = 1 + int(rng, 4); n > 0; n--) {
    const slots = slotsOf(root);
    if (!slots.length) break;
    const [container, key] = pick(rng, slots);
    const edit = int(rng, 4);
    if (edit === 0) {
      mutations.push('json:replace');
      (container as Record<string | number, unknown>)[key] = pick(rng, JSON_VALUES)(rng);
    } else if (edit === 1) {
      mutations.push('json:delete');
      if (Array.isArray(container)) container.splice(key as number, 1);
      else delete container[key as string];
    } else if (edit === 2 && Array.isArray(container)) {
      mutations.push('json:duplicate');
      const copies = Array.from({ length: 1 + int(rng, 50) }, () => container[key as number]);
      container.splice(key as number, 0, ...copies);
    } else {
      mutations.push('json:deepen');
      const depth = rng.chance(0.2) ? 10_000 : 1 + int(rng, 100);
      (container as Record<string | number, unknown>)[key] = 'DEEP';
      const text = JSON.stringify(root).replace('"DEEP"', '{"arrayValue":{"values":['.repeat(depth) + '{"stringValue":"x"}' + ']}}'.repeat(depth));
      return Buffer.from(text);
    }
  }
  const text = JSON.stringify(root);
  if (!rng.chance(0.3)) return Buffer.from(text);
  mutations.push('json:text');
  return pick(rng, [BYTES_MUTATIONS.truncate!, BYTES_MUTATIONS.insertBytes!, BYTES_MUTATIONS.bitFlips!])(rng, Buffer.from(text), {} as FuzzCorpus, 'traces');
}

function gzipGarbage(rng: SeededRandom, body: Buffer, mutations: string[]): Buffer {
  const zipped = gzipSync(body);
  if (rng.chance(0.6)) return zipped;
  mutations.push('gzip:garbage');
  if (rng.chance(0.5)) return zipped.subarray(0, int(rng, zipped.length));
  return BYTES_MUTATIONS.bitFlips!(rng, zipped, {} as FuzzCorpus, 'traces');
}

/** Case `index` of the stream seeded by `seed`: the same pair always gives the same case. */
export function fuzzCase(corpus: FuzzCorpus, seed: number, index: number): FuzzCase {
  const rng = new SeededRandom((seed * 1_000_003 + index) >>> 0);
  const signal = pick(rng, SIGNALS);
  const transport: FuzzTransport = rng.chance(0.3) ? 'grpc' : 'http';
  const encoding: OtlpEncoding = transport === 'grpc' || rng.chance(0.5) ? 'protobuf' : 'json';
  const mutations: string[] = [];
  let body = corpus[signal][encoding];
  if (encoding === 'protobuf') {
    const hostile = rng.chance(0.08) ? hostileProtobuf(rng, signal) : undefined;
    if (hostile) {
      mutations.push('hostile');
      body = hostile;
    }
    if (!hostile || rng.chance(0.3)) {
      for (let n = rng.chance(0.15) ? 0 : 1 + int(rng, 3); n > 0; n--) {
        const name = pick(rng, Object.keys(BYTES_MUTATIONS));
        mutations.push(name);
        body = BYTES_MUTATIONS[name]!(rng, body, corpus, signal);
      }
    }
  } else if (!rng.chance(0.1)) body = mutateJson(rng, body, mutations);
  const gzip = transport === 'http' && rng.chance(0.2);
  if (gzip) body = gzipGarbage(rng, body, mutations);
  return { signal, transport, encoding, gzip, body, mutations };
}
