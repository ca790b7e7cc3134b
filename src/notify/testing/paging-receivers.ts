// Local receivers shaped like PagerDuty's Events API v2 and Opsgenie's Alert API: they check
// paths, authentication, required fields and documented limits, answer like the real services
// (202 with their bodies, 400/422/401 otherwise) and keep alert state by dedup key or alias.
import { HttpReceiver, type ReceivedRequest } from './http-receiver.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown, max: number, min = 1): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const parse = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
};

export interface PagerDutyAlert {
  status: 'triggered' | 'acknowledged' | 'resolved';
  summary: string;
  severity: string;
  /** Trigger events folded into this alert (PagerDuty dedupes them on dedup_key). */
  triggers: number;
}

/** POST /v2/enqueue, per https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ */
export class PagerDutyReceiver {
  readonly alerts = new Map<string, PagerDutyAlert>();
  private constructor(readonly http: HttpReceiver) {}

  static async start(): Promise<PagerDutyReceiver> {
    const receiver = new PagerDutyReceiver(await HttpReceiver.start());
    receiver.http.respond = (req) => receiver.handle(req);
    return receiver;
  }

  url(): string {
    return this.http.url('/v2/enqueue');
  }

  /** The accepted events, parsed. */
  events(): Json[] {
    return this.http.accepted().map((r) => JSON.parse(r.body) as Json);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private handle(req: Omit<ReceivedRequest, 'status'>): { status: number; body: unknown } {
    if (req.path !== '/v2/enqueue') return { status: 404, body: { status: 'not found' } };
    const event = parse(req.body);
    const errors = isObject(event) ? validatePagerDutyEvent(event) : ['the body is not a JSON object'];
    if (errors.length || !isObject(event)) return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
    const action = event.event_action as string;
    const payload = event.payload as Json | undefined;
    const key = (event.dedup_key as string | undefined) ?? `generated-${this.alerts.size + 1}`;
    const alert = this.alerts.get(key);
    if (action === 'trigger') {
      if (alert && alert.status !== 'resolved') alert.triggers += 1;
      else this.alerts.set(key, { status: 'triggered', summary: String(payload?.summary), severity: String(payload?.severity), triggers: 1 });
    } else if (alert && alert.status !== 'resolved') {
      alert.status = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    }
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: key } };
  }
}

export function validatePagerDutyEvent(e: Json): string[] {
  const errors: string[] = [];
  if (!isString(e.routing_key, 32, 32)) errors.push("'routing_key' must be a 32 character string");
  if (!['trigger', 'acknowledge', 'resolve'].includes(e.event_action as string)) errors.push("'event_action' is invalid");
  if (e.dedup_key !== undefined && !isString(e.dedup_key, 255)) errors.push("'dedup_key' is too long");
  if (e.event_action !== 'trigger') {
    if (e.dedup_key === undefined) errors.push("'dedup_key' is required for acknowledge and resolve");
    return errors;
  }
  const p = e.payload;
  if (!isObject(p)) return [...errors, "'payload' is missing"];
  if (!isString(p.summary, 1024)) errors.push("'payload.summary' must be 1 to 1024 characters");
  if (!isString(p.source, 255)) errors.push("'payload.source' is missing");
  if (!['critical', 'error', 'warning', 'info'].includes(p.severity as string)) errors.push("'payload.severity' is invalid");
  if (p.timestamp !== undefined && (typeof p.timestamp !== 'string' || Number.isNaN(Date.parse(p.timestamp))))
    errors.push("'payload.timestamp' is not ISO 8601");
  for (const f of ['component', 'group', 'class'] as const) if (p[f] !== undefined && typeof p[f] !== 'string') errors.push(`'payload.${f}' must be a string`);
  if (p.custom_details !== undefined && !isObject(p.custom_details)) errors.push("'payload.custom_details' must be an object");
  if (e.links !== undefined && (!Array.isArray(e.links) || !e.links.every((l) => isObject(l) && typeof l.href === 'string')))
    errors.push("'links' must be [{href, text}]");
  return errors;
}

