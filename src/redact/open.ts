// Builds the redactor the server runs, with the per-install email salt kept in the data directory,
// and the sink wrapper that redacts every batch before the write-ahead log sees it.
import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestSink, TelemetryBatch } from '../ingest/index.js';
import { StartupError } from '../server/index.js';
import type { RedactionConfig } from './config.js';
import { Redactor } from './redactor.js';

export const SALT_FILE = 'redaction-salt';

/** A salt shorter than this is not one Vigil made (64 hex characters) nor a usable one. */
const MIN_SALT_LENGTH = 32;

async function readSalt(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new StartupError(
      'VIGIL_DATA_DIR_READONLY',
      `cannot read the email salt ${file} (${code ?? (err as Error).message}): give the user running Vigil access to it`,
    );
  }
  const salt = text.trim();
  if (salt.length < MIN_SALT_LENGTH) {
    throw new StartupError(
      'VIGIL_DATA_DIR_READONLY',
      `the email salt ${file} holds no usable salt (${salt.length} characters): restore it from a backup, or delete it to start new email hashes`,
    );
  }
  return salt;
}

/**
 * The install's email salt: read from DATA/redaction-salt, or made (32 random bytes, hex) and
 * written there readable by the owner only. Losing the file changes every email hash from then on.
 */
export async function loadOrCreateSalt(dataDir: string): Promise<string> {
  const file = join(dataDir, SALT_FILE);
  const existing = await readSalt(file);
  if (existing !== undefined) return existing;
  await mkdir(dataDir, { recursive: true });
  const salt = randomBytes(32).toString('hex');
  // Written whole under a temporary name, then linked into place: a crash leaves no empty salt,
  // and of two processes starting on one directory the second gets EEXIST and reads the first's.
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${salt}\n`, { mode: 0o600 });
  try {
    await chmod(temporary, 0o600); // the mode above is filtered by the umask
    await link(temporary, file);
    return salt;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readSalt(file))!;
    throw err;
  } finally {
    await rm(temporary, { force: true });
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
