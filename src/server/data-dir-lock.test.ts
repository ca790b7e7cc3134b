// The data-directory lock: one holder at a time, a stale lock (its process is gone, or its pid is
// ours but not taken by us: a restarted container) is taken over, a live or foreign one is not,
// and the directory it creates is owner-only.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { lockDataDir, lockFileName } from './data-dir-lock.js';
import { StartupError } from './startup-error.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-lock-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${++n}`);
const lockPath = (dir: string): string => join(dir, 'wal', lockFileName);
const writeLock = (dir: string, owner: Record<string, unknown>): void => {
  mkdirSync(join(dir, 'wal'), { recursive: true });
  writeFileSync(lockPath(dir), JSON.stringify(owner));
};
/** The pid of a process that has exited. */
const deadPid = (): number => Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());

const refusedWith = (code: string, pattern: RegExp) => (err: unknown) => err instanceof StartupError && err.code === code && pattern.test(err.message);

describe('data directory lock', () => {
  it('admits one holder at a time and is free again once released', async () => {
    const dir = freshDir();
    const first = await lockDataDir(dir);
    await assert.rejects(lockDataDir(dir), refusedWith('VIGIL_DATA_DIR_LOCKED', new RegExp(`in use by another Vigil \\(pid ${process.pid}\\)`)));
    await first.release();
    assert.equal(existsSync(lockPath(dir)), false);
    const second = await lockDataDir(dir);
    await second.release();
  });

  it('takes over a lock whose process is gone', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), host: hostname(), startedAt: 'earlier' });
    const lock = await lockDataDir(dir);
    assert.equal((JSON.parse(readFileSync(lockPath(dir), 'utf8')) as { pid: number }).pid, process.pid);
    await lock.release();
  });

  it('takes over a lock naming our own pid that this process did not take (a restarted container)', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: process.pid, host: hostname(), startedAt: 'before the restart' });
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('takes over a lock that is not a lock (empty, garbage)', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'wal'), { recursive: true });
    writeFileSync(lockPath(dir), '');
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it('refuses a lock held by a live process, naming its pid', async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    try {
      writeLock(dir, { pid: other.pid, host: hostname(), startedAt: 'now' });
      await assert.rejects(lockDataDir(dir), refusedWith('VIGIL_DATA_DIR_LOCKED', new RegExp(`pid ${other.pid}\\).*delete .*${lockFileName}`)));
      assert.match(readFileSync(lockPath(dir), 'utf8'), new RegExp(`"pid":${other.pid}`));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('refuses a lock from another machine (a shared volume), whose process it cannot check', async () => {
    const dir = freshDir();
    writeLock(dir, { pid: deadPid(), host: 'elsewhere.example', startedAt: 'now' });
    await assert.rejects(lockDataDir(dir), refusedWith('VIGIL_DATA_DIR_LOCKED', /on elsewhere\.example/));
  });

  it('creates the data directory owner-only and tightens an existing one', async () => {
    const fresh = freshDir();
    await (await lockDataDir(fresh)).release();
    assert.equal(statSync(fresh).mode & 0o777, 0o700);
    assert.equal(statSync(join(fresh, 'wal')).mode & 0o077, 0);
    const open = freshDir();
    mkdirSync(open, { mode: 0o755 });
    const lock = await lockDataDir(open);
    assert.equal(statSync(open).mode & 0o777, 0o700);
    assert.equal(statSync(lockPath(open)).mode & 0o077, 0);
    await lock.release();
  });

  it('says the directory cannot be written when it cannot create it', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    await assert.rejects(
      lockDataDir(join(file, 'data')),
      refusedWith('VIGIL_DATA_DIR_READONLY', /cannot write to the data directory .*a-file\/data \(ENOTDIR\)/),
    );
  });
});
