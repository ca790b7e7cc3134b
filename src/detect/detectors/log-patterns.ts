// Log intelligence signals: a template never seen before (after the service's warm-up, at warning
// severity or above), and a known template whose rate spikes against its own decayed rate
// (Poisson upper tail with a minimum count and factor).
import { z } from 'zod';
import { detectorSettings, type Detector, type Evaluation } from '../detector.js';
import { poissonUpperTail } from '../stats.js';
import { count, duration, pValue } from '../format.js';
import { bucketsIn } from './window.js';
import type { NewTemplateEvent } from '../log-events.js';
import { gateNovelty, type NoveltyState } from './novelty.js';

interface TemplateRate {
  /** Decayed per-bucket rate as of `atMs`. */
  rate: number;
  atMs: number;
  firstMs: number;
  /** [bucket end, count] of the recent buckets that had occurrences. */
  recent: Array<[number, number]>;
}

export interface LogPatternState extends NoveltyState<NewTemplateEvent> {
  rates: Record<string, TemplateRate>;
  /** Templates with recent occurrences or a firing spike: the only ones evaluated per bucket. */
  watch: Record<string, true>;
}

const SPIKE_TOLERANCE = 0.5;

function splitKey(key: string): [string, string] {
  const i = key.indexOf('\u0000');
  return [key.slice(0, i), key.slice(i + 1)];
}

const positive = z.number().positive();
const probability = z.number().gt(0).lt(1);

/** This detector's section of `detect:` in vigil.yaml (`logs`): every field, checked, with its default. */
const logsSchema = z
  .object({
    warmupMs: z.number().min(0),
    newPatternMinSeverity: z.number().int().min(0).max(24),
    spikeWindowMs: positive,
    spikeFactor: z.number().gt(1),
    spikeMinCount: z.number().int().min(1),
    alpha: probability,
    maxTemplatesPerService: z.number().int().min(1),
    /** A new pattern or exception with no change of its service behind it must recur this often… */
    recurMinCount: z.number().int().min(1),
    /** …within this window before it is signalled (a one-off transient is not a problem). */
    recurWindowMs: positive,
  })
  .strict();

export const logsSettings = detectorSettings('logs', logsSchema, {
  warmupMs: 30 * 60_000,
  newPatternMinSeverity: 13,
  spikeWindowMs: 60_000,
  spikeFactor: 5,
  spikeMinCount: 20,
  alpha: 1e-7,
  maxTemplatesPerService: 2000,
  recurMinCount: 5,
  recurWindowMs: 10 * 60_000,
});

