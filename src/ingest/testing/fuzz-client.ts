// Sends fuzz cases to a running Vigil (OTLP/HTTP and OTLP/gRPC) and judges each answer: never a
// 5xx or an INTERNAL/UNKNOWN status, always a well-formed OTLP response or google.rpc.Status in the
// request's encoding. Shared by the fuzz test and `npm run bench:fuzz`.
import * as grpc from '@grpc/grpc-js';
import { otlpTypes } from '../proto/root.js';
import { CONTENT_TYPE } from '../responses.js';
import type { OtlpSignal } from '../types.js';
import { fuzzCase, type FuzzCase, type FuzzCorpus } from './fuzz-bodies.js';

export interface FuzzTarget {
  otlpHttpUrl: string;
  grpcPort: number;
  key: string;
  /** The server's ingest.maxBodyBytes (default 16 MiB). */
  maxBodyBytes?: number;
}

export interface FuzzOutcome {
  /** e.g. "http 200", "http 400", "grpc 3". */
  status: string;
  /** Set when the answer breaks the contract (the failure the fuzzer hunts). */
  problem?: string;
}

export interface FuzzStats {
  sent: number;
  statuses: Map<string, number>;
  problems: Array<{ index: number; signal: OtlpSignal; transport: string; encoding: string; mutations: string[]; problem: string }>;
}

const RESPONSE = { traces: otlpTypes.traceResponse, logs: otlpTypes.logsResponse, metrics: otlpTypes.metricsResponse } as const;
const GRPC_PATHS: Record<OtlpSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
};
const HTTP_OK = new Set([200, 400, 413, 429]);
const GRPC_OK = new Set([grpc.status.OK, grpc.status.INVALID_ARGUMENT, grpc.status.RESOURCE_EXHAUSTED, grpc.status.UNAVAILABLE]);
const identity = (b: Buffer): Buffer => b;

/** Why a decoded response message is not one OTLP allows, or undefined. */
function exportResponseProblem(message: Record<string, unknown>): string | undefined {
  const partial = message.partialSuccess as Record<string, unknown> | undefined;
  if (partial === undefined) return undefined;
  // A warning (nothing rejected) has a rejected count of 0, which protobuf leaves off the wire.
  const counts = Object.entries(partial).filter(([k]) => k.startsWith('rejected'));
  if (counts.length > 1 || (counts.length === 1 && !/^\d+$/.test(String(counts[0]![1])))) return `bad partialSuccess ${JSON.stringify(partial)}`;
  if (counts.length === 0 && typeof partial.errorMessage !== 'string') return `partialSuccess with neither a count nor a message`;
  return typeof partial.errorMessage === 'string' || partial.errorMessage === undefined ? undefined : 'partialSuccess.errorMessage is not a string';
}

async function sendHttp(target: FuzzTarget, c: FuzzCase): Promise<FuzzOutcome> {
  const headers: Record<string, string> = { authorization: `Bearer ${target.key}`, 'content-type': CONTENT_TYPE[c.encoding] };
  if (c.gzip) headers['content-encoding'] = 'gzip';
  const res = await fetch(`${target.otlpHttpUrl}/v1/${c.signal}`, { method: 'POST', headers, body: c.body });
  const bytes = Buffer.from(await res.arrayBuffer());
  const status = `http ${res.status}`;
  if (!HTTP_OK.has(res.status)) return { status, problem: `status ${res.status}: ${bytes.toString('utf8').slice(0, 300)}` };
  if (res.headers.get('content-type') !== CONTENT_TYPE[c.encoding]) return { status, problem: `content-type ${res.headers.get('content-type')}` };
  if (res.status === 429 && !res.headers.get('retry-after')) return { status, problem: '429 without Retry-After' };
  try {
    if (res.status === 200) {
      const message =
        c.encoding === 'json'
          ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)
          : (RESPONSE[c.signal].toObject(RESPONSE[c.signal].decode(bytes), { longs: String }) as Record<string, unknown>);
      const problem = exportResponseProblem(message);
      return problem ? { status, problem } : { status };
    }
    const s =
      c.encoding === 'json'
        ? (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>)
        : (otlpTypes.status.toObject(otlpTypes.status.decode(bytes)) as Record<string, unknown>);
    if (typeof s.code !== 'number' || typeof s.message !== 'string' || s.message === '')
      return { status, problem: `bad Status ${JSON.stringify(s).slice(0, 200)}` };
    return { status };
  } catch (err) {
    return { status, problem: `unreadable response: ${(err as Error).message}` };
  }
}

function sendGrpc(client: grpc.Client, target: FuzzTarget, c: FuzzCase): Promise<FuzzOutcome> {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${target.key}`);
  return new Promise((resolve) => {
    client.makeUnaryRequest(GRPC_PATHS[c.signal], identity, identity, c.body, metadata, { deadline: Date.now() + 60_000 }, (err, response) => {
      const code = err ? err.code : grpc.status.OK;
      const status = `grpc ${code}`;
      if (!GRPC_OK.has(code)) return resolve({ status, problem: `gRPC status ${code}: ${err?.details ?? ''}` });
      if (err) return resolve(err.details ? { status } : { status, problem: 'error status without details' });
      try {
        const problem = exportResponseProblem(RESPONSE[c.signal].toObject(RESPONSE[c.signal].decode(response ?? Buffer.alloc(0)), { longs: String }));
        resolve(problem ? { status, problem } : { status });
      } catch (e) {
        resolve({ status, problem: `unreadable response: ${(e as Error).message}` });
      }
    });
  });
}

export interface FuzzRunOptions {
  target: FuzzTarget;
  corpus: FuzzCorpus;
  seed: number;
  count: number;
  /** Requests in flight at once. */
  concurrency?: number;
  onProgress?: (stats: FuzzStats) => void;
  progressEvery?: number;
  /** Aborted: no new case is sent; the ones in flight finish and the tally so far is returned. */
  signal?: AbortSignal;
}

/** Sends `count` cases of the seeded stream and tallies the answers. */
export async function runFuzz(o: FuzzRunOptions): Promise<FuzzStats> {
  const client = new grpc.Client(`127.0.0.1:${o.target.grpcPort}`, grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
    'grpc.max_receive_message_length': -1,
  });
  const stats: FuzzStats = { sent: 0, statuses: new Map(), problems: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < o.count && !o.signal?.aborted) {
      const index = next++;
      const c = fuzzCase(o.corpus, o.seed, index);
      let outcome: FuzzOutcome;
      try {
        outcome = c.transport === 'grpc' ? await sendGrpc(client, o.target, c) : await sendHttp(o.target, c);
      } catch (err) {
        // Over the size limit the server answers 413 at once and closes the connection, so a client
        // still uploading may see the close instead of the answer (the usual HTTP race; no harm).
        const overLimit = c.transport === 'http' && c.body.length > (o.target.maxBodyBytes ?? 16 * 1024 * 1024);
        outcome = overLimit
          ? { status: 'http 413 (closed while uploading)' }
          : { status: 'transport error', problem: `request failed: ${(err as Error).message}` };
      }
      stats.sent++;
      stats.statuses.set(outcome.status, (stats.statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.problem && stats.problems.length < 50)
        stats.problems.push({ index, signal: c.signal, transport: c.transport, encoding: c.encoding, mutations: c.mutations, problem: outcome.problem });
      if (o.onProgress && stats.sent % (o.progressEvery ?? 1000) === 0) o.onProgress(stats);
    }
  };
  try {
    await Promise.all(Array.from({ length: o.concurrency ?? 8 }, worker));
  } finally {
    client.close();
  }
  return stats;
}
