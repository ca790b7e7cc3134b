// Reads vigil.yaml (optional), substitutes `${ENV}` references, converts durations (`30s`),
// validates it against the composed schema (unknown keys with a "did you mean"), applies the
// documented precedence (defaults < file < environment < command-line flags) and returns a frozen
// config. Nothing outside this module reads process.env.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { convertDurations, type DurationProblem } from './durations.js';
import { substituteEnv } from './env-substitution.js';
import { ConfigError, type ConfigProblem } from './errors.js';
import { findUnknownKeys } from './unknown-keys.js';

export interface ConfigSource {
  /** Path of vigil.yaml; a missing default file is fine, a missing named file is an error. */
  file?: string;
  fileRequired: boolean;
  /** Values from flags and the environment, as nested objects, merged over the file. */
  overrides: Record<string, unknown>;
  /** Where `${NAME}` references in the file are read from (default: the process environment). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The 1-based line of the deepest node on `path` that exists (0 when none does). */
export function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: Array<string | number>): number {
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
  }
  return 0;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)) {
      out[k] = mergeDeep(prev as Record<string, unknown>, v as Record<string, unknown>);
    } else if (v !== undefined) out[k] = v;
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig<S extends z.ZodType>(schema: S, source: ConfigSource): Readonly<z.output<S>> {
  const file = source.file ?? 'vigil.yaml';
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (source.fileRequired || (err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new ConfigError([{ file, line: 0, key: '', message: `cannot read the file (${(err as Error).message})` }]);
    }
  }
  const counter = new LineCounter();
  const doc = parseDocument(text ?? '', { lineCounter: counter, prettyErrors: false });
  const problems: ConfigProblem[] = doc.errors.map((e) => ({
    file,
    line: counter.linePos(e.pos[0]).line,
    key: '',
    message: e.message.split('\n')[0] ?? e.message,
  }));
  if (problems.length) throw new ConfigError(problems);
  for (const p of substituteEnv(doc, counter, source.env ?? process.env)) problems.push({ file, ...p });
  const fromFile: unknown = doc.toJS() ?? {};
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError([{ file, line: 1, key: '', message: 'the file must be a mapping of sections (server:, storage:, …)' }]);
  }
  const durationProblems: DurationProblem[] = [];
  const merged = convertDurations(mergeDeep(fromFile as Record<string, unknown>, source.overrides), durationProblems);
  const at = (path: Array<string | number>, message: string): ConfigProblem => ({ file, line: lineOf(doc, counter, path), key: path.join('.'), message });
  problems.push(...durationProblems.map((p) => at(p.path, p.message)));
  const unknown = findUnknownKeys(schema, merged);
  const reported = new Set(unknown.map((u) => [...u.path, u.key].join('.')));
  problems.push(...unknown.map((u) => at([...u.path, u.key], `unknown key${u.suggestion ? ` (did you mean "${u.suggestion}"?)` : ''}`)));
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      // Strict objects report unknown keys too; the walk above already named them, with a suggestion.
      if (issue.code === 'unrecognized_keys' && issue.keys.every((k) => reported.has([...path, k].join('.')))) continue;
      problems.push(at(path, issue.message));
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return deepFreeze(parsed.data);
}
