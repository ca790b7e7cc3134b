// The read each page needs before it can show anything meaningful, as a URL built from the page's
// own path and query. The page builds its request from the same function, and main.tsx starts the
// current route's reads before the page's code has even arrived, so code and data load together.
import { qs } from '../api';

export const incidentUrl = (id: string): string => `/api/v1/incidents/${encodeURIComponent(id)}`;
export const sessionUrl = '/api/v1/session';

export interface ServiceView {
  name: string;
  from?: string;
  to?: string;
  route?: string;
  by: 'route' | 'version';
}

export function serviceView(name: string, query: URLSearchParams): ServiceView {
  const opt = (k: string): { [key: string]: string } => {
    const v = query.get(k);
    return v ? { [k]: v } : {};
  };
  return { name, ...opt('from'), ...opt('to'), ...opt('route'), by: query.get('by') === 'version' ? 'version' : 'route' };
}

export const redUrl = (v: ServiceView): string => `/api/v1/red${qs({ service: v.name, groupBy: v.by, route: v.route, from: v.from, to: v.to })}`;

/** The reads the page at this path shows its first content from. */
export function firstReads(path: string, query: URLSearchParams): string[] {
  const incident = /^\/incidents\/([^/]+)\/?$/.exec(path)?.[1];
  if (incident) return [incidentUrl(decodeURIComponent(incident)), sessionUrl];
  const service = /^\/services\/([^/]+)\/?$/.exec(path)?.[1];
  if (service) return [redUrl(serviceView(decodeURIComponent(service), query))];
  return [];
}
