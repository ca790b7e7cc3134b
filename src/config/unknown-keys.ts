// Unknown keys in vigil.yaml, found by walking the data beside the composed zod schema, with a
// "did you mean" for the nearest known key. Schemas that do not say `.strict()` would otherwise
// drop a misspelt key in silence (`notify.chanels` leaving every channel unconfigured).
import type { z } from 'zod';

export interface UnknownKey {
  path: Array<string | number>;
  key: string;
  suggestion?: string;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const wrappers = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch', 'nonoptional', 'success']);

/** Every key the schema does not know, anywhere in `data`, in document order. */
export function findUnknownKeys(schema: z.ZodType, data: unknown, path: Array<string | number> = []): UnknownKey[] {
  const def = defOf(schema);
  if (wrappers.has(def.type) && def.innerType) return findUnknownKeys(def.innerType, data, path);
  if (def.type === 'pipe' && def.in) return findUnknownKeys(def.in, data, path);
  if (def.type === 'lazy' && def.getter) return findUnknownKeys(def.getter(), data, path);
  if (def.type === 'intersection' && def.left && def.right) return intersect(findUnknownKeys(def.left, data, path), findUnknownKeys(def.right, data, path));
  if (def.type === 'array' && def.element && Array.isArray(data)) return data.flatMap((v, i) => findUnknownKeys(def.element!, v, [...path, i]));
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const record = data as Record<string, unknown>;
  if (def.type === 'record' && def.valueType) return Object.entries(record).flatMap(([k, v]) => findUnknownKeys(def.valueType!, v, [...path, k]));
  if (def.type === 'union' && def.options) return unionUnknownKeys(def, record, path);
  if (def.type !== 'object' || !def.shape) return [];
  const shape = def.shape;
  // A catch-all other than `never` (`.loose()`, `.catchall(x)`) accepts any key on purpose.
  const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  const out: UnknownKey[] = [];
  for (const [key, value] of Object.entries(record)) {
    const field = shape[key];
    if (field) out.push(...findUnknownKeys(field, value, [...path, key]));
    else if (!open) out.push({ path, key, ...suggestionFor(key, Object.keys(shape)) });
  }
  return out;
}

/** The option the discriminator names; else the option that fits best (fewest unknown keys). */
function unionUnknownKeys(def: Def, record: Record<string, unknown>, path: Array<string | number>): UnknownKey[] {
  const options = def.options ?? [];
  if (def.discriminator !== undefined) {
    const tag = record[def.discriminator];
    const chosen = options.find((o) => literalValues(o, def.discriminator!).includes(tag));
    return chosen ? findUnknownKeys(chosen, record, path) : [];
  }
  let best: UnknownKey[] | undefined;
  for (const option of options) {
    const found = findUnknownKeys(option, record, path);
    if (!best || found.length < best.length) best = found;
  }
  return best ?? [];
}

function literalValues(option: z.ZodType, key: string): unknown[] {
  let def = defOf(option);
  while ((wrappers.has(def.type) && def.innerType) || (def.type === 'pipe' && def.in)) def = defOf((def.innerType ?? def.in)!);
  const field = def.shape?.[key];
  return field ? ((defOf(field) as Def & { values?: unknown[] }).values ?? []) : [];
}

const intersect = (a: UnknownKey[], b: UnknownKey[]): UnknownKey[] => a.filter((x) => b.some((y) => y.key === x.key && y.path.join('.') === x.path.join('.')));

function suggestionFor(key: string, known: readonly string[]): { suggestion?: string } {
  const suggestion = closestName(key, known);
  return suggestion === undefined ? {} : { suggestion };
}

/** The known name a typo of `typed` most likely meant, if any is close enough. */
export function closestName(typed: string, known: readonly string[]): string | undefined {
  const lower = typed.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === lower ? 0 : editDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  // Close enough to be a typo: a third of the name's length, at least 2 edits for short names.
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.name : undefined;
}

/** Damerau–Levenshtein (optimal string alignment): a swapped pair of letters is one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i]!;
      const prev = d[i - 1]!;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
