// The error catalog in docs/errors.md against the code: the API codes with the same statuses, and
// every VIGIL_* code the source raises anywhere (start-up, config, notify, checks…) found by
// scanning src/, so a new code cannot be forgotten; a catalog row for a code nothing raises fails too.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/paths.js';
import { apiErrorCodes } from './errors.js';

const doc = readFileSync(join(repoRoot(), 'docs/errors.md'), 'utf8');

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Every VIGIL_* word in the source that is not an environment variable. Environment variables are
 * the names read as `env.VIGIL_…` (only config/ and the CLI's connection read the environment).
 */
function codesInSource(): Set<string> {
  const words = new Set<string>();
  const env = new Set<string>();
  for (const file of sourceFiles(join(repoRoot(), 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bVIGIL_[A-Z0-9_]+\b/g)) words.add(m[0]);
    for (const m of text.matchAll(/\benv\.(VIGIL_[A-Z0-9_]+)\b/g)) env.add(m[1]!);
  }
  return new Set([...words].filter((w) => !env.has(w)));
}

test('docs/errors.md lists every API error code with its status, and no others', () => {
  const rows = [...doc.matchAll(/^\| `(VIGIL_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(Object.fromEntries(rows), { ...apiErrorCodes });
});

test('docs/errors.md has a row for every VIGIL_* code the source raises, and none for a code nothing raises', () => {
  const catalog = new Set([...doc.matchAll(/^\| `(VIGIL_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
  const source = codesInSource();
  assert.ok(source.has('VIGIL_BAD_REQUEST') && source.has('VIGIL_NOTIFY_UNKNOWN_CHANNEL'), 'the scan finds codes');
  assert.deepEqual([...source].filter((c) => !catalog.has(c)).sort(), [], 'codes raised but missing from docs/errors.md');
  assert.deepEqual([...catalog].filter((c) => !source.has(c)).sort(), [], 'catalog rows for codes nothing raises');
});
