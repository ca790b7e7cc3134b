// Signal and change builders for the rca tests and hand-built benchmark scenarios: complete model
// records from the fields a scenario states.

import type { ChangeEvent, Signal, SignalKind, SignalSubject } from '../../model/index.js';

export function makeSignal(kind: SignalKind, subject: SignalSubject, startedAtMs: number, fields: Partial<Signal> = {}): Signal {
  const key = `${kind}:${subject.service}:${subject.route ?? ''}:${subject.metric ?? ''}:${subject.peer ?? ''}:${subject.fingerprint ?? ''}`;
  return {
    id: `${key}@${startedAtMs}`,
    key,
    kind,
    status: 'firing',
    subject,
    startedAtMs,
    detectedAtMs: startedAtMs + 30_000,
    window: { fromMs: startedAtMs - 120_000, toMs: startedAtMs + 30_000 },
    observed: 1,
    baseline: 0,
    unit: 'ratio',
    pValue: NaN,
    score: 0.9,
    summary: `${kind} on ${subject.service}`,
    evidence: {},
    ...fields,
  };
}

export function makeChange(fields: Partial<ChangeEvent> & Pick<ChangeEvent, 'service' | 'timeMs'>): ChangeEvent {
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
