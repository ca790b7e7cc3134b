// New-exception detector: an exception fingerprint (type + normalized message + top frames) never
// seen before from this service, after its warm-up, reported with the version it first appeared
// in: at once when its service just changed, else once it recurs (see novelty.ts). It stays open while the exception keeps occurring and recovers after the hold without it.
import type { Detector, Evaluation } from '../detector.js';
import type { NewExceptionEvent } from '../log-events.js';
import { count, duration } from '../format.js';
import { gateNovelty, type NoveltyState } from './novelty.js';

export const newExceptionDetector: Detector<NoveltyState<NewExceptionEvent>> = {
  name: 'new-exception',
  initialState: () => ({ candidates: {} }),
  evaluate(ctx, state) {
    const c = ctx.config.logs;
    const out: Evaluation[] = [];
    state.candidates ??= {}; // snapshots from before the recurrence gate
    const fresh = ctx.logs.newExceptions
      .filter((ev) => ev.timeMs - (ctx.serviceFirstMs(ev.service) ?? ev.timeMs) >= c.warmupMs)
      .map((event) => ({ key: `${event.service}\u0000${event.fingerprint}`, event }));
    const seen = new Set<string>();
    for (const v of gateNovelty(ctx, state, fresh, (k) => ctx.logs.exceptionCounts[k] ?? 0)) {
      const ev = v.event;
      const key = `new-exception|${ev.service}|${ev.fingerprint}`;
      seen.add(key);
      const message = ev.message.length > 160 ? `${ev.message.slice(0, 157)}...` : ev.message;
      const how = `${count(v.count)} times in ${duration(ctx.nowMs - ev.timeMs)}`;
      out.push({
        key,
        kind: 'new-exception',
        subject: { service: ev.service, fingerprint: ev.fingerprint, version: ev.version },
        state: 'anomalous',
        immediate: true,
        draft: {
          startedAtMs: ev.timeMs,
          window: { fromMs: Math.min(ev.timeMs, ctx.nowMs - ctx.config.bucketMs), toMs: ctx.nowMs },
          observed: v.count,
          baseline: 0,
          unit: 'count',
          pValue: Number.NaN,
          score: 0.6,
          summary: `${ev.service}: new exception ${ev.type}${message ? `: "${message}"` : ''}, first seen${ev.version ? ` in version ${ev.version}` : ''} (${how})`,
          evidence: { occurrences: v.count, type: ev.type, firstSeenVersion: ev.version },
        },
      });
    }
    for (const key in ctx.logs.exceptionCounts) {
      const i = key.indexOf('\u0000');
      const service = key.slice(0, i);
      const fingerprint = key.slice(i + 1);
      const signalKey = `new-exception|${service}|${fingerprint}`;
      if (!seen.has(signalKey) && ctx.isFiring(signalKey))
        out.push({ key: signalKey, kind: 'new-exception', subject: { service, fingerprint }, state: 'elevated' });
    }
    return out;
  },
};
