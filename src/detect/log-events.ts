// What logs and exceptions contribute to detection: per-bucket template counts, templates and
// exception fingerprints seen for the first time, and the per-service registry of known ones
// ("first seen in version X"). The fingerprint function is a port.
export type ExceptionFingerprinter = (exception: { type: string; message: string; stacktrace: string }) => string;

export interface NewTemplateEvent {
  service: string;
  templateId: string;
  template: string;
  version: string;
  severityNumber: number;
  timeMs: number;
}

export interface NewExceptionEvent {
  service: string;
  fingerprint: string;
  type: string;
  message: string;
  version: string;
  timeMs: number;
}

export interface LogBucket {
  /** `service\u0000templateId` → count in this bucket. */
  templateCounts: Record<string, number>;
  /** Template text by the same key (the newest text the miner gave). */
  templateText: Record<string, string>;
  newTemplates: NewTemplateEvent[];
  newExceptions: NewExceptionEvent[];
  /** `service\u0000fingerprint` → occurrences in this bucket (for recovery of exception signals). */
  exceptionCounts: Record<string, number>;
  /** `service\u0000fingerprint\u0000traceId` already counted: a span's exception event and the error
   * log of the same request are one occurrence, not two. */
  exceptionTraces?: Record<string, true>;
}

export interface KnownPatterns {
  /** service → templateId → first seen (ms). */
  templates: Record<string, Record<string, number>>;
  templateCounts: Record<string, number>;
  /** service → fingerprint → [first seen ms, version first seen in]. */
  exceptions: Record<string, Record<string, [number, string]>>;
  /** service → first log or exception seen (ms): the warm-up clock of log signals. */
  firstSeen: Record<string, number>;
}

export function emptyLogBucket(): LogBucket {
  return { templateCounts: {}, templateText: {}, newTemplates: [], newExceptions: [], exceptionCounts: {} };
}

export function emptyKnownPatterns(): KnownPatterns {
  return { templates: {}, templateCounts: {}, exceptions: {}, firstSeen: {} };
}

export function patternKey(service: string, id: string): string {
  return `${service}\u0000${id}`;
}
