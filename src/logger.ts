// Structured logs (JSON lines via pino). Secrets never reach them: authorization headers, keys
// and webhook URLs are redacted wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export type { Logger };

/** Logs to stdout, or appends to `file` (e.g. `vigil demo`, whose terminal is for the demo). */
export function createLogger(level: string, file?: string): Logger {
  const options = {
    level,
    base: { app: 'vigil' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.routingKey', '*.routing_key', '*.adminKey', '*.secret', '*.password', '*.pass', '*.url', 'key'],
      censor: '[redacted]',
    },
  };
  return file ? pino(options, pino.destination({ dest: file, append: true, mkdir: true, sync: true })) : pino(options);
}
