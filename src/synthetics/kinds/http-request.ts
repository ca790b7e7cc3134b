// One HTTP request of a check or journey step: `{{var}}` filled in, the W3C trace context and the
// synthetic marker sent, the answer read (bounded) and judged by the step's assertions.
import { evaluateAssertions, type HttpAnswer } from '../assertions.js';
import type { StepResult } from '../result.js';
import type { HttpCheck } from '../schema.js';
import { remainingMs, type RunContext } from './context.js';

export type HttpRequestSpec = Pick<HttpCheck, 'url' | 'method' | 'headers' | 'auth' | 'body' | 'followRedirects' | 'assert'>;

/** Bodies past this are cut: a check judges an answer, it does not download files. */
const maxBodyBytes = 1_048_576;

export const syntheticHeaders = { 'x-vigil-synthetic': '1', 'user-agent': 'vigil-synthetics/1' } as const;

export class UnknownVariableError extends Error {}

/** Replaces `{{name}}` with the journey's variables; an unknown one is an error, not an empty string. */
export function fillTemplate(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_]\w*)\s*\}\}/g, (_m, name: string) => {
    const v = vars.get(name);
    if (v === undefined) throw new UnknownVariableError(`{{${name}}} is not set: no earlier step extracted it`);
    return v;
  });
}

function fillDeep(value: unknown, vars: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return fillTemplate(value, vars);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, vars));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, vars)]));
  return value;
}

export async function runHttpRequest(
  name: string,
  spec: HttpRequestSpec,
  ctx: RunContext,
  vars: ReadonlyMap<string, string>,
): Promise<{ step: StepResult; json?: unknown }> {
  const t0 = ctx.now();
  const fail = (error: string, status?: number): { step: StepResult } => ({
    step: { name, ok: false, durationMs: ctx.now() - t0, status, error, assertions: [], startMs: t0, ...(spanId ? { spanId } : {}) },
  });
  let spanId = '';
  let url: string;
  let headers: Record<string, string>;
  let body: string | undefined;
  try {
    url = fillTemplate(spec.url, vars);
    headers = Object.fromEntries(Object.entries(spec.headers ?? {}).map(([k, v]) => [k, fillTemplate(v, vars)]));
    if (spec.auth) headers.authorization = authorization(spec.auth, vars);
    const filled = spec.body === undefined ? undefined : fillDeep(spec.body, vars);
    body = filled === undefined ? undefined : typeof filled === 'string' ? filled : JSON.stringify(filled);
    if (body !== undefined && typeof filled !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
  } catch (err) {
    return fail((err as Error).message);
  }
  try {
    new URL(url);
  } catch {
    return fail(`"${url}" is not a URL`);
  }
  spanId = ctx.newSpanId();
  const traceparent = `00-${ctx.traceId}-${spanId}-01`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: spec.method,
      headers: { ...headers, ...syntheticHeaders, traceparent },
      body,
      redirect: spec.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.timeout(remainingMs(ctx)),
    });
  } catch (err) {
    return fail(describeFetchError(err, remainingMs(ctx)));
  }
  let text: string;
  try {
    text = await readBounded(res);
  } catch (err) {
    return fail(`reading the answer failed: ${describeFetchError(err, 0)}`, res.status);
  }
  const latencyMs = ctx.now() - t0;
  let json: unknown;
  if (/json/i.test(res.headers.get('content-type') ?? '') || /^\s*[[{]/.test(text)) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  const answer: HttpAnswer = { status: res.status, latencyMs, headers: res.headers, body: text, json };
  const assertions = evaluateAssertions(spec.assert, answer);
  return { step: { name, ok: assertions.every((a) => a.ok), durationMs: latencyMs, status: res.status, assertions, spanId, startMs: t0 }, json };
}

function authorization(auth: NonNullable<HttpRequestSpec['auth']>, vars: ReadonlyMap<string, string>): string {
  if ('bearer' in auth) return `Bearer ${fillTemplate(auth.bearer, vars)}`;
  const pair = `${fillTemplate(auth.basic.username, vars)}:${fillTemplate(auth.basic.password, vars)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBodyBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
}

/** fetch's errors in words: "timed out after 2000 ms", "connection refused", "certificate has expired". */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `timed out${timeoutMs ? '' : ''}`;
  const code = e.cause?.code;
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found (DNS)',
    EAI_AGAIN: 'DNS lookup failed (temporary)',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'connection timed out',
    CERT_HAS_EXPIRED: 'TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate chain has a self-signed certificate',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate cannot be verified',
    ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate does not match the host name',
  };
  if (code && known[code]) return known[code];
  return e.cause?.message ?? e.message;
}
