// The one client of Vigil's own HTTP API, for everything that talks to a running Vigil from Node:
// the CLI, the demo's change reporter and incident watch, the drills, benchmarks and tests. One
// method per operation, the API key as a Bearer header, and failures as typed errors carrying the
// server's VIGIL_* code (errors.ts). The web UI has its own (ui/src/api.ts): it runs in the
// browser with a session cookie and the CSRF header instead of a key.
import { apiErrorOf, VigilUnreachableError } from './errors.js';
import type {
  ChangeRecorded,
  ConfigChangeBody,
  CoverageView,
  DeploymentBody,
  DeploymentView,
  HealthView,
  IncidentAction,
  IncidentPageView,
  IncidentView,
  IngestQueueView,
  ReliabilityView,
  ServicesView,
  TraceView,
} from './views.js';

export interface VigilClientOptions {
  /** The API's base URL (http://127.0.0.1:8080); a trailing slash is ignored. */
  url: string;
  apiKey?: string;
  /** Per request (default 30 s). */
  timeoutMs?: number;
}

export class VigilClient {
  readonly url: string;

  constructor(private readonly o: VigilClientOptions) {
    this.url = o.url.replace(/\/+$/, '');
  }

  /** Any operation by method and path (`/api/v1/…`); the typed methods below are built on it. */
  async request<T>(method: string, path: string, body?: unknown, o: { timeoutMs?: number } = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: {
          ...(this.o.apiKey ? { authorization: `Bearer ${this.o.apiKey}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(o.timeoutMs ?? this.o.timeoutMs ?? 30_000),
      });
    } catch (err) {
      throw new VigilUnreachableError(this.url, reasonOf(err));
    }
    const text = await res.text();
    if (!res.ok) throw apiErrorOf(method, path, res.status, text);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  health(): Promise<HealthView> {
    return this.request('GET', '/api/v1/health');
  }

  /** Health's write-path section; a started Vigil always reports it, so its absence is an error. */
  async ingestQueue(): Promise<IngestQueueView> {
    const { ingestQueue } = await this.health();
    if (!ingestQueue) throw new Error(`${this.url}/api/v1/health has no ingestQueue section: is this a started Vigil?`);
    return ingestQueue;
  }

  /** Newest first; `all` includes resolved ones. */
  listIncidents(q: { status?: 'open' | 'all'; limit?: number; cursor?: string } = {}): Promise<IncidentPageView> {
    return this.request('GET', withQuery('/api/v1/incidents', { status: q.status ?? 'open', limit: q.limit, cursor: q.cursor }));
  }

  getIncident(id: string): Promise<IncidentView> {
    return this.request('GET', `/api/v1/incidents/${encodeURIComponent(id)}`);
  }

  /** Acknowledge, mitigate or resolve; answers the incident after the change. */
  actOnIncident(id: string, action: IncidentAction, by: { actor: string; note?: string }): Promise<IncidentView> {
    return this.request('POST', `/api/v1/incidents/${encodeURIComponent(id)}/${action}`, by);
  }

  noteIncident(id: string, by: { actor: string; text: string }): Promise<IncidentView> {
    return this.request('POST', `/api/v1/incidents/${encodeURIComponent(id)}/note`, by);
  }

  recordDeployment(body: DeploymentBody): Promise<ChangeRecorded> {
    return this.request('POST', '/api/v1/deployments', body);
  }

  recordChange(body: ConfigChangeBody): Promise<ChangeRecorded> {
    return this.request('POST', '/api/v1/changes', body);
  }

  /** Newest first, with their release verdicts. */
  listDeployments(q: { service?: string; limit?: number } = {}): Promise<{ deployments: DeploymentView[] }> {
    return this.request('GET', withQuery('/api/v1/deployments', q));
  }

  /** Services seen in a window (times ISO-8601 or epoch ms; the server's default window when absent) with their RED figures. */
  listServices(q: { from?: string | number; to?: string | number } = {}): Promise<ServicesView> {
    return this.request('GET', withQuery('/api/v1/services', q));
  }

  getTrace(traceId: string): Promise<TraceView> {
    return this.request('GET', `/api/v1/traces/${encodeURIComponent(traceId)}`);
  }

  /** The monitoring-coverage report; `journey`: critical journeys on top of the configured ones, comma-separated. */
  coverage(q: { from?: string; to?: string; journey?: string } = {}): Promise<CoverageView> {
    return this.request('GET', withQuery('/api/v1/coverage', q));
  }

  /** The reliability report as JSON (the server's default range when absent). */
  reliabilityReport(q: { from?: string; to?: string } = {}): Promise<ReliabilityView> {
    return this.request('GET', withQuery('/api/v1/reports/reliability', q));
  }
}

/** `path?k=v…` without the parameters left undefined, and without `?` when none is left. */
function withQuery(path: string, q: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v));
  return p.size ? `${path}?${p.toString()}` : path;
}

function reasonOf(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err);
}
