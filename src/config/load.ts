// Reads vigil.yaml (optional), validates it against the composed schema, applies the documented
// precedence (defaults < file < environment < command-line flags) and returns a frozen config.
// Nothing outside this module reads process.env.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './errors.js';

export interface ConfigSource {
  /** Path of vigil.yaml; a missing default file is fine, a missing named file is an error. */
  file?: string;
  fileRequired: boolean;
  /** Values from flags and the environment, as nested objects, merged over the file. */
  overrides: Record<string, unknown>;
}

function lineOf(doc: ReturnType<typeof parseDocument>, counter: LineCounter, path: Array<string | number>): number {
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
  const fromFile: unknown = doc.toJS() ?? {};
  if (typeof fromFile !== 'object' || Array.isArray(fromFile)) {
    throw new ConfigError([{ file, line: 1, key: '', message: 'the file must be a mapping of sections (server:, storage:, …)' }]);
  }
  const merged = mergeDeep(fromFile as Record<string, unknown>, source.overrides);
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        return { file, line: lineOf(doc, counter, path), key: path.join('.'), message: issue.message };
      }),
    );
  }
  return deepFreeze(parsed.data);
}
