// The live dependency graph, as rca/ builds it from spans (plus the edges declared in vigil.yaml's
// `topology:`, marked `declared`): nodes with their health and edges with calls, errors and p95 over
// a window, for the UI's map and for anyone scripting against it.
import type { FastifyInstance } from 'fastify';
import { access } from '../access.js';
import { timeRange } from '../params.js';
import type { ApiDeps } from '../ports.js';
import { keyedErrors } from '../schemas/common.js';
import { serviceMapSchema } from '../schemas/telemetry.js';
import { isoOrNull } from '../views.js';

export function registerServiceMapRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const graph = deps.serviceMap;
  app.get(
    '/api/v1/service-map',
    {
      ...access('read'),
      schema: { summary: 'The live dependency graph with health per node and edge', response: { 200: serviceMapSchema, ...keyedErrors(400) } },
    },
    (req, reply) => {
      const { fromMs, toMs } = timeRange(req.query as Record<string, unknown>, deps.clock.now(), 15 * 60_000);
      if (!graph) return reply.send({ from: isoOrNull(fromMs), to: isoOrNull(toMs), nodes: [], edges: [] });
      const edges = graph.edges(fromMs, toMs);
      const nodes = graph.nodes().map((n) => {
        const own = graph.serviceStats(n.name, fromMs, toMs);
        // An uninstrumented peer (a database, a cache) reports nothing itself: its callers' calls to it are its traffic.
        const inbound = edges.filter((e) => e.callee === n.name);
        const s =
          own.requests > 0 || !inbound.length
            ? own
            : {
                requests: sum(inbound, 'calls'),
                errors: sum(inbound, 'errors'),
                errorRate: sum(inbound, 'errors') / Math.max(1, sum(inbound, 'calls')),
                p95Ms: Math.max(...inbound.map((e) => e.p95Ms)),
              };
        return {
          name: n.name,
          kind: n.kind,
          versions: n.versions,
          entry: graph.isEntry(n.name),
          requests: s.requests,
          errors: s.errors,
          errorRate: finite(s.errorRate),
          p95Ms: finite(s.p95Ms),
          health: health(s.requests, s.errors),
        };
      });
      return reply.send({
        from: isoOrNull(fromMs),
        to: isoOrNull(toMs),
        nodes,
        edges: edges.map((e) => ({
          caller: e.caller,
          callee: e.callee,
          calls: e.calls,
          errors: e.errors,
          errorRate: e.calls ? e.errors / e.calls : 0,
          p95Ms: finite(e.p95Ms),
          health: health(e.calls, e.errors),
          // A declared edge no span has shown was never seen.
          lastSeen: Number.isFinite(e.lastSeenMs) ? isoOrNull(e.lastSeenMs) : null,
          declared: e.declared === true,
        })),
      });
    },
  );
}

const sum = (edges: ReadonlyArray<{ calls: number; errors: number }>, field: 'calls' | 'errors'): number => edges.reduce((a, e) => a + e[field], 0);
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * A coarse colour for the map, not a detector's verdict (incidents carry those): 5% failing is
 * unhealthy for almost any service, 1% worth a look; a handful of requests proves nothing.
 */
function health(requests: number, errors: number): 'ok' | 'warning' | 'failing' | 'idle' {
  if (requests === 0) return 'idle';
  const rate = errors / requests;
  if (rate >= 0.05 && errors >= 5) return 'failing';
  if (rate >= 0.01 && errors >= 2) return 'warning';
  return 'ok';
}
