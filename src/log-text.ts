// The terminal format of Vigil's log: one pino JSON record in, one readable line out —
// `2026-12-06T04:30:12.123Z INFO  incident opened  id=12 severity=high` — with an error's stack
// indented below it. Used when stdout is a terminal or with `--log-format text`.

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields every record carries that the line shows in its own place, or not at all. */
const PLACED = new Set(['level', 'time', 'msg', 'app', 'pid', 'hostname', 'v']);

/** One field as `key=value`: bare when it is a plain word, quoted or JSON otherwise. */
function field(key: string, value: unknown): string {
  if (typeof value === 'string') return `${key}=${/^[\w./:@+,-]+$/.test(value) ? value : JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return `${key}=${String(value)}`;
  return `${key}=${JSON.stringify(value)}`;
}

/** A pino JSON line (with or without its newline) as a text line ending in a newline. */
export function formatLogLine(json: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const time = typeof record.time === 'number' ? new Date(record.time).toISOString() : '';
  const level =
    typeof record.level === 'number' ? (LEVELS[record.level] ?? `L${record.level}`) : typeof record.level === 'string' ? record.level.toUpperCase() : '';
  const parts = [time, level.padEnd(5), typeof record.msg === 'string' ? record.msg : ''].filter((p) => p !== '');
  let stack = '';
  const fields: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (PLACED.has(key) || value === undefined) continue;
    // pino's error serializer: {type, message, stack}; the message stays on the line, the stack goes below.
    if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string' && 'stack' in value) {
      const err = value as { type?: string; message: string; stack?: string };
      fields.push(field(key, err.type && !err.message.startsWith(err.type) ? `${err.type}: ${err.message}` : err.message));
      if (typeof err.stack === 'string')
        stack = err.stack
          .split('\n')
          .slice(1)
          .map((l) => `    ${l.trim()}`)
          .join('\n');
      continue;
    }
    fields.push(field(key, value));
  }
  const line = fields.length ? `${parts.join(' ')}  ${fields.join(' ')}` : parts.join(' ');
  return `${line}\n${stack ? `${stack}\n` : ''}`;
}
