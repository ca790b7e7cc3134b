// Applies the compiled rules to a decoded batch, copy-on-write: a record, attribute map or array
// is copied only when something in it changed, so a clean batch comes back as the very same
// object without an allocation, and a caller's batch is never modified.
import type { TelemetryBatch } from '../ingest/index.js';
import type { Attributes, LogRecord, MetricPoint, Span, SpanEvent, SpanLink } from '../model/index.js';
import { REDACTED, type RedactionConfig } from './config.js';
import { EmailHasher } from './emails.js';
import { SecretKeyMatcher } from './keys.js';
import { FieldMemo } from './memo.js';
import { mayHoldDefaultSecret } from './trigger.js';
import { applyValueRules, customValueRules, DEFAULT_VALUE_RULES, type ValueRule } from './values.js';

export interface RedactorOptions {
  /** HMAC key for hashEmails (required when it is on). */
  emailSalt?: string | Buffer;
  /** The attribute the user id field is lifted from, for key rules (default enduser.id). */
  userAttribute?: string;
}

/** Bounds the memo against a sender that puts ids in attribute keys. */
const MAX_MEMO_KEYS = 5_000;

function mapChanged<T>(items: T[], one: (item: T) => T): T[] {
  let out: T[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const next = one(item);
    if (next !== item) {
      out ??= items.slice();
      out[i] = next;
    }
  }
  return out ?? items;
}

export class Redactor {
  /** True when no rule is on: redactBatch returns its argument untouched. */
  readonly noop: boolean;
  private readonly keys: SecretKeyMatcher;
  private readonly defaultValues: boolean;
  private readonly customValues: ValueRule[];
  private readonly emails: EmailHasher | undefined;
  private readonly userAttribute: string;
  private readonly attributeMemo = new Map<string, FieldMemo>();
  private readonly spanName = new FieldMemo(false);
  private readonly statusMessage = new FieldMemo(false);
  private readonly exceptionMessage = new FieldMemo(false);
  private readonly redactTextOf = (text: string): string => this.redactText(text);
  // Records of one resource share their resource attribute map: redact it once per batch.
  private lastResource: Attributes | undefined;
  private lastResourceOut: Attributes | undefined;

  constructor(config: RedactionConfig, options: RedactorOptions = {}) {
    const on = config.enabled;
    this.keys = new SecretKeyMatcher(on && config.defaults, on ? config.keys : []);
    this.defaultValues = on && config.defaults;
    this.customValues = on ? customValueRules(config.patterns) : [];
    if (on && config.hashEmails) {
      const salt = config.emailSalt ?? options.emailSalt;
      if (salt === undefined) throw new Error('hashEmails needs a salt: redaction.emailSalt or the one openRedactor keeps in the data directory');
      this.emails = new EmailHasher(salt);
    }
    this.userAttribute = options.userAttribute ?? 'enduser.id';
    this.noop = this.keys.empty && !this.defaultValues && this.customValues.length === 0 && !this.emails;
  }

  /** Free text (a body, a message, a value whose key is not secret) with its secret parts replaced. */
  redactText(text: string): string {
    if (text.length === 0) return text;
    let out = text;
    if (this.defaultValues && mayHoldDefaultSecret(out)) out = applyValueRules(DEFAULT_VALUE_RULES, out);
    if (this.customValues.length) out = applyValueRules(this.customValues, out);
    if (this.emails) out = this.emails.replaceIn(out);
    return out;
  }

  /** An attribute value: all of it when its key is secret, else its secret parts. */
  redactAttribute(key: string, value: string): string {
    if (value.length === 0) return value;
    let m = this.attributeMemo.get(key);
    if (m === undefined) {
      if (this.attributeMemo.size >= MAX_MEMO_KEYS) this.attributeMemo.clear();
      m = new FieldMemo(this.keys.isSecret(key));
      this.attributeMemo.set(key, m);
    }
    return m.secret ? REDACTED : this.memoText(m, value);
  }

