// New-exception detector: an exception fingerprint (type + normalized message + top frames) never
// seen before from this service, after its warm-up, reported with the version it first appeared
// in. It stays open while the exception keeps occurring and recovers after the hold without it.
import type { Detector, Evaluation } from '../detector.js';
import { count, duration } from '../format.js';

export const newExceptionDetector: Detector<Record<string, never>> = {
  name: 'new-exception',
  initialState: () => ({}),
  evaluate(ctx) {
    const c = ctx.config.logs;
    const out: Evaluation[] = [];
    const seen = new Set<string>();
    for (const ev of ctx.logs.newExceptions) {
      const first = ctx.serviceFirstMs(ev.service) ?? ev.timeMs;
      if (ev.timeMs - first < c.warmupMs) continue;
      const key = `new-exception|${ev.service}|${ev.fingerprint}`;
      seen.add(key);
      const n = ctx.logs.exceptionCounts[`${ev.service}\u0000${ev.fingerprint}`] ?? 1;
      const message = ev.message.length > 160 ? `${ev.message.slice(0, 157)}...` : ev.message;
      out.push({
        key,
        kind: 'new-exception',
        subject: { service: ev.service, fingerprint: ev.fingerprint, version: ev.version },
        state: 'anomalous',
        immediate: true,
        finding: {
          startedAtMs: ev.timeMs,
          window: { fromMs: ctx.nowMs - ctx.config.bucketMs, toMs: ctx.nowMs },
          observed: n,
          baseline: 0,
          unit: 'count',
          pValue: Number.NaN,
          score: 0.6,
          summary:
            `${ev.service}: new exception ${ev.type}${message ? `: "${message}"` : ''}, first seen${ev.version ? ` in version ${ev.version}` : ''} ` +
            `(${count(n)} in the last ${duration(ctx.config.bucketMs)})`,
          evidence: { occurrences: n, type: ev.type, firstSeenVersion: ev.version },
        },
      });
    }
    for (const key in ctx.logs.exceptionCounts) {
      const i = key.indexOf('\u0000');
      const service = key.slice(0, i);
      const fingerprint = key.slice(i + 1);
      const signalKey = `new-exception|${service}|${fingerprint}`;
      if (!seen.has(signalKey) && ctx.isFiring(signalKey)) out.push({ key: signalKey, kind: 'new-exception', subject: { service, fingerprint }, state: 'elevated' });
    }
    return out;
  },
};
