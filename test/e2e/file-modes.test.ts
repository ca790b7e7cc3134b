// Black-box: everything `vigil start` creates under its data directory (the directory itself, the
// WAL and its checkpoint and lock, the notify outbox, the embedded store's files) is owner-only
// (directories 0700, files 0600), even when started from a shell whose umask lets others read.
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { hexId, traceRequest } from '../support/otlp-json.js';
import { startVigilProcess, TEST_KEY } from '../support/vigil-process.js';

function* walk(path: string): Generator<string> {
  yield path;
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) yield* walk(join(path, name));
}

const root = mkdtempSync(join(tmpdir(), 'vigil-modes-'));
after(() => rmSync(root, { recursive: true, force: true }));

void it('Vigil creates its data directory and every file in it owner-only', { timeout: 300_000 }, async () => {
  const config = join(root, 'vigil.yaml');
  // A notify channel, so the outbox journal exists too (nothing is delivered: no incident opens).
  writeFileSync(config, 'notify:\n  channels:\n    - { name: hook, type: webhook, url: http://127.0.0.1:9/hook, secret: a-secret-of-sixteen-chars }\n');
  const dataDir = join(root, 'data');
  const previous = process.umask(0o022);
  const vigil = await startVigilProcess({ dataDir, extraArgs: ['--config', config] });
  process.umask(previous);
  try {
    const traceId = hexId(16);
    const sent = await fetch(`${vigil.otlp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify(
        traceRequest('checkout', '1.0.0', [
          { traceId, spanId: hexId(8), name: 'GET /cart', kind: 2, startMs: Date.now(), durationMs: 12, attributes: { 'http.route': '/cart' } },
        ]),
      ),
    });
    assert.equal(sent.status, 200);
    await vigil.waitFor(async () => (await vigil.request(`/api/v1/traces/${traceId}`)).status === 200, 30_000, 'the trace');
  } finally {
    await vigil.stop();
  }
  const open: string[] = [];
  let files = 0;
  for (const path of walk(dataDir)) {
    const s = lstatSync(path);
    if (s.isSymbolicLink()) continue;
    files++;
    const expected = s.isDirectory() ? 0o700 : 0o600;
    if ((s.mode & 0o077) !== 0 || (s.isDirectory() && (s.mode & 0o700) !== 0o700))
      open.push(`${(s.mode & 0o777).toString(8)} (want ${expected.toString(8)}) ${path.slice(dataDir.length) || '/'}`);
  }
  for (const expected of ['wal', 'notify', 'chdb']) assert.ok(readdirSync(dataDir).includes(expected), `${expected} under the data directory`);
  assert.ok(files > 20, `only ${files} entries under ${dataDir}`);
  assert.deepEqual(open, [], `readable by others:\n${open.slice(0, 40).join('\n')}`);
});
