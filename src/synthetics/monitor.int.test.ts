// The monitor across a restart of Vigil (a real embedded store): a heartbeat's clock is read back
// from its latest stored run, so a stored ping is not forgotten and a job silent before the restart
// gets no fresh grace period; a ping after the restart is newer than the stored one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import type { StoredCheckRun } from '../store/index.js';
import { ScratchStore } from '../store/testing/scratch-store.js';
import { SyntheticMonitor } from './monitor.js';

describe('heartbeats across a restart', () => {
  let scratch: ScratchStore;
  let dir: string;
  before(async () => {
    scratch = await ScratchStore.open('vigil-monitor-');
    dir = mkdtempSync(join(tmpdir(), 'vigil-monitor-checks-'));
    writeFileSync(
      join(dir, 'jobs.yaml'),
      'checks:\n  - { name: export, kind: heartbeat, every: 1s, grace: 1h }\n  - { name: backup, kind: heartbeat, every: 1s, grace: 1h }\n',
    );
  });
  after(async () => {
    await scratch.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const monitor = (): SyntheticMonitor =>
    new SyntheticMonitor({
      store: scratch.store,
      log: createLogger('silent'),
      dir,
      env: {},
      concurrency: 4,
      chromiumPath: '/usr/bin/chromium',
      artifactsDir: join(dir, 'artifacts'),
      engineNow: Date.now,
      reportSignals: () => Promise.resolve(),
      ingestSpans: () => Promise.resolve(),
    });
  /** The first run of `name` that started at or after `sinceMs` (runs are every second). */
  const runSince = async (m: SyntheticMonitor, name: string, sinceMs: number): Promise<StoredCheckRun> => {
    for (const t0 = Date.now(); Date.now() - t0 < 10_000; await new Promise((r) => setTimeout(r, 100))) {
      const run = (await m.runs(name, sinceMs, Date.now(), 10)).at(-1);
      if (run) return run;
    }
    throw new Error(`no run of ${name} since ${new Date(sinceMs).toISOString()}`);
  };

  it('keeps a stored ping and the start of a silence, and a newer ping wins', async () => {
    const first = monitor();
    const t0 = Date.now();
    await first.start();
    assert.equal(first.ping('export'), true);
    const pinged = (await runSince(first, 'export', t0)).details;
    const silent = (await runSince(first, 'backup', t0)).details;
    await first.stop();
    assert.equal(pinged.pinged, true);
    assert.equal(silent.pinged, false);

    const second = monitor();
    await new Promise((r) => setTimeout(r, 50));
    const restartedAt = Date.now();
    await second.start();
    const backup = await runSince(second, 'backup', restartedAt);
    assert.equal(backup.details.watchedSince, silent.watchedSince, 'the silence is counted from before the restart');
    const exported = await runSince(second, 'export', restartedAt);
    assert.equal(exported.details.lastPing, pinged.lastPing, 'the stored ping is remembered');

    assert.equal(second.ping('export'), true);
    const pingedAt = Date.now();
    const later = await runSince(second, 'export', pingedAt);
    assert.ok(Date.parse(String(later.details.lastPing)) >= restartedAt, 'a ping after the restart is newer');
    await second.stop();
  });
});
