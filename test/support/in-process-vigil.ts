// Vigil started inside the test process, in event time, on free loopback ports, with its config
// and data in one directory: for e2e tests that feed records through `vigil.ingest` and read the
// API back. One way to start it, call it and wait on it, so the tests differ only in what they check.
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/index.js';
import { startVigil, type RunningVigil } from '../../src/server.js';
import { TEST_KEY } from './vigil-process.js';

export interface EventVigilOptions {
  /** Read synthetic checks from `<dir>/checks`. */
  checks?: boolean;
  logLevel?: 'silent' | 'warn';
}

/** Starts Vigil on `<dir>/vigil.yaml` (absent is fine) and `<dir>/data`, with the admin test key. */
export function startEventVigil(dir: string, options: EventVigilOptions = {}): Promise<RunningVigil> {
  return startVigil(
    resolveConfig(
      {
        config: join(dir, 'vigil.yaml'),
        data: join(dir, 'data'),
        ...(options.checks ? { checks: join(dir, 'checks') } : {}),
        port: 0,
        otlpPort: 0,
        otlpGrpcPort: 0,
        logLevel: options.logLevel ?? 'silent',
        clock: 'event',
      },
      { VIGIL_API_KEY: TEST_KEY },
    ),
  );
}

export interface ApiAnswer<T> {
  status: number;
  /** The parsed body, or `{}` when it is not JSON (Markdown, HTML, 204). */
  json: T;
  type: string;
  text: string;
}

export type ApiCall = <T = unknown>(path: string, init?: { method?: string; body?: unknown; auth?: boolean }) => Promise<ApiAnswer<T>>;

/** An API caller with the test key; `vigil` is read at each call, so a restarted Vigil is reached. */
export function apiOf(vigil: () => RunningVigil): ApiCall {
  return async <T>(path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}): Promise<ApiAnswer<T>> => {
    const r = await fetch(`${vigil().apiUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.auth === false ? {} : { authorization: `Bearer ${TEST_KEY}` }), ...(init.body ? { 'content-type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    const text = await r.text();
    let json: unknown = {};
    try {
      json = JSON.parse(text);
    } catch {
      // Markdown, HTML or an empty body: the text is the answer.
    }
    return { status: r.status, json: json as T, type: r.headers.get('content-type') ?? '', text };
  };
}

/** Polls `probe` every 100 ms until it answers something, failing with `what` after `ms`. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
