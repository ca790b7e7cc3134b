// Signal and change builders for the rca tests and hand-built benchmark scenarios: complete model
// records from the fields a scenario states.

import type { ElevatedShift, Signal, SignalKind, SignalSubject } from '../../model/index.js';
import { signalAt } from '../../model/testing/records.js';

/** A firing signal (the shared test factory) as the rca scenarios state them: score 0.9, its window fixed at detection. */
export function makeSignal(kind: SignalKind, subject: SignalSubject, startedAtMs: number, fields: Partial<Signal> = {}): Signal {
  return signalAt(kind, subject, startedAtMs, {
    score: 0.9,
    summary: `${kind} on ${subject.service}`,
    window: { fromMs: startedAtMs - 120_000, toMs: startedAtMs + 30_000 },
    ...fields,
  });
}

/** A latency move of `service` under its paging bar, remembered from `atMs` until `lastSeenMs`, at robust z `z`. */
export function makeElevatedShift(service: string, z: number, atMs: number, lastSeenMs: number, score = 0.6): ElevatedShift {
  return {
    key: `metric-anomaly|${service}|latency`,
    kind: 'metric-anomaly',
    subject: { service, metric: 'latency' },
    startedAtMs: atMs,
    lastSeenMs,
    observed: 0.4,
    baseline: 0.3,
    unit: 'value',
    score,
    summary: `${service} latency up a little`,
    evidence: { robustZ: z },
  };
}

export { changeAt as makeChange } from '../../model/testing/records.js';
