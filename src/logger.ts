// Structured logs via pino: JSON lines for machines (files, journald, pipes), one readable line
// per record on a terminal. Secrets never reach them: authorization headers, keys and webhook URLs
// are redacted wherever they appear in a logged object, before either format is written.
import { pino, type DestinationStream, type Logger } from 'pino';
import { formatLogLine } from './log-text.js';

export type { Logger };

/** auto: text when the output is a terminal, JSON otherwise. */
export type LogFormat = 'auto' | 'text' | 'json';

interface LogOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Logs to `out` (stdout) in `format`, or appends JSON lines to `file` (e.g. `vigil demo`, whose
 * terminal is for the demo).
 */
export function createLogger(level: string, file?: string, format: LogFormat = 'auto', out: LogOutput = process.stdout): Logger {
  const options = {
    level,
    base: { app: 'vigil' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.apiKey',
        '*.routingKey',
        '*.routing_key',
        '*.adminKey',
        '*.secret',
        '*.password',
        '*.pass',
        '*.url',
        'key',
      ],
      censor: '[redacted]',
    },
  };
  if (file) return pino(options, pino.destination({ dest: file, append: true, mkdir: true, sync: true }));
  const text = format === 'text' || (format === 'auto' && out.isTTY === true);
  if (text) return pino(options, { write: (line: string) => out.write(formatLogLine(line)) } satisfies DestinationStream);
  return out === process.stdout ? pino(options) : pino(options, { write: (line: string) => out.write(line) } satisfies DestinationStream);
}
