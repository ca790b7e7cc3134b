// Loads one TypeScript or JavaScript browser journey file (`*.journey.ts|.mts|.js|.mjs`): syntax
// errors and definition errors are problems with the file's line (the definition's keys are placed
// with the TypeScript parser), declared secrets are read from the environment, and the journey
// becomes a browser check. TypeScript is transpiled on import by the module hooks in hooks.ts.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { z } from 'zod';
import type { CheckProblem, LoadResult } from '../load.js';
import { commonCheckFields, viewportSchema, type ScriptedBrowserCheck } from '../schema.js';
import { journeyMarker, type JourneyBody } from './api.js';
import { reloadParam } from './hooks.js';
import { typescript } from './transpile.js';

const definitionSchema = z
  .object({
    ...commonCheckFields,
    secrets: z
      .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))
      .max(50)
      .optional(),
    viewport: viewportSchema.optional(),
  })
  .strict();

let hooksRegistered = false;

/**
 * A fingerprint of the script files under a checks directory (journeys and the helpers they import).
 * Journeys are imported under it: unchanged files reuse the modules already loaded (a reload of the
 * YAML next to them costs nothing and leaks nothing), any edit imports them all afresh.
 */
export function scriptsVersion(dir: string): string {
  const hash = createHash('sha1');
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.m?[jt]s$/i.test(entry.name)) {
        const s = statSync(path);
        hash.update(`${path}\0${s.mtimeMs}\0${s.size}\n`);
      }
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}

function registerHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  // Stack traces through the transpiled code point at the .ts lines (failure locations in reports).
  process.setSourceMapsEnabled(true);
  register(new URL('./hooks.js', import.meta.url), { data: { apiUrl: new URL('./api.js', import.meta.url).href } });
}

/** The 1-based line of the `path` key inside the journey's definition object (or of the definition). */
function lineOfKey(ts: typeof TS, source: string, fileName: string, path: ReadonlyArray<string | number>): number {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const unwrap = (n: TS.Node): TS.Node => (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n) ? unwrap(n.expression) : n);
  let definition: TS.Node | undefined;
  const visit = (n: TS.Node): void => {
    if (definition) return;
    if (ts.isCallExpression(n) && /defineJourney$/.test(n.expression.getText(file)) && n.arguments[0]) definition = unwrap(n.arguments[0]);
    else if (ts.isVariableDeclaration(n) && n.name.getText(file) === 'journey' && n.initializer) definition = unwrap(n.initializer);
    else ts.forEachChild(n, visit);
  };
  visit(file);
  const lineOf = (n: TS.Node): number => file.getLineAndCharacterOfPosition(n.getStart(file)).line + 1;
  if (!definition) return 1;
  let node: TS.Node = definition;
  for (const key of path) {
    let next: TS.Node | undefined;
    if (typeof key === 'number' && ts.isArrayLiteralExpression(node)) next = node.elements[key];
    else if (ts.isObjectLiteralExpression(node)) {
      const prop = node.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === String(key));
      next = prop && ts.isPropertyAssignment(prop) ? unwrap(prop.initializer) : prop;
    }
    if (!next) break;
    node = next;
  }
  return lineOf(node);
}

/** The journey a module exports: `export default defineJourney(...)`, or `export const journey` + a default function. */
function journeyOf(mod: Record<string, unknown>): { definition: unknown; run: unknown } | undefined {
  const d = mod.default as Record<PropertyKey, unknown> | undefined;
  if (d && typeof d === 'object' && d[journeyMarker] === true) return { definition: d.definition, run: d.run };
  if (typeof d === 'function' && mod.journey && typeof mod.journey === 'object') return { definition: mod.journey, run: d };
  return undefined;
}

/** `file` is the path shown in messages; `path` the one read; `version` from `scriptsVersion`. */
export async function loadJourneyFile(path: string, file: string, env: NodeJS.ProcessEnv, version: string): Promise<LoadResult> {
  const problem = (line: number, key: string, message: string): LoadResult => ({ checks: [], problems: [{ file, line, key, message }] });
  const source = readFileSync(path, 'utf8');
  // The compiler loads in the hooks' thread to import the file; here only to place a problem.
  let parser: typeof TS | undefined;
  const lineOf = (key: ReadonlyArray<string | number>): number => lineOfKey((parser ??= typescript()), source, path, key);
  registerHooks();
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(path);
    url.searchParams.set(reloadParam, version);
    mod = (await import(url.href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    const at = new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:\\?[^:]*)?:(\\d+)`).exec(`${e.message}\n${e.stack ?? ''}`);
    // A syntax error from the hooks reads `PATH:LINE message`; a throw at the top level has PATH:LINE in its stack.
    const message = (e.message.split('\n')[0] ?? '').replace(`${path}:${at?.[1] ?? ''} `, '');
    return problem(at ? Number(at[1]) : 1, '', e instanceof SyntaxError ? message : `cannot load the journey: ${message}`);
  }
  const journey = journeyOf(mod);
  if (!journey)
    return problem(
      1,
      '',
      'exports no journey: write `export default defineJourney({ name, ... }, async ({ page, step, expect }) => { ... })` (import it from vigil-qa/journeys)',
    );
  const problems: CheckProblem[] = [];
  const parsed = definitionSchema.safeParse(journey.definition);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      problems.push({ file, line: lineOf(key), key: key.join('.'), message: issue.message });
    }
  }
  if (typeof journey.run !== 'function') problems.push({ file, line: lineOf([]), key: '', message: 'the journey has no function to run' });
  if (!parsed.success || problems.length) return { checks: [], problems };
  const { secrets: names = [], ...definition } = parsed.data;
  const secrets: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const value = env[name];
    if (value === undefined) problems.push({ file, line: lineOf(['secrets', i]), key: `secrets.${i}`, message: `the environment variable ${name} is not set` });
    else secrets[name] = value;
  }
  if (problems.length) return { checks: [], problems };
  const check: ScriptedBrowserCheck = { ...definition, kind: 'browser', script: { file, run: journey.run as JourneyBody, secrets } };
  // The definition's line without the parser: where `name:` is written (messages only).
  const line = source.split('\n').findIndex((l) => l.includes(JSON.stringify(check.name)) || l.includes(`'${check.name}'`)) + 1 || 1;
  return { checks: [{ check, file, line }], problems: [] };
}
