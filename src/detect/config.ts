// The `detect:` section of vigil.yaml: the engine-wide settings here, and each detector's own
// section (schema and defaults, declared in its file under detectors/) assembled from the registry.
// Defaults meet the soak goals (≤ 0.5 false signals per service per week, median delay ≤ 60 s).
import { z } from 'zod';
import { detectorSettingsRegistry } from './detectors/registry.js';
import { positive, probability } from './detectors/verdict.js';

/** Settings of the engine as a whole (buckets, volume gates, cold start, baselines' memory). */
const engineShape = {
  bucketMs: z.number().int().min(1000),
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
};

type Sections = (typeof detectorSettingsRegistry)[number];
type EngineSettings = z.output<z.ZodObject<typeof engineShape>>;

export type DetectionConfig = EngineSettings & { [S in Sections as S['section']]: z.output<S['schema']> };

/** The `detect:` section as written by users: every field optional, nested sections too. */
export type DetectionConfigInput = Partial<EngineSettings> & { [S in Sections as S['section']]?: Partial<z.output<S['schema']>> };

const sectionsOf = <T>(shape: (s: Sections) => T): Record<string, T> => Object.fromEntries(detectorSettingsRegistry.map((s) => [s.section, shape(s)]));

const fullSchema = z.object({ ...engineShape, ...sectionsOf((s) => s.schema) }).strict();

export const detectionConfigSchema = fullSchema.extend(sectionsOf((s) => s.schema.partial())).partial() as unknown as z.ZodType<
  DetectionConfigInput,
  DetectionConfigInput
>;

const engineDefaults: EngineSettings = {
  bucketMs: 10_000,
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
};

export const defaultDetectionConfig: DetectionConfig = { ...engineDefaults, ...sectionsOf((s) => s.defaults) } as DetectionConfig;

/** Defaults overlaid with what the user wrote; the result is frozen and passed down. */
export function resolveDetectionConfig(input: DetectionConfigInput = {}): DetectionConfig {
  const d = defaultDetectionConfig;
  const given = input as Record<string, Record<string, unknown> | undefined>;
  return Object.freeze({
    ...d,
    ...input,
    disabled: input.disabled ?? d.disabled,
    ...sectionsOf((s) => overlay(s.defaults, given[s.section])),
  }) as DetectionConfig;
}

/** A section's defaults with what the user wrote on top; a map-valued field (saturation.limits) is merged key by key, lists are replaced. */
function overlay(defaults: Record<string, unknown>, given: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { ...defaults, ...given };
  for (const [key, value] of Object.entries(defaults)) {
    if (isMap(value) && isMap(given[key])) out[key] = { ...value, ...given[key] };
  }
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
