// Release validation settings (vigil.yaml `release:`): how long a deploy is watched intensively,
// the false-fail budget of its sequential tests, and the tolerances that separate a regression
// from noise. Few parameters, each with its reason; the defaults are the documented method.
import { z } from 'zod';
import { remediationSectionSchema } from './remediation/config.js';

export const releaseSectionSchema = z
  .object({
    /** The intensive window after a deploy; undecided at its end → pass (enough traffic) or inconclusive. */
    windowMs: z.number().int().positive().default(3_600_000),
    /** Chance that a deploy without a regression is ever failed by the tests, over the whole window. */
    alpha: z.number().gt(0).lt(0.5).default(0.01),
    /** Error rate: a rise by this factor or less is noise, not a regression. */
    errorRatioTolerance: z.number().min(1).default(1.25),
    /** Latency: a rise of the watched percentile by this fraction or less is noise. */
    latencyTolerance: z.number().min(0).default(0.2),
    /** The watched latency percentile (0..1). */
    latencyQuantile: z.number().gt(0.5).lt(1).default(0.95),
    /** How much of the previous version's traffic before the deploy serves as its baseline. */
    baselineMs: z.number().int().positive().default(3_600_000),
    /** Saturation (CPU, memory, pools, queues): a rise of a minute's mean by this fraction or less is noise. */
    saturationTolerance: z.number().min(0).default(0.2),
    /** Previous days whose same time of day serves as the baseline when the versions do not serve side by side (0: the hour before only). */
    sameTimeOfDayDays: z.number().int().min(0).max(28).default(7),
    /** Candidate requests below which an undecided deploy is inconclusive at the window's end. */
    minRequests: z.number().int().positive().default(100),
    /** A pass is never declared before this (new exceptions and log templates need time to recur). */
    minWatchMs: z.number().int().nonnegative().default(900_000),
    remediation: remediationSectionSchema.prefault({}),
  })
  .strict();

export type ReleaseConfig = z.infer<typeof releaseSectionSchema>;

export const defaultReleaseConfig = (): ReleaseConfig => releaseSectionSchema.parse({});
