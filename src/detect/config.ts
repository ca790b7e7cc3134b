// The `detect:` section of vigil.yaml: every threshold of the detection engine, with defaults that
// meet the soak goals (≤ 0.5 false signals per service per week, median delay ≤ 60 s).
import { z } from 'zod';

const positive = z.number().positive();
const probability = z.number().gt(0).lt(1);

const errorRate = z
  .object({
    windowMs: positive,
    /** A second, longer window gives quiet routes enough requests to be judged. */
    longWindowMs: positive,
    alpha: probability,
    minErrors: z.number().int().min(1),
    /** Observed ratio must be at least this multiple of the baseline ratio … */
    minRatio: z.number().min(1),
    /** … and at least this much higher in absolute terms (0.01 = one percentage point). */
    minIncrease: z.number().min(0).max(1),
    /** Prior for the baseline error ratio: `priorRate` over `priorRequests` pseudo-requests. */
    priorRate: probability,
    priorRequests: z.number().min(0),
  })
  .strict();

const latency = z
  .object({
    windowMs: positive,
    alpha: probability,
    minSamples: z.number().int().min(1),
    minRatio: z.number().min(1),
    minDeltaMs: z.number().min(0),
    /** Requests slower than this baseline quantile are counted for the significance test. */
    referenceQuantile: z.number().gt(0.5).lt(1),
  })
  .strict();

const throughput = z
  .object({
    windowMs: positive,
    longWindowMs: positive,
    alpha: probability,
    minDrop: z.number().gt(0).lt(1),
    minExpected: z.number().min(0),
    /** Part of the expectation allowed as normal deviation before the Poisson test starts. */
    tolerance: z.number().min(0).lt(1),
    surgeFactor: z.number().gt(1),
  })
  .strict();

const changePoint = z
  .object({ threshold: positive, shiftRatio: z.number().gt(1), minEvents: z.number().int().min(1) })
  .strict();

const saturation = z
  .object({
    threshold: z.number().gt(0).max(1),
    horizonMs: positive,
    windowMs: positive,
    minPoints: z.number().int().min(3),
    /** Limits for gauges that carry none themselves, by metric name (e.g. process.memory.usage). */
    limits: z.record(z.string(), positive),
  })
  .strict();

const silence = z
  .object({ silenceMs: positive, alpha: probability, minExpectedPerMin: z.number().min(0) })
  .strict();

const logs = z
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

const metricAnomaly = z
  .object({
    /** Metric names watched by the streaming series scorer; a trailing `*` matches a prefix. */
    metrics: z.array(z.string().min(1)),
    /** Scores at or above this (0..1) are anomalous. */
    threshold: z.number().gt(0).max(1),
    /** Points a series needs before its scores are trusted. */
    minPoints: z.number().int().min(1),
  })
  .strict();

const fullSchema = z
  .object({
    bucketMs: z.number().int().min(1000),
    /** Buckets close this long after their end, so spans exported late still count (wall clock: ~15 s). */
    latenessMs: z.number().min(0),
    /** No detector judges a series with less history than this. */
    minHistoryMs: z.number().min(0),
    /** … nor a series (service, for silence) that carried fewer requests (events) than this … */
    minRequests: z.number().int().min(0),
    /** … or had traffic in fewer of its 10 s buckets than this: a burst is not steady traffic. */
    minActiveBuckets: z.number().int().min(0),
    /** History after which baselines are trusted fully; before it tests are stricter and wider. */
    warmupMs: positive,
    coldAlphaFactor: probability,
    coldEffectFactor: z.number().min(1),
    fireAfterBuckets: z.number().int().min(1),
    holdMs: z.number().min(0),
    adaptAfterMs: positive,
    changeWindowMs: z.number().min(0),
    rateHalfLifeMs: positive,
    errorHalfLifeMs: positive,
    latencyHalfLifeMs: positive,
    seasonalSlotMs: positive,
    seasonalWeight: z.number().min(0).max(1),
    seasonalDayWeight: z.number().gt(0).max(1),
    maxCatchUpMs: positive,
    disabled: z.array(z.string()),
    errorRate,
    latency,
    throughput,
    changePoint,
    saturation,
    silence,
    logs,
    metricAnomaly,
  })
  .strict();

