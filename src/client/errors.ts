// What a client of Vigil's API gets when a call fails: the server's own catalogued VIGIL_* code and
// message (docs/errors.md), or VIGIL_API_UNREACHABLE when no answer came at all.

/** An answer outside 2xx, with the server's code (or the catalogued code of its status when the body had none, e.g. a proxy's 502). */
export class VigilApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly code: string,
    readonly reason: string,
    readonly details?: unknown,
  ) {
    super(`${method} ${path} answered ${status} ${code}: ${reason}`);
    this.name = 'VigilApiError';
  }
}

/** No answer: refused connection, DNS, TLS or the time limit. */
export class VigilUnreachableError extends Error {
  readonly code = 'VIGIL_API_UNREACHABLE';
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`VIGIL_API_UNREACHABLE: cannot reach Vigil at ${url} (${reason})`);
    this.name = 'VigilUnreachableError';
  }
}

const codeOfStatus: Record<number, string> = {
  400: 'VIGIL_BAD_REQUEST',
  401: 'VIGIL_UNAUTHORIZED',
  403: 'VIGIL_FORBIDDEN',
  404: 'VIGIL_NOT_FOUND',
  409: 'VIGIL_CONFLICT',
  413: 'VIGIL_BODY_TOO_LARGE',
  415: 'VIGIL_UNSUPPORTED_MEDIA_TYPE',
  429: 'VIGIL_OVERLOADED',
  503: 'VIGIL_UNAVAILABLE',
};

/** The error of an answer outside 2xx from its status and body text (`{ error: { code, message, details } }`). */
export function apiErrorOf(method: string, path: string, status: number, text: string): VigilApiError {
  let body: { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  try {
    body = text ? (JSON.parse(text) as typeof body) : undefined;
  } catch {
    body = undefined;
  }
  const e = body?.error;
  const code =
    typeof e?.code === 'string' && e.code.startsWith('VIGIL_') ? e.code : (codeOfStatus[status] ?? (status >= 500 ? 'VIGIL_INTERNAL' : 'VIGIL_BAD_REQUEST'));
  const reason = typeof e?.message === 'string' ? e.message : text.slice(0, 300) || 'no reason given';
  return new VigilApiError(method, path, status, code, reason, e?.details);
}
