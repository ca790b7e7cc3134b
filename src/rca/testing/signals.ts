// Signal and change builders for the rca tests and hand-built benchmark scenarios: complete model
// records from the fields a scenario states.

import type { Signal, SignalKind, SignalSubject } from '../../model/index.js';
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

export { changeAt as makeChange } from '../../model/testing/records.js';
