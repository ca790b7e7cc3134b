// The monitor across a restart of Vigil and a reload of its files (a real embedded store): a
// heartbeat's clock is read back from its latest stored run (a stored ping is not forgotten, a job
// silent before the restart gets no fresh grace period, a newer ping wins); a failure confirmed
// before the restart is recovered by the first passing run after it (the incident would otherwise
// never see its signal recover) and not signalled twice while it goes on; a check removed from the
// files leaves the list and its open signal recovers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../logger.js';
import type { Signal } from '../model/index.js';
import type { StoredCheckRun } from '../store/index.js';
import { ScratchStore } from '../store/testing/scratch-store.js';
import { SyntheticMonitor } from './monitor.js';
import { startLocalSite, type LocalSite } from './testing/local-site.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  for (const t0 = Date.now(); Date.now() - t0 < 15_000; await sleep(100)) {
    const v = await probe();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the monitor across restarts and reloads', () => {
  let scratch: ScratchStore;
  const dirs: string[] = [];
  before(async () => {
    scratch = await ScratchStore.open('vigil-monitor-');
  });
  after(async () => {
    await scratch.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const checksDir = (yaml: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-monitor-checks-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'checks.yaml'), yaml);
    return dir;
  };
  const monitor = (dir: string, signals: Signal[] = []): SyntheticMonitor =>
    new SyntheticMonitor({
      store: scratch.store,
      log: createLogger('silent'),
      dir,
      env: {},
      concurrency: 4,
      chromiumPath: '/usr/bin/chromium',
      artifactsDir: join(dir, 'artifacts'),
      engineNow: Date.now,
      reportSignals: (s) => (signals.push(...s), Promise.resolve()),
      ingestSpans: () => Promise.resolve(),
    });
  /** The oldest run of `name` that started at or after `sinceMs` (runs are every second). */
  const runSince = (m: SyntheticMonitor, name: string, sinceMs: number): Promise<StoredCheckRun> =>
    until(async () => (await m.runs(name, sinceMs, Date.now(), 10)).at(-1), `a run of ${name}`);

  it('heartbeats keep a stored ping and the start of a silence, and a newer ping wins', async () => {
    const dir = checksDir(
      'checks:\n  - { name: export, kind: heartbeat, every: 1s, grace: 1h }\n  - { name: backup, kind: heartbeat, every: 1s, grace: 1h }\n',
    );
    const first = monitor(dir);
    const t0 = Date.now();
    await first.start();
    assert.equal(first.ping('export'), true);
    const pinged = (await runSince(first, 'export', t0)).details;
    const silent = (await runSince(first, 'backup', t0)).details;
    await first.stop();
    assert.equal(pinged.pinged, true);
    assert.equal(silent.pinged, false);

    const second = monitor(dir);
    await sleep(50);
    const restartedAt = Date.now();
    await second.start();
    const backup = await runSince(second, 'backup', restartedAt);
    assert.equal(backup.details.watchedSince, silent.watchedSince, 'the silence is counted from before the restart');
    const exported = await runSince(second, 'export', restartedAt);
    assert.equal(exported.details.lastPing, pinged.lastPing, 'the stored ping is remembered');

    assert.equal(second.ping('export'), true);
    const later = await runSince(second, 'export', Date.now());
    assert.ok(Date.parse(String(later.details.lastPing)) >= restartedAt, 'a ping after the restart is newer');
    await second.stop();
  });

  describe('failures', () => {
    let site: LocalSite;
    let down = true;
    before(async () => {
      site = await startLocalSite(() => ({ status: down ? 503 : 200, contentType: 'application/json', body: '{}' }));
    });
    after(() => site.close());

    it('a failure confirmed before a restart recovers after it, and is not signalled twice', async () => {
      const yaml = `checks:\n  - { name: pay, kind: http, service: payments, every: 1s, url: "${site.url('/pay')}" }\n`;
      const dir = checksDir(yaml);
      const before: Signal[] = [];
      const first = monitor(dir, before);
      await first.start();
      const firing = await until(() => before.find((s) => s.kind === 'synthetic-failure' && s.status === 'firing'), 'the confirmed failure');
      await first.stop();

      const after: Signal[] = [];
      const second = monitor(dir, after);
      await second.start();
      await runSince(second, 'pay', Date.now());
      await sleep(1500);
      assert.equal(after.length, 0, 'still failing: the signal from before the restart stands, no second one');
      down = false;
      const recovered = await until(() => after.find((s) => s.status === 'recovered'), 'the recovery');
      assert.equal(recovered.key, firing.key, 'the incident engine matches the recovery by key');
      assert.equal(second.list().find((c) => c.name === 'pay')?.status, 'passing');
      await second.stop();
    });

    it('a check removed while failing leaves the list and its signal recovers', async () => {
      down = true;
      const dir = checksDir(
        `checks:\n  - { name: cart, kind: http, service: cart, every: 1s, url: "${site.url('/cart')}" }\n  - { name: keep, kind: tcp, host: 127.0.0.1, port: 1, every: 1h }\n`,
      );
      const signals: Signal[] = [];
      const m = monitor(dir, signals);
      await m.start();
      await until(() => signals.find((s) => s.status === 'firing'), 'the failure');
      writeFileSync(join(dir, 'checks.yaml'), 'checks:\n  - { name: keep, kind: tcp, host: 127.0.0.1, port: 1, every: 1h }\n');
      const recovered = await until(() => signals.find((s) => s.status === 'recovered'), 'the recovery of the removed check');
      assert.equal(recovered.key, 'synthetic-failure:cart');
      assert.equal(recovered.summary, 'Synthetic check "cart" was removed');
      assert.deepEqual(
        m.list().map((c) => c.name),
        ['keep'],
      );
      await m.stop();
    });
  });
});
