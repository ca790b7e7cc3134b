// Start-up failures the operator can fix (a busy port, a locked or read-only data directory, an
// unreadable certificate): one line with a stable VIGIL_* code, shown by `vigil start` without a
// stack trace, because nothing in a stack helps someone who only has to free a port.

export type StartupErrorCode = 'VIGIL_PORT_IN_USE' | 'VIGIL_LISTEN_FAILED' | 'VIGIL_DATA_DIR_LOCKED' | 'VIGIL_DATA_DIR_READONLY' | 'VIGIL_TLS_INVALID';

export class StartupError extends Error {
  constructor(
    readonly code: StartupErrorCode,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}
