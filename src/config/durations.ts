// Durations in vigil.yaml may be written `30s`, `5m`, `1h30m` wherever a key names its unit
// (`timeoutMs`, `afterMinutes`, `spansDays` …): the loader converts them into that unit before
// validation, so every module's schema keeps plain numbers and nobody counts zeros.

const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** Key suffix → milliseconds per unit of that key. */
const keyUnits: ReadonlyArray<readonly [string, number]> = [
  ['Ms', 1],
  ['Seconds', 1_000],
  ['Minutes', 60_000],
  ['Hours', 3_600_000],
  ['Days', 86_400_000],
];
const durationText = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;
const durationPart = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;

/** Milliseconds in `1h30m`, `45s`, `250ms`, `1.5d`; undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim();
  if (!durationText.test(compact)) return undefined;
  let ms = 0;
  for (const [, amount, unit] of compact.matchAll(durationPart)) ms += Number(amount) * (unitMs[unit ?? ''] ?? Number.NaN);
  return Number.isFinite(ms) ? ms : undefined;
}

export interface DurationProblem {
  path: Array<string | number>;
  message: string;
}

const unitOfKey = (key: string): number | undefined => keyUnits.find(([suffix]) => key.endsWith(suffix) && key.length > suffix.length)?.[1];

/** A copy of `value` with duration strings under unit-named keys converted; problems for the rest. */
export function convertDurations(value: unknown, problems: DurationProblem[], path: Array<string | number> = []): unknown {
  if (Array.isArray(value)) return value.map((v, i) => convertDurations(v, problems, [...path, i]));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const perUnit = unitOfKey(key);
    if (perUnit === undefined || typeof v !== 'string') {
      out[key] = convertDurations(v, problems, [...path, key]);
      continue;
    }
    const ms = parseDuration(v);
    if (ms === undefined) {
      problems.push({ path: [...path, key], message: `expected a duration such as 30s, 5m or 1h30m, or a number (${unitName(perUnit)})` });
      out[key] = v;
    } else out[key] = ms / perUnit;
  }
  return out;
}

function unitName(perUnit: number): string {
  const suffix = keyUnits.find(([, ms]) => ms === perUnit)?.[0] ?? 'Ms';
  return suffix === 'Ms' ? 'milliseconds' : suffix.toLowerCase();
}