export type DetectionConfig = z.infer<typeof fullSchema>;

/** The `detect:` section as written by users: every field optional, nested sections too. */
export const detectionConfigSchema = fullSchema
  .extend({
    errorRate: errorRate.partial(),
    latency: latency.partial(),
    throughput: throughput.partial(),
    changePoint: changePoint.partial(),
    saturation: saturation.partial(),
    silence: silence.partial(),
    logs: logs.partial(),
    metricAnomaly: metricAnomaly.partial(),
  })
  .partial();

export type DetectionConfigInput = z.infer<typeof detectionConfigSchema>;

export const defaultDetectionConfig: DetectionConfig = {
  bucketMs: 10_000,
  latenessMs: 0,
  minHistoryMs: 10 * 60_000,
  minRequests: 100,
  minActiveBuckets: 30,
  warmupMs: 60 * 60_000,
  coldAlphaFactor: 1e-3,
  coldEffectFactor: 2,
  fireAfterBuckets: 2,
  holdMs: 2 * 60_000,
  adaptAfterMs: 3 * 60 * 60_000,
  changeWindowMs: 30 * 60_000,
  rateHalfLifeMs: 15 * 60_000,
  errorHalfLifeMs: 60 * 60_000,
  latencyHalfLifeMs: 60 * 60_000,
  seasonalSlotMs: 15 * 60_000,
  seasonalWeight: 0.5,
  seasonalDayWeight: 0.3,
  maxCatchUpMs: 24 * 3600_000,
  disabled: [],
  errorRate: {
    windowMs: 60_000,
    longWindowMs: 180_000,
    alpha: 1e-5,
    minErrors: 5,
    minRatio: 3,
    minIncrease: 0.01,
    priorRate: 0.005,
    priorRequests: 200,
  },
  latency: { windowMs: 60_000, alpha: 1e-7, minSamples: 20, minRatio: 1.5, minDeltaMs: 20, referenceQuantile: 0.9 },
  throughput: { windowMs: 30_000, longWindowMs: 120_000, alpha: 1e-7, minDrop: 0.5, minExpected: 20, tolerance: 0.25, surgeFactor: 3 },
  changePoint: { threshold: 16, shiftRatio: 2, minEvents: 10 },
  saturation: { threshold: 0.9, horizonMs: 30 * 60_000, windowMs: 15 * 60_000, minPoints: 6, limits: {} },
  silence: { silenceMs: 2 * 60_000, alpha: 1e-7, minExpectedPerMin: 5 },
  logs: {
    warmupMs: 30 * 60_000,
    newPatternMinSeverity: 13,
    spikeWindowMs: 60_000,
    spikeFactor: 5,
    spikeMinCount: 20,
    alpha: 1e-7,
    maxTemplatesPerService: 2000,
    recurMinCount: 5,
    recurWindowMs: 10 * 60_000,
  },
  metricAnomaly: { metrics: ['kpi.*', 'business.*'], threshold: 0.9, minPoints: 60 },
};

/** Defaults overlaid with what the user wrote; the result is frozen and passed down. */
export function resolveDetectionConfig(input: DetectionConfigInput = {}): DetectionConfig {
  const d = defaultDetectionConfig;
  return Object.freeze({
    ...d,
    ...input,
    disabled: input.disabled ?? d.disabled,
    errorRate: { ...d.errorRate, ...input.errorRate },
    latency: { ...d.latency, ...input.latency },
    throughput: { ...d.throughput, ...input.throughput },
    changePoint: { ...d.changePoint, ...input.changePoint },
    saturation: { ...d.saturation, ...input.saturation, limits: { ...d.saturation.limits, ...input.saturation?.limits } },
    silence: { ...d.silence, ...input.silence },
    logs: { ...d.logs, ...input.logs },
    metricAnomaly: { ...d.metricAnomaly, ...input.metricAnomaly },
  });
}
