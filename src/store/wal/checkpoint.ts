// The WAL's checkpoint: how far the store holds the log (segment + offset), and the range being
// inserted right now (the intent), so recovery re-inserts exactly that range with the same
// deduplication token. Replaced atomically (write a temporary file, rename over).
import { randomUUID } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';

export interface WalRange {
  segment: number;
  start: number;
  end: number;
}

export interface Checkpoint {
  /** Random per log directory: tokens of a new log never collide with an old one's in the engine's window. */
  walId: string;
  /** Everything before this position is in the store. */
  segment: number;
  offset: number;
  /** The range being inserted when this was written, if any. */
  intent: WalRange | null;
}

const fileName = 'checkpoint.json';

export function newCheckpoint(segment: number): Checkpoint {
  return { walId: randomUUID().replace(/-/g, ''), segment, offset: 0, intent: null };
}

export async function readCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, fileName), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const c = JSON.parse(text) as Checkpoint;
  if (typeof c.walId !== 'string' || !/^[0-9a-f]+$/.test(c.walId) || !Number.isInteger(c.segment) || !Number.isInteger(c.offset)) {
    throw new Error(`${join(dir, fileName)} is not a WAL checkpoint`);
  }
  return c;
}

/** Replaces the checkpoint; with `durable` it is fsynced (file and directory) before returning. */
export async function writeCheckpoint(dir: string, c: Checkpoint, durable: boolean): Promise<void> {
  const tmp = join(dir, `${fileName}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(c));
    if (durable) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, fileName));
  if (durable) await syncDirectory(dir);
}

export async function syncDirectory(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
