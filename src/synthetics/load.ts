// Loads every *.yaml / *.yml file of a checks directory: parse with positions, substitute
// ${ENV_VAR} (secrets stay out of the files), validate, and collect EVERY problem with its file,
// line and key, so a team fixes its checks in one pass. Browser journeys written in TypeScript or
// JavaScript (*.journey.ts, see journeys/) load beside them. Check names are unique across files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf } from '../config/index.js';
import { loadJourneyFile, scriptsVersion } from './journeys/load.js';
import { journeyFilePattern } from './journeys/transpile.js';
import { checkFileSchema, type CheckDefinition } from './schema.js';

export interface CheckProblem {
  file: string;
  line: number;
  key: string;
  message: string;
}

export class ChecksInvalidError extends Error {
  readonly code = 'VIGIL_CHECKS_INVALID';
  constructor(readonly problems: CheckProblem[]) {
    super(problems.map(formatProblem).join('\n'));
  }
}

export const formatProblem = (p: CheckProblem): string =>
  `VIGIL_CHECKS_INVALID: ${p.file}${p.line ? `:${p.line}` : ''} ${p.key ? `${p.key}: ` : ''}${p.message}`;

export interface LoadedCheck {
  check: CheckDefinition;
  /** Where it is defined, for messages. */
  file: string;
  line: number;
  /** The environment variables read into it (`${VAR}`), by name: kept out of its results. */
  secrets?: Readonly<Record<string, string>>;
}

export interface LoadResult {
  checks: LoadedCheck[];
  problems: CheckProblem[];
}

/** The check files of a directory (and its subdirectories), in a stable order. */
export function checkFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name) || journeyFilePattern.test(entry.name)) out.push(path);
    }
  };
  walk(dir);
  return out;
}

/** Loads a directory of check files; problems are returned, not thrown, so callers choose. */
export async function loadChecks(dir: string, env: NodeJS.ProcessEnv): Promise<LoadResult> {
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return { checks: [], problems: [{ file: dir, line: 0, key: '', message: 'not a directory' }] };
    files = checkFiles(dir);
  } catch (err) {
    return { checks: [], problems: [{ file: dir, line: 0, key: '', message: `cannot read the directory (${(err as Error).message})` }] };
  }
  const checks: LoadedCheck[] = [];
  const problems: CheckProblem[] = [];
  const version = files.some((f) => journeyFilePattern.test(f)) ? scriptsVersion(dir) : '';
  for (const path of files) {
    const file = relative(process.cwd(), path) || path;
    const r = journeyFilePattern.test(path) ? await loadJourneyFile(path, file, env, version) : parseCheckFile(file, readFileSync(path, 'utf8'), env);
    checks.push(...r.checks);
    problems.push(...r.problems);
  }
  const seen = new Map<string, LoadedCheck>();
  for (const c of checks) {
    const first = seen.get(c.check.name);
    if (first) problems.push({ file: c.file, line: c.line, key: 'name', message: `"${c.check.name}" is already defined at ${first.file}:${first.line}` });
    else seen.set(c.check.name, c);
  }
  return { checks: [...seen.values()], problems };
}

export function parseCheckFile(file: string, text: string, env: NodeJS.ProcessEnv): LoadResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length) {
    return {
      checks: [],
      problems: doc.errors.map((e) => ({ file, line: counter.linePos(e.pos[0]).line, key: '', message: e.message.split('\n')[0] ?? e.message })),
    };
  }
  const problems: CheckProblem[] = [];
  // The variables each check read (path ['checks', index, ...]), so its runs can hide their values.
  const used = new Map<unknown, Record<string, string>>();
  const raw = substituteEnv(
    doc.toJS() ?? {},
    env,
    (path, variable, value) => {
      if (value === undefined)
        problems.push({ file, line: lineOf(doc, counter, path), key: path.join('.'), message: `the environment variable ${variable} is not set` });
      else used.set(path[1], { ...used.get(path[1]), [variable]: value });
    },
    [],
  );
  const parsed = checkFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      problems.push({ file, line: lineOf(doc, counter, path), key: path.join('.'), message: issue.message });
    }
  }
  if (problems.length || !parsed.success) return { checks: [], problems };
  return {
    checks: parsed.data.checks.map((check, i) => ({
      check,
      file,
      line: lineOf(doc, counter, ['checks', i]),
      ...(used.has(i) ? { secrets: used.get(i) } : {}),
    })),
    problems,
  };
}

/** Replaces `${NAME}` in every string with the environment's value (told to `read`, undefined when unset); `$${` is a literal `${`. */
function substituteEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
  read: (path: Array<string | number>, variable: string, value: string | undefined) => void,
  path: Array<string | number>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, variable: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const v = env[variable];
      read(path, variable, v);
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, read, [...path, i]));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, read, [...path, k])]));
  return value;
}
