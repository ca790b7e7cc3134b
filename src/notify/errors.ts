// Stable error codes for the notify module, so callers (API, CLI, server wiring) can map them
// without parsing messages. Each message says what to do.

export type NotifyErrorCode = 'VIGIL_NOTIFY_CONFIG_INVALID' | 'VIGIL_NOTIFY_UNKNOWN_CHANNEL' | 'VIGIL_NOTIFY_OUTBOX_STOPPED';

export class NotifyError extends Error {
  constructor(
    readonly code: NotifyErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'NotifyError';
  }
}
