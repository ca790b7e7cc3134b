// Builds the redactor the server runs, with the per-install email salt kept in the data directory,
// and the sink wrapper that redacts every batch before the write-ahead log sees it.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestSink, TelemetryBatch } from '../ingest/index.js';
import type { RedactionConfig } from './config.js';
import { Redactor } from './redactor.js';

export const SALT_FILE = 'redaction-salt';

/**
 * The install's email salt: read from DATA/redaction-salt, or made (32 random bytes, hex) and
 * written there readable by the owner only. Losing the file changes every email hash from then on.
 */
export async function loadOrCreateSalt(dataDir: string): Promise<string> {
  const file = join(dataDir, SALT_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const salt = randomBytes(32).toString('hex');
  try {
    // wx: two processes starting on one directory must not end up with two salts.
    await writeFile(file, `${salt}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600); // the mode above is filtered by the umask
    return salt;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw err;
  }
}

/** The redactor for `config`; reads or creates the salt only when emails are hashed with none configured. */
export async function openRedactor(config: RedactionConfig, dataDir: string): Promise<Redactor> {
  const needsSalt = config.enabled && config.hashEmails && config.emailSalt === undefined;
  return new Redactor(config, needsSalt ? { emailSalt: await loadOrCreateSalt(dataDir) } : {});
}

/** `sink` behind the redactor: what it stores, acknowledges and feeds to detection is redacted. */
export function redactingSink(redactor: Redactor, sink: IngestSink): IngestSink {
  if (redactor.noop) return sink;
  return {
    async accept(batch: TelemetryBatch): Promise<void> {
      await sink.accept(redactor.redactBatch(batch));
    },
  };
}