export const logPatternDetector: Detector<LogPatternState> = {
  name: 'log-patterns',
  initialState: () => ({ rates: {}, watch: {}, candidates: {} }),
  evaluate(ctx, state) {
    const c = ctx.config.logs;
    const out: Evaluation[] = [];
    const bucketMs = ctx.config.bucketMs;
    state.candidates ??= {}; // snapshots from before the recurrence gate
    const fresh = ctx.logs.newTemplates
      .filter((ev) => ev.timeMs - (ctx.serviceFirstMs(ev.service) ?? ev.timeMs) >= c.warmupMs && ev.severityNumber >= c.newPatternMinSeverity)
      .map((event) => ({ key: `${event.service}\u0000${event.templateId}`, event }));
    for (const v of gateNovelty(ctx, state, fresh, (k) => ctx.logs.templateCounts[k] ?? 0)) {
      const ev = v.event;
      const key = `new-log-pattern|${ev.service}|${ev.templateId}`;
      const how = `${count(v.count)} times in ${duration(ctx.nowMs - ev.timeMs)}`;
      out.push({
        key,
        kind: 'new-log-pattern',
        subject: { service: ev.service, patternId: ev.templateId, pattern: ev.template, version: ev.version },
        state: 'anomalous',
        immediate: true,
        draft: {
          startedAtMs: ev.timeMs,
          window: { fromMs: Math.min(ev.timeMs, ctx.nowMs - bucketMs), toMs: ctx.nowMs },
          observed: v.count,
          baseline: 0,
          unit: 'count',
          pValue: Number.NaN,
          score: 0.5,
          summary: `${ev.service}: new log pattern${ev.version ? ` since version ${ev.version}` : ''}: "${ev.template}" (${how})`,
          evidence: { occurrences: v.count, severityNumber: ev.severityNumber },
        },
      });
    }
    // A new pattern stays open while it keeps occurring; it recovers after the hold without it.
    for (const key in ctx.logs.templateCounts) {
      const [service, id] = splitKey(key);
      const signalKey = `new-log-pattern|${service}|${id}`;
      if (ctx.isFiring(signalKey) && !out.some((e) => e.key === signalKey)) {
        out.push({ key: signalKey, kind: 'new-log-pattern', subject: { service, patternId: id }, state: 'elevated' });
      }
    }

    const buckets = bucketsIn(c.spikeWindowMs, ctx.config);
    const decay = Math.pow(0.5, bucketMs / ctx.config.rateHalfLifeMs);
    const fromMs = ctx.nowMs - buckets * bucketMs;
    for (const key in ctx.logs.templateCounts) {
      // A template's rate starts at its first bucket's count, not at zero, or every pattern looks
      // like a spike until several half-lives have passed.
      const r = state.rates[key] ?? { rate: ctx.logs.templateCounts[key] ?? 0, atMs: ctx.nowMs, firstMs: ctx.nowMs - bucketMs, recent: [] };
      r.recent.push([ctx.nowMs, ctx.logs.templateCounts[key] ?? 0]);
      state.rates[key] = r;
      state.watch[key] = true;
    }
    for (const key of Object.keys(state.watch)) {
      const r = state.rates[key];
      if (!r) {
        delete state.watch[key];
        continue;
      }
      while (r.recent.length > 0 && (r.recent[0]?.[0] ?? 0) <= fromMs) r.recent.shift();
      const n = r.recent.reduce((a, [, k]) => a + k, 0);
      const [service, id] = splitKey(key);
      const signalKey = `log-pattern-spike|${service}|${id}`;
      const firing = ctx.isFiring(signalKey);
      const usual = r.rate * Math.pow(decay, (ctx.nowMs - bucketMs - r.atMs) / bucketMs);
      const expected = usual * buckets;
      if (n > 0 || firing) {
        const pv = poissonUpperTail(n, expected * (1 + SPIKE_TOLERANCE));
        const judged = ctx.nowMs - r.firstMs >= c.warmupMs;
        const anomalous = judged && n >= c.spikeMinCount && n >= ctx.effectFor(c.spikeFactor, r.firstMs) * expected && pv < ctx.alphaFor(c.alpha, r.firstMs);
        const st = anomalous ? 'anomalous' : n >= (c.spikeFactor / 2) * expected && n >= c.spikeMinCount / 2 ? 'elevated' : 'normal';
        if (st !== 'normal' || firing) {
          const evaluation: Evaluation = {
            key: signalKey,
            kind: 'log-pattern-spike',
            subject: { service, patternId: id, pattern: ctx.logs.templateText[key] ?? '' },
            state: st,
          };
          if (anomalous) {
            evaluation.draft = {
              startedAtMs: r.recent[0]?.[0] !== undefined ? r.recent[0][0] - bucketMs : fromMs,
              window: { fromMs, toMs: ctx.nowMs },
              observed: n,
              baseline: expected,
              unit: 'count',
              pValue: pv,
              score: Math.min(1, 0.4 + Math.log10(Math.max(1, n / Math.max(expected, 0.1))) / 4),
              summary: `${service}: log pattern "${ctx.logs.templateText[key] ?? id}" ${count(n)} times in ${duration(c.spikeWindowMs)} vs ${expected.toFixed(1)} usual; ${pValue(pv)}`,
              evidence: { occurrences: n, expected },
            };
          }
          out.push(evaluation);
        }
      }
      // Learn the bucket that just closed, unless a spike is being watched (the baseline stays pre-spike).
      if (!firing && r.atMs < ctx.nowMs) {
        const k = ctx.logs.templateCounts[key] ?? 0;
        const gap = (ctx.nowMs - r.atMs) / bucketMs;
        r.rate = r.rate * Math.pow(decay, gap) + (1 - decay) * k;
        r.atMs = ctx.nowMs;
      }
      if (r.recent.length === 0 && !firing) delete state.watch[key];
    }
    return out;
  },
};
