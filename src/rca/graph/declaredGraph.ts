// A dependency graph known only from its declared edges (a topology file, a service map exported by
// another tool, a metric-only system's call graph): who calls whom, no traffic statistics. The
// graph-reading rules that need span statistics find none; the fallback ranking still uses the
// direction (a callee's move explains its caller's).

import type { GraphEdge, NodeKind } from '../../model/index.js';
import type { GraphView } from '../rank/types.js';
import type { EdgeWindow, ServiceWindow } from './windows.js';

const NO_EDGE: EdgeWindow = { calls: 0, errors: 0, errorRate: 0, meanMs: 0, p95Ms: 0 };
const NO_SERVICE: ServiceWindow = {
  requests: 0,
  errors: 0,
  errorRate: 0,
  p95Ms: 0,
  originErrors: 0,
  originErrorsByPeer: {},
  propagatedErrors: 0,
  originShare: NaN,
  selfMs: 0,
  waitMs: 0,
  waitMsByPeer: {},
  selfMsPerRequest: NaN,
  waitMsPerRequestByPeer: {},
  entryRequests: 0,
  byVersion: [],
};

/** A GraphView over declared caller → callee edges; `kinds` names non-service nodes (databases, queues) when known. */
export function declaredGraph(edges: ReadonlyArray<readonly [string, string]>, kinds: ReadonlyMap<string, NodeKind> = new Map()): GraphView {
  const callees = new Map<string, string[]>();
  const callers = new Map<string, string[]>();
  const unique = new Set<string>();
  for (const [a, b] of edges) {
    if (a === b || unique.has(`${a}\u0000${b}`)) continue;
    unique.add(`${a}\u0000${b}`);
    callees.set(a, [...(callees.get(a) ?? []), b]);
    callers.set(b, [...(callers.get(b) ?? []), a]);
  }
  const nodes = new Set([...callees.keys(), ...callers.keys()]);
  return {
    nodeKind: (name) => kinds.get(name) ?? (nodes.has(name) ? 'service' : undefined),
    callers: (name) => [...(callers.get(name) ?? [])],
    callees: (name) => [...(callees.get(name) ?? [])],
    isEntry: (name) => nodes.has(name) && !callers.has(name),
    edges: (): GraphEdge[] =>
      [...unique].map((k) => {
        const [caller, callee] = k.split('\u0000') as [string, string];
        return { caller, callee, calls: 0, errors: 0, p95Ms: 0, firstSeenMs: 0, lastSeenMs: 0 };
      }),
    edgeStats: () => ({ ...NO_EDGE }),
    serviceStats: () => ({ ...NO_SERVICE, originErrorsByPeer: {}, waitMsByPeer: {}, waitMsPerRequestByPeer: {}, byVersion: [] }),
    versions: () => [],
  };
}
