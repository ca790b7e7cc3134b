// Structured logs (JSON lines via pino). Secrets never reach them: authorization headers, keys
// and webhook URLs are redacted wherever they appear in a logged object.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: 'vigil' },
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', '*.apiKey', '*.adminKey', '*.secret', '*.password', '*.pass', '*.url', 'key'],
      censor: '[redacted]',
    },
  });
}
