// The one HTTP POST every webhook channel shares: a timeout, and a status → outcome mapping
// (5xx/408/425/429 and network errors retry, other 4xx are permanent). Errors name the status or
// the network error code, never the URL: webhook URLs carry their token in the path.
import type { ChannelDeps, DeliveryOutcome } from '../channel.js';

const retryableStatuses = new Set([408, 425, 429]);
/** Receivers' error bodies are shown to operators; keep them short. */
const maxErrorBody = 200;

export async function postJson(deps: ChannelDeps, url: string, body: string, headers: Record<string, string>): Promise<DeliveryOutcome> {
  let response: Response;
  try {
    response = await deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vigil-notify/1', ...headers },
      body,
      signal: AbortSignal.timeout(deps.timeoutMs),
      redirect: 'error',
    });
  } catch (err) {
    return { ok: false, retryable: true, error: networkError(err) };
  }
  const text = await response.text().catch(() => '');
  if (response.ok) return { ok: true, status: response.status };
  const retryable = response.status >= 500 || retryableStatuses.has(response.status);
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  return {
    ok: false,
    retryable,
    status: response.status,
    error: `HTTP ${response.status}${text ? `: ${text.slice(0, maxErrorBody)}` : ''}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** A fetch failure as its code (ECONNREFUSED, timeout …), without the URL undici may embed. */
function networkError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
    return err.name;
  }
  return 'network error';
}

function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return undefined;
}
