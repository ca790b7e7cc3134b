// The error catalog in docs/errors.md and the codes in errors.ts must list the same codes with
// the same statuses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { join } from 'node:path';
import { repoRoot } from '../../test/support/paths.js';
import { apiErrorCodes } from './errors.js';

test('docs/errors.md lists every API error code with its status, and no others', () => {
  const doc = readFileSync(join(repoRoot(), 'docs/errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `(VIGIL_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
  assert.deepEqual(Object.fromEntries(rows), { ...apiErrorCodes });
});
