// One Vigil per data directory: a lock file in DIR/wal (the write-ahead log stays local even with
// --clickhouse-url) naming the owner's pid. Two processes appending to one log would replay and
// delete each other's segments; a lock whose owner is gone (a crash, kill -9) is taken over.
import { constants, readFileSync } from 'node:fs';
import { access, chmod, link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StartupError } from './startup-error.js';

export const lockFileName = 'vigil.lock';

export interface DataDirLock {
  path: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Locks held by this process. A pid is reused (a restarted container's Vigil is pid 1 again), so
 * a lock naming our own pid is ours only if this process took it.
 */
const heldHere = new Set<string>();

/** Creates DIR (owner-only) and DIR/wal, and takes the lock, or throws a StartupError saying why not. */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const walDir = join(dir, 'wal');
  try {
    await mkdir(walDir, { recursive: true, mode: 0o700 });
    await ownerOnly(dir);
    await access(dir, constants.W_OK);
  } catch (err) {
    throw unwritable(dir, err);
  }
  const path = join(walDir, lockFileName);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  // The owner is written to a private file first and linked into place, so the lock is never seen
  // half-written; link fails if a lock exists, atomically.
  const draft = join(walDir, `${lockFileName}.${process.pid}.tmp`);
  try {
    const fh = await open(draft, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(me));
    } finally {
      await fh.close();
    }
    try {
      await link(draft, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = await readOwner(path);
      if (owner && isAlive(owner, path)) throw lockedBy(dir, owner);
      // Stale: replace it in one step, then check nobody replaced it at the same moment.
      await rename(draft, path);
      const now = await readOwner(path);
      if (!now || now.pid !== me.pid || now.startedAt !== me.startedAt) throw lockedBy(dir, now ?? owner ?? me);
    }
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw unwritable(dir, err);
  } finally {
    await unlink(draft).catch(() => undefined);
  }
  heldHere.add(path);
  let released: Promise<void> | undefined;
  return {
    path,
    release() {
      released ??= (async () => {
        heldHere.delete(path);
        const owner = await readOwner(path);
        if (owner?.pid === me.pid && owner.startedAt === me.startedAt) await unlink(path).catch(() => undefined);
      })();
      return released;
    },
  };
}

/** The data directory holds telemetry and keys' hashes: nobody but its owner reads it. */
async function ownerOnly(dir: string): Promise<void> {
  const s = await stat(dir);
  if ((s.mode & 0o077) !== 0 && s.uid === process.getuid?.()) await chmod(dir, 0o700);
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) }
      : undefined;
  } catch {
    // Unreadable or not ours (edited by hand, a truncated disk): it cannot name a live owner.
    return undefined;
  }
}

function isAlive(owner: LockOwner, path: string): boolean {
  // A lock from another machine (a shared volume) cannot be checked: it holds until removed.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return runsNode(owner.pid);
}

/** After a reboot or in a new container the pid may be another program's (Linux tells which). */
function runsNode(pid: number): boolean {
  try {
    return /node|vigil/i.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}

function lockedBy(dir: string, owner: LockOwner): StartupError {
  const where = owner.host === hostname() ? `pid ${owner.pid}` : `pid ${owner.pid} on ${owner.host}`;
  return new StartupError(
    'VIGIL_DATA_DIR_LOCKED',
    `${dir} is in use by another Vigil (${where}): stop it or pass another --data; if no Vigil runs there, delete ${join(dir, 'wal', lockFileName)}`,
  );
}

function unwritable(dir: string, err: unknown): StartupError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  return new StartupError(
    'VIGIL_DATA_DIR_READONLY',
    `cannot write to the data directory ${dir} (${code}): give the user running Vigil write access or pass another --data`,
  );
}
