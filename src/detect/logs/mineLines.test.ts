// Batch mining: the final assignment pass over ids handed out online.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mineLines } from './mineLines.js';

void test('assigns lines seen before a generalisation to the generalised template', () => {
  const users = ['ann', 'ben', 'cat', 'dan', 'eve', 'fay'];
  const lines = users.flatMap((u, i) => [`login ok for user ${u}`, `cache miss for key k${i}x${i}`]);
  const progress: number[] = [];
  const { templateIds, templateText } = mineLines(lines, { onProgress: (n) => progress.push(n), progressEvery: 5 });
  const logins = templateIds.filter((_, i) => i % 2 === 0);
  assert.equal(new Set(logins).size, 1);
  assert.equal(templateText.get(logins[0]!), 'login ok for user <*>');
  assert.equal(new Set(templateIds).size, 2);
  assert.deepEqual(progress, [5, 10]);
});