export interface OpsgenieAlert {
  status: 'open' | 'closed';
  acknowledged: boolean;
  message: string;
  priority: string;
  /** Create requests folded into this alert (Opsgenie dedupes them on the alias). */
  count: number;
  notes: string[];
}

/** POST /v2/alerts, /v2/alerts/{alias}/acknowledge|close?identifierType=alias, per Opsgenie's Alert API. */
export class OpsgenieReceiver {
  readonly alerts = new Map<string, OpsgenieAlert>();
  private constructor(
    readonly http: HttpReceiver,
    private readonly apiKey: string,
  ) {}

  static async start(apiKey: string): Promise<OpsgenieReceiver> {
    const receiver = new OpsgenieReceiver(await HttpReceiver.start(), apiKey);
    receiver.http.respond = (req) => receiver.handle(req);
    return receiver;
  }

  /** The API base URL (the channel appends /v2/alerts…). */
  url(): string {
    return this.http.url('');
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private handle(req: Omit<ReceivedRequest, 'status'>): { status: number; body: unknown } {
    const accepted = { status: 202, body: { result: 'Request will be processed', took: 0.01, requestId: `req-${this.http.requests.length + 1}` } };
    if (req.headers.authorization !== `GenieKey ${this.apiKey}`) return { status: 401, body: { message: 'Could not authenticate', took: 0 } };
    const url = new URL(req.path, 'http://receiver');
    const body = parse(req.body);
    if (!isObject(body)) return { status: 422, body: { message: 'Request body is not processable', took: 0 } };
    if (url.pathname === '/v2/alerts') {
      const errors = validateOpsgenieAlert(body);
      if (errors.length) return { status: 422, body: { message: 'Request body is not processable', errors, took: 0 } };
      const alias = typeof body.alias === 'string' ? body.alias : `generated-${this.alerts.size + 1}`;
      const alert = this.alerts.get(alias);
      if (alert && alert.status === 'open') alert.count += 1;
      else
        this.alerts.set(alias, {
          status: 'open',
          acknowledged: false,
          message: String(body.message),
          priority: typeof body.priority === 'string' ? body.priority : 'P3',
          count: 1,
          notes: [],
        });
      return accepted;
    }
    const action = /^\/v2\/alerts\/([^/]+)\/(acknowledge|close)$/.exec(url.pathname);
    if (!action || url.searchParams.get('identifierType') !== 'alias') return { status: 404, body: { message: 'Not found', took: 0 } };
    if (body.note !== undefined && !isString(body.note, 25_000)) return { status: 422, body: { message: 'note is too long', took: 0 } };
    const alert = this.alerts.get(decodeURIComponent(action[1] ?? ''));
    if (alert) {
      if (action[2] === 'acknowledge') alert.acknowledged = true;
      else alert.status = 'closed';
      if (typeof body.note === 'string') alert.notes.push(body.note);
    }
    return accepted;
  }
}

export function validateOpsgenieAlert(a: Json): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!isString(a.message, 130)) errors.message = 'required, at most 130 characters';
  if (a.alias !== undefined && !isString(a.alias, 512)) errors.alias = 'at most 512 characters';
  if (a.description !== undefined && !isString(a.description, 15_000, 0)) errors.description = 'at most 15000 characters';
  if (a.priority !== undefined && !['P1', 'P2', 'P3', 'P4', 'P5'].includes(a.priority as string)) errors.priority = 'one of P1..P5';
  if (a.source !== undefined && !isString(a.source, 100)) errors.source = 'at most 100 characters';
  if (a.entity !== undefined && !isString(a.entity, 512)) errors.entity = 'at most 512 characters';
  if (a.tags !== undefined && (!Array.isArray(a.tags) || a.tags.length > 20 || !a.tags.every((t) => isString(t, 50))))
    errors.tags = 'at most 20 tags of at most 50 characters';
  if (a.details !== undefined && (!isObject(a.details) || !Object.values(a.details).every((v) => typeof v === 'string'))) errors.details = 'a map of strings';
  if (a.responders !== undefined && (!Array.isArray(a.responders) || a.responders.length > 50)) errors.responders = 'at most 50 responders';
  return errors;
}