  /** redactText through the field's memo; the very input when nothing changed. */
  private memoText(m: FieldMemo, text: string): string {
    return text.length === 0 ? text : m.apply(text, this.redactTextOf);
  }

  redactAttributes(attributes: Attributes): Attributes {
    let out: Attributes | undefined;
    for (const key in attributes) {
      const value = attributes[key]!;
      const next = this.redactAttribute(key, value);
      if (next !== value) {
        out ??= { ...attributes };
        out[key] = next;
      }
    }
    return out ?? attributes;
  }

  redactBatch(batch: TelemetryBatch): TelemetryBatch {
    if (this.noop) return batch;
    this.lastResource = undefined;
    this.lastResourceOut = undefined;
    const spans = mapChanged(batch.spans, this.span);
    const logs = mapChanged(batch.logs, this.log);
    const metrics = mapChanged(batch.metrics, this.metric);
    this.lastResource = undefined;
    this.lastResourceOut = undefined;
    if (spans === batch.spans && logs === batch.logs && metrics === batch.metrics) return batch;
    return { ...batch, spans, logs, metrics };
  }

  private resource(attributes: Attributes): Attributes {
    if (attributes !== this.lastResource) {
      this.lastResource = attributes;
      this.lastResourceOut = this.redactAttributes(attributes);
    }
    return this.lastResourceOut!;
  }

  private readonly event = (e: SpanEvent): SpanEvent => {
    const attributes = this.redactAttributes(e.attributes);
    return attributes === e.attributes ? e : { ...e, attributes };
  };

  private readonly link = (l: SpanLink): SpanLink => {
    const attributes = this.redactAttributes(l.attributes);
    return attributes === l.attributes ? l : { ...l, attributes };
  };

  private readonly span = (s: Span): Span => {
    const resourceAttributes = this.resource(s.resourceAttributes);
    const attributes = this.redactAttributes(s.attributes);
    const events = mapChanged(s.events, this.event);
    const links = mapChanged(s.links, this.link);
    const name = this.memoText(this.spanName, s.name);
    const statusMessage = this.memoText(this.statusMessage, s.statusMessage);
    const userId = this.redactAttribute(this.userAttribute, s.userId);
    const exceptionMessage = this.memoText(this.exceptionMessage, s.exceptionMessage);
    const exceptionStacktrace = this.redactText(s.exceptionStacktrace);
    if (
      resourceAttributes === s.resourceAttributes &&
      attributes === s.attributes &&
      events === s.events &&
      links === s.links &&
      name === s.name &&
      statusMessage === s.statusMessage &&
      userId === s.userId &&
      exceptionMessage === s.exceptionMessage &&
      exceptionStacktrace === s.exceptionStacktrace
    )
      return s;
    return { ...s, resourceAttributes, attributes, events, links, name, statusMessage, userId, exceptionMessage, exceptionStacktrace };
  };

  private readonly log = (l: LogRecord): LogRecord => {
    const resourceAttributes = this.resource(l.resourceAttributes);
    const attributes = this.redactAttributes(l.attributes);
    const body = this.redactText(l.body);
    const userId = this.redactAttribute(this.userAttribute, l.userId);
    const exceptionMessage = this.memoText(this.exceptionMessage, l.exceptionMessage);
    const exceptionStacktrace = this.redactText(l.exceptionStacktrace);
    if (
      resourceAttributes === l.resourceAttributes &&
      attributes === l.attributes &&
      body === l.body &&
      userId === l.userId &&
      exceptionMessage === l.exceptionMessage &&
      exceptionStacktrace === l.exceptionStacktrace
    )
      return l;
    return { ...l, resourceAttributes, attributes, body, userId, exceptionMessage, exceptionStacktrace };
  };

  private readonly metric = (m: MetricPoint): MetricPoint => {
    const resourceAttributes = this.resource(m.resourceAttributes);
    const attributes = this.redactAttributes(m.attributes);
    return resourceAttributes === m.resourceAttributes && attributes === m.attributes ? m : { ...m, resourceAttributes, attributes };
  };
}
