// A failing browser check keeps the screenshots and traces of its newest failed runs only, and
// never touches another check's files (even one whose name starts with its name).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { artifactBase, pruneArtifacts } from './artifacts.js';

test('keeps the newest failed runs of a check, both files of each, and leaves other checks alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-artifacts-'));
  try {
    const t0 = Date.UTC(2026, 11, 6, 12);
    const save = (name: string, i: number): string => {
      const base = artifactBase(dir, name, t0 + i * 300_000);
      writeFileSync(`${base}.png`, 'png');
      writeFileSync(`${base}.trace.zip`, 'zip');
      return basename(base);
    };
    const search = Array.from({ length: 25 }, (_, i) => save('shop search', i));
    const other = [save('shop search-eu', 0), save('shop search-eu', 1)];
    writeFileSync(join(dir, 'notes.txt'), 'not an artifact');
    pruneArtifacts(dir, 'shop search', 20);
    const left = readdirSync(dir).sort();
    const kept = search.slice(5).flatMap((b) => [`${b}.png`, `${b}.trace.zip`]);
    const others = other.flatMap((b) => [`${b}.png`, `${b}.trace.zip`]);
    assert.deepEqual(left, [...kept, ...others, 'notes.txt'].sort());
    assert.equal(search[0], 'shop_search-2026-12-06T12-00-00-000Z');
    pruneArtifacts(join(dir, 'missing'), 'shop search');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
