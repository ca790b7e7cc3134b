// API errors: a stable code, an HTTP status and a message that says what to do. The catalog in
// docs/errors.md lists every code; a test fails when code and catalog drift.
import { InvalidCursorError } from '../store/index.js';

export const apiErrorCodes = {
  VIGIL_UNAUTHORIZED: 401,
  VIGIL_FORBIDDEN: 403,
  VIGIL_CSRF: 403,
  VIGIL_BAD_REQUEST: 400,
  VIGIL_NOT_FOUND: 404,
  VIGIL_CONFLICT: 409,
  VIGIL_ILLEGAL_TRANSITION: 409,
  VIGIL_BODY_TOO_LARGE: 413,
  VIGIL_UNSUPPORTED_MEDIA_TYPE: 415,
  VIGIL_OVERLOADED: 429,
  VIGIL_UNAVAILABLE: 503,
  VIGIL_INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof apiErrorCodes;

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.status = apiErrorCodes[code];
  }
}

/** A port this server may run without: its routes answer 404 with `absent` (what is missing and why) when it is not there. */
export function availablePort<T>(port: T | undefined, absent: string): T {
  if (!port) throw new ApiError('VIGIL_NOT_FOUND', absent);
  return port;
}

/** The one place where errors of the layers behind the API become API errors (and so statuses). */
export function asApiError(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof InvalidCursorError) return new ApiError('VIGIL_BAD_REQUEST', err.message);
  // The layers' own coded errors (incidents' IncidentError, the pipeline's refused changes) carry a
  // catalogued code; the code alone decides the status, so no layer behind the API knows HTTP.
  if (isCodedError(err)) return new ApiError(err.code, err.message);
  return undefined;
}

function isCodedError(err: unknown): err is Error & { code: ApiErrorCode } {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' && Object.hasOwn(apiErrorCodes, code);
}
