// Why an insert failed, asked as "would retrying the same bytes ever succeed?". A store that is
// down, slow, out of memory or disk, read-only, shutting down or mid-migration will take the same
// rows later: those failures are retried (backpressure). Anything else the store says about an
// insert is about its data, and retrying it would stall the log forever: it is quarantined.
// Also turns the store's message into one safe to log: ClickHouse quotes the offending row.

export interface Refusal {
  /** True when retrying the same bytes may succeed (store down or busy): never quarantined. */
  transient: boolean;
  /** The ClickHouse error code, when the error carries one. */
  code: number | null;
  /** The store's message, first line only, quoted data replaced by '…', at most ~300 chars. */
  reason: string;
}

// Codes where the store, not the rows, is the problem. Sources: ClickHouse's ErrorCodes.cpp.
const TRANSIENT_CODES = new Map<number, string>([
  [60, 'UNKNOWN_TABLE'], // mid-migration or dropped by hand: retried once it exists again
  [74, 'CANNOT_READ_FROM_FILE_DESCRIPTOR'],
  [75, 'CANNOT_WRITE_TO_FILE_DESCRIPTOR'],
  [76, 'CANNOT_OPEN_FILE'],
  [81, 'UNKNOWN_DATABASE'],
  [159, 'TIMEOUT_EXCEEDED'],
  [160, 'TOO_SLOW'],
  [164, 'READONLY'],
  [173, 'CANNOT_ALLOCATE_MEMORY'],
  [192, 'UNKNOWN_USER'], // credentials and grants: an operator fixes them, the rows stay good
  [193, 'WRONG_PASSWORD'],
  [194, 'REQUIRED_PASSWORD'],
  [195, 'IP_ADDRESS_NOT_ALLOWED'],
  [201, 'QUOTA_EXCEEDED'],
  [202, 'TOO_MANY_SIMULTANEOUS_QUERIES'],
  [203, 'NO_FREE_CONNECTION'],
  [209, 'SOCKET_TIMEOUT'],
  [210, 'NETWORK_ERROR'],
  [218, 'TABLE_IS_DROPPED'],
  [225, 'NO_ZOOKEEPER'],
  [236, 'ABORTED'],
  [241, 'MEMORY_LIMIT_EXCEEDED'],
  [242, 'TABLE_IS_READ_ONLY'],
  [243, 'NOT_ENOUGH_SPACE'],
  [279, 'ALL_CONNECTION_TRIES_FAILED'],
  [285, 'TOO_FEW_LIVE_REPLICAS'],
  [286, 'UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE'],
  [319, 'UNKNOWN_STATUS_OF_INSERT'],
  [394, 'QUERY_WAS_CANCELLED'],
  [425, 'SYSTEM_ERROR'],
  [439, 'CANNOT_SCHEDULE_TASK'],
  [473, 'DEADLOCK_AVOIDED'],
  [497, 'ACCESS_DENIED'],
  [516, 'AUTHENTICATION_FAILED'],
  [999, 'KEEPER_EXCEPTION'],
  [1000, 'POCO_EXCEPTION'],
]);

// Wordings of the same conditions, for codes shared with data errors (252 is both "too many parts",
// merges behind: backpressure, and "too many partitions for single INSERT block": the rows) and for
// errors that carry no code. Matched against the scrubbed first line, never the echoed row.
const TRANSIENT_MESSAGES: readonly RegExp[] = [
  /too many (inactive )?parts \(|merges are processing significantly slower/i,
  /memory limit|cannot allocate|bad_alloc/i,
  /no space left|not enough space|cannot reserve/i,
  /read-?only/i,
  /timed? ?out|timeout exceeded/i,
  /shutting down|shutdown in progress/i,
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|socket hang up/i,
];

const maxReasonChars = 300;

/** Classifies an insert failure. Without a ClickHouse code the store did not judge the rows: transient. */
export function classifyRefusal(err: unknown): Refusal {
  const message = err instanceof Error ? err.message : String(err);
  const code = storeCode(err, message);
  const reason = safeReason(message);
  if (code === null) return { transient: true, code, reason };
  const transient = TRANSIENT_CODES.has(code) || TRANSIENT_MESSAGES.some((p) => p.test(reason));
  return { transient, code, reason };
}

/**
 * The store's message fit for a log line: its first line, the repeated "Code: N. DB::Exception:"
 * prefix dropped, every quoted fragment (where ClickHouse echoes the data it choked on) replaced
 * by '…', cut to ~300 characters. The rows' values never reach the log through it.
 */
export function safeReason(message: string): string {
  let text = message.split('\n', 1)[0]!.replace(/^(?:Code: \d+\. DB::Exception: )+/, '');
  text = text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '…');
  // A quote left open (the echo ran to the end of the line): drop from it on.
  text = text.replace(/['"`].*$/, '…');
  return text.length > maxReasonChars ? `${text.slice(0, maxReasonChars)}…` : text;
}

/** A server's errors carry the code (@clickhouse/client's `code`), chDB's in `clickhouseCode` and the message. */
function storeCode(err: unknown, message: string): number | null {
  if (err && typeof err === 'object') {
    const o = err as { code?: unknown; clickhouseCode?: unknown };
    if (typeof o.clickhouseCode === 'number' && Number.isInteger(o.clickhouseCode)) return o.clickhouseCode;
    if (typeof o.code === 'string' && /^\d+$/.test(o.code)) return Number(o.code);
  }
  const m = /^Code: (\d+)\./.exec(message);
  return m ? Number(m[1]) : null;
}
