// The one way the app talks to Vigil: same-origin fetches under /api/v1 carrying the session
// cookie; writes add the header the server's CSRF guard asks for. A 401 means the session ended.
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function toLogin(): void {
  location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
}

async function answer<T>(res: Response): Promise<T> {
  if (res.status === 401) toLogin();
  const text = await res.text();
  const body = text ? (JSON.parse(text) as unknown) : {};
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string } }).error;
    throw new ApiFailure(res.status, err?.code ?? 'VIGIL_ERROR', err?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const early = prefetched.get(path);
  if (early) {
    prefetched.delete(path);
    return (await early) as T;
  }
  return answer<T>(await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) }));
}

// Reads started before the page's code has arrived (main.tsx starts the current route's critical
// ones at once), taken by the first getJson of the same URL; a read never taken is dropped after a
// while so a later visit reads fresh data. The server announces the same reads in the page's HTML
// (<link rel=preload as=fetch crossorigin>), which a plain same-origin fetch of the URL reuses.
const prefetched = new Map<string, Promise<unknown>>();

export function prefetch(path: string): void {
  if (prefetched.has(path)) return;
  const p = fetch(path, { credentials: 'same-origin' }).then((res) => answer<unknown>(res));
  p.catch(() => undefined);
  prefetched.set(path, p);
  setTimeout(() => prefetched.get(path) === p && prefetched.delete(path), 10_000);
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-vigil-request': 'ui' },
      body: JSON.stringify(body),
    }),
  );
}

/** Query string from the set values only (undefined and '' are left out). */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
