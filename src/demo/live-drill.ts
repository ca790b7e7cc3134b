// Fire drills in live mode, against a running `vigil demo`: inject a fault through the demo's
// control API, poll Vigil's incidents until one opens and its top root cause is right, clear the
// fault, wait for the all-clear, and score the incident against the fault's ground truth with the
// same code as the replay drill (drill-score.ts). Decisions live in live-drill-tracker.ts.

import { VigilApiError, VigilClient, VigilUnreachableError } from '../client/index.js';
import { getFault } from '../sim/index.js';
import { partitionIncidents, scoreDrill, triggeredAt } from './drill-score.js';
import type { DrillResult, IncidentDetail, IncidentListItem } from './drill-score.js';
import { LiveDrillTracker } from './live-drill-tracker.js';
import type { LiveDrillNews, LiveDrillPlan } from './live-drill-tracker.js';

export interface LiveDrillOptions extends LiveDrillPlan {
  fault: string;
  /** Vigil's API (`vigil demo` prints it: "Vigil UI and API"). */
  apiUrl: string;
  apiKey: string;
  /** The demo's control API ("Fault control"). */
  controlUrl: string;
  /** Poll interval (default 5 s). */
  everyMs?: number;
  /** Aborting clears the injected fault, then rejects with LiveDrillAborted. */
  signal?: AbortSignal;
  progress?: (text: string) => void;
}

/** Vigil or the demo cannot be reached or refuses the drill; the message says what to do. */
export class LiveDrillError extends Error {}

/** The drill was interrupted; `fault` says what became of the fault it was drilling. */
export class LiveDrillAborted extends Error {
  constructor(
    fault: string,
    readonly state: 'not injected' | 'cleared' | 'still active',
  ) {
    super(
      state === 'still active'
        ? `drill interrupted; clearing ${fault} failed, it may still be active: vigil demo fault ${fault} --clear`
        : `drill interrupted; ${fault} was ${state}`,
    );
  }
}

interface FaultCatalog {
  catalog: Array<{ name: string; truth: { rootService: string; rootKind: string } }>;
  active: Array<{ name: string; since: string }>;
}

/** The two HTTP APIs a live drill talks to, with errors that name the URL and the way out. */
export class LiveDrillEndpoints {
  private readonly api: VigilClient;

  constructor(private readonly o: { apiUrl: string; apiKey: string; controlUrl: string }) {
    this.api = new VigilClient({ url: o.apiUrl, apiKey: o.apiKey });
  }

  /** A call of Vigil's API whose failure says the way out for a drill. */
  private async vigil<T>(call: (api: VigilClient) => Promise<T>): Promise<T> {
    try {
      return await call(this.api);
    } catch (err) {
      if (err instanceof VigilUnreachableError)
        throw new LiveDrillError(
          `cannot reach Vigil at ${this.o.apiUrl} (${err.reason}); start the demo with \`vigil demo\` or pass the URL it prints as --api`,
        );
      if (err instanceof VigilApiError && (err.status === 401 || err.status === 403))
        throw new LiveDrillError(
          `Vigil at ${this.o.apiUrl} refused the API key (${err.status}); pass the key \`vigil demo\` printed as --key or VIGIL_API_KEY`,
        );
      if (err instanceof VigilApiError) throw new LiveDrillError(err.message);
      throw err;
    }
  }

  incident(id: string): Promise<IncidentDetail> {
    return this.vigil((api) => api.getIncident(id));
  }

