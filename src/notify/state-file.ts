// A small JSON state file written atomically (temp file, fsync, rename), for state that must
// survive a restart but is rewritten whole: the notifier's sequence numbers and escalations.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function readStateFile<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function writeStateFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.write(JSON.stringify(value));
    await fh.datasync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
