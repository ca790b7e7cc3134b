// A complete Silence from the service and window a test cares about: what the escalation-gate tests of
// notify and the pipeline both need, created as it starts, with no other field that matters to them.
import type { Silence } from '../index.js';

export function silenceOf(service: string, startsAtMs: number, endsAtMs: number, fields: Partial<Silence> = {}): Silence {
  return { id: 'sil-1', service, startsAtMs, endsAtMs, comment: 'failover', createdBy: 'ana', createdAtMs: startsAtMs, ...fields };
}