  async control<T>(method: 'GET' | 'POST', path: string): Promise<T> {
    const url = `${this.o.controlUrl.replace(/\/$/, '')}${path}`;
    let res: Response;
    try {
      res = await fetch(url, { method, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      throw new LiveDrillError(
        `cannot reach the demo's control API at ${this.o.controlUrl} (${reason(err)}); is \`vigil demo\` running? (--control URL, the "Fault control" line it prints)`,
      );
    }
    const body = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new LiveDrillError(`${method} ${url} answered ${res.status}: ${body.error ?? 'no reason given'}`);
    return body;
  }

  /** Newest first; a drill only needs the incidents opened lately. */
  async incidents(limit = 200): Promise<IncidentListItem[]> {
    return (await this.vigil((api) => api.listIncidents({ status: 'all', limit }))).incidents;
  }
}

export async function runLiveDrill(o: LiveDrillOptions): Promise<DrillResult> {
  const def = getFault(o.fault);
  const api = new LiveDrillEndpoints(o);
  const say = o.progress ?? (() => undefined);
  const faults = await api.control<FaultCatalog>('GET', '/_control/faults');
  if (!faults.catalog.some((f) => f.name === o.fault))
    throw new LiveDrillError(`the demo at ${o.controlUrl} has no fault "${o.fault}" (it has: ${faults.catalog.map((f) => f.name).join(', ')})`);
  const active = faults.active.find((f) => f.name === o.fault);
  if (active)
    throw new LiveDrillError(
      `${o.fault} is already active in the demo (since ${active.since}); clear it first: vigil demo fault ${o.fault} --clear --control ${o.controlUrl}`,
    );
  if (faults.active.length) say(`note: ${faults.active.map((f) => f.name).join(', ')} active in the demo; its incidents may absorb this drill's signals`);
  const before = await api.incidents(1000);
  const open = before.filter((i) => i.status !== 'resolved');
  if (open.length) say(`note: ${open.length} incident(s) already open (${open.map((i) => `#${i.id}`).join(', ')}); they do not count for this drill`);
  if (o.signal?.aborted) throw new LiveDrillAborted(o.fault, 'not injected');

  const injected = await api.control<{ since: string }>('POST', `/_control/faults/${encodeURIComponent(o.fault)}`);
  const tracker = new LiveDrillTracker(def, o, Date.parse(injected.since), before);
  say(`injected ${o.fault} at ${injected.since} (truth: ${def.truth.rootKind} of ${def.truth.rootService})`);
  const clear = async (why: string): Promise<void> => {
    const cleared = await api.control<{ clearedAt?: string }>('POST', `/_control/faults/${encodeURIComponent(o.fault)}/clear`);
    tracker.markCleared(cleared.clearedAt ? Date.parse(cleared.clearedAt) : Date.now());
    say(`cleared ${o.fault} after ${seconds((tracker.clearedAt ?? 0) - tracker.injectedAtMs)}: ${why}`);
  };
  try {
    for (;;) {
      await sleep(o.everyMs ?? 5_000, o.signal);
      const now = Date.now();
      for (const n of tracker.observe(await api.incidents(), now)) say(describe(n, tracker.injectedAtMs, tracker.clearedAt));
      const step = tracker.next(now);
      if (step.action === 'clear') await clear(step.reason);
      else if (step.action === 'finish') {
        say(`done: ${step.reason}`);
        break;
      }
    }
  } catch (err) {
    if (tracker.clearedAt !== undefined) throw err;
    // Interrupted or failed with the fault still in: take it out before leaving.
    const cleared = await clear(o.signal?.aborted ? 'interrupted' : `the drill failed: ${reason(err)}`).then(
      () => true,
      () => false,
    );
    throw o.signal?.aborted ? new LiveDrillAborted(o.fault, cleared ? 'cleared' : 'still active') : err;
  }

  const clearMs = tracker.clearedAt ?? Date.now();
  const incidents = tracker.incidents();
  const window = { onsetMs: tracker.injectedAtMs, clearMs };
  const primary = partitionIncidents(def, incidents, window).related[0];
  let detail = primary ? await api.incident(primary.id) : undefined;
  // A reopened incident was detected when it reopened (its timeline says when to the millisecond).
  if (detail && primary?.reopened)
    detail = { ...detail, detectedAt: new Date(triggeredAt(detail, tracker.injectedAtMs) ?? Date.parse(primary.detectedAt)).toISOString() };
  return scoreDrill(def, incidents, detail, { ...window, mode: 'live', spans: 0, wallMs: Date.now() - tracker.injectedAtMs });
}

function describe(n: LiveDrillNews, injectedAtMs: number, clearedAtMs: number | undefined): string {
  const i = n.incident;
  if (n.kind === 'opened')
    return `${n.related ? 'incident' : 'UNRELATED incident'} #${i.id} ${i.reopened ? 'reopened' : 'opened'} ${seconds(Date.parse(i.detectedAt) - injectedAtMs)} after injection (${i.severity}, ${i.services.join(', ')}): ${i.title}`;
  if (n.kind === 'top-root-cause')
    return `#${i.id} top root cause: ${i.topRootCause?.kind ?? '?'} of ${i.topRootCause?.service ?? '?'} (${n.right ? 'right' : 'not the truth'})`;
  const since = clearedAtMs === undefined ? '' : ` ${seconds(Date.parse(i.resolvedAt ?? '') - clearedAtMs)} after clearing`;
  return `#${i.id} resolved${since}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const reason = (err: unknown): string => {
  const e = err as Error & { cause?: { code?: string } };
  return e.cause?.code ?? e.message;
};
const seconds = (ms: number): string => `${Math.round(ms / 1000)} s`;
