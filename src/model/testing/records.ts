// Complete model records (Span, LogRecord, MetricPoint, Signal, ChangeEvent) from the fields a test or fixture cares
// about: every other field blank ('' / 0 / {} / []), so the record builders of the tests (each with
// its own defaults on top) share one list of each record's fields.
import {
  emptyLogRecord,
  emptySpan,
  noDistribution,
  type ChangeEvent,
  type LogRecord,
  type MetricPoint,
  type Signal,
  type SignalKind,
  type SignalSubject,
  type Span,
} from '../index.js';

/** A complete model Span (a server span unless told) from the fields a test cares about; every other field blank. */
export function blankSpan(fields: Partial<Span>): Span {
  return { ...emptySpan(), kind: 'server', ...fields };
}

/** A complete model LogRecord from the fields a test cares about; every other field blank. */
export function blankLog(fields: Partial<LogRecord>): LogRecord {
  return { ...emptyLogRecord(), ...fields };
}

/** A complete model MetricPoint (a gauge unless told) from the fields a test cares about; every other field blank. */
export function blankMetric(fields: Partial<MetricPoint>): MetricPoint {
  return {
    name: '',
    description: '',
    unit: '',
    type: 'gauge',
    temporality: 'unspecified',
    isMonotonic: false,
    service: '',
    serviceVersion: '',
    environment: '',
    timeMs: 0,
    startTimeMs: 0,
    attributes: {},
    resourceAttributes: {},
    value: 0,
    ...noDistribution(),
    ...fields,
  };
}

/** A deploy recorded through the API (unless told otherwise) of `service` at `timeMs`, its id derived from both. */
export function changeAt(fields: Partial<ChangeEvent> & Pick<ChangeEvent, 'service' | 'timeMs'>): ChangeEvent {
  return {
    id: `chg-${fields.service}-${fields.timeMs}`,
    kind: 'deploy',
    version: '',
    previousVersion: '',
    environment: 'production',
    commit: '',
    description: '',
    source: 'api',
    attributes: {},
    ...fields,
  };
}

/** A firing signal of `kind` on `subject` that started at `startedAtMs` and was detected 30 s later (unless told), with its key and id. */
export function signalAt(kind: SignalKind, subject: SignalSubject, startedAtMs: number, fields: Partial<Signal> = {}): Signal {
  const key = [kind, subject.service, subject.route ?? '', subject.metric ?? '', subject.peer ?? '', subject.fingerprint ?? ''].join(':');
  const detectedAtMs = fields.detectedAtMs ?? startedAtMs + 30_000;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind,
    status: 'firing',
    subject,
    startedAtMs,
    detectedAtMs,
    window: { fromMs: startedAtMs - 120_000, toMs: detectedAtMs },
    observed: 1,
    baseline: 0,
    unit: 'ratio',
    pValue: Number.NaN,
    score: 0.8,
    summary: `${kind} on ${subject.service}${subject.route ? ` ${subject.route}` : ''}`,
    evidence: {},
    ...fields,
  };
}
