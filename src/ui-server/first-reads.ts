// The read a deep-linked page shows its first content from, announced in the page's HTML as a
// preload so the browser asks for it with the document, before any script has run. The same URLs
// as the app builds (ui/src/pages/first-reads.ts), or the browser would read twice.

/** Preload links for the page at this URL (path and query), to go before </head>. */
export function firstReadPreloads(url: string): string {
  let path: string;
  let query: URLSearchParams;
  try {
    const parsed = new URL(url, 'http://vigil.invalid');
    path = parsed.pathname;
    query = parsed.searchParams;
  } catch {
    return '';
  }
  return firstReads(path, query)
    .map((href) => `<link rel="preload" as="fetch" crossorigin href="${href.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}">`)
    .join('');
}

const qs = (params: Record<string, string | undefined>): string => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
};

export function firstReads(path: string, query: URLSearchParams): string[] {
  const decode = (s: string | undefined): string | undefined => {
    try {
      return s === undefined ? undefined : decodeURIComponent(s);
    } catch {
      return undefined;
    }
  };
  const incident = decode(/^\/incidents\/([^/]+)\/?$/.exec(path)?.[1]);
  if (incident) return [`/api/v1/incidents/${encodeURIComponent(incident)}`, '/api/v1/session'];
  const service = decode(/^\/services\/([^/]+)\/?$/.exec(path)?.[1]);
  if (service) {
    const opt = (k: string): string | undefined => query.get(k) || undefined;
    return [
      `/api/v1/red${qs({ service, groupBy: query.get('by') === 'version' ? 'version' : 'route', route: opt('route'), from: opt('from'), to: opt('to') })}`,
    ];
  }
  return [];
}
