// Start-up failures the operator can fix (a busy port, a locked or read-only data directory, an
// unreadable certificate): one line with a stable VIGIL_* code, shown by `vigil start` without a
// stack trace, because nothing in a stack helps someone who only has to free a port.

export type StartupErrorCode =
  'VIGIL_PORT_IN_USE' | 'VIGIL_LISTEN_FAILED' | 'VIGIL_DATA_DIR_LOCKED' | 'VIGIL_DATA_DIR_READONLY' | 'VIGIL_TLS_INVALID' | 'VIGIL_STORE_UNREACHABLE';

export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

const unreachable = /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)$/;

/**
 * A ClickHouse server that cannot be reached at start becomes one line naming it (without the
 * user and password a URL may carry); any other failure is left as it is.
 */
export function storeStartupError(clickhouseUrl: string | undefined, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  if (!clickhouseUrl || typeof code !== 'string' || !unreachable.test(code)) return err;
  const url = new URL(clickhouseUrl);
  url.username = '';
  url.password = '';
  return new StartupError(
    'VIGIL_STORE_UNREACHABLE',
    `cannot reach ClickHouse at ${url.origin} (${code}): start it or fix --clickhouse-url / VIGIL_CLICKHOUSE_URL`,
  );
}
