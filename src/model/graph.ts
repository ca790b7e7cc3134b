// The service dependency graph, built live from spans: callers, callees (services and
// uninstrumented dependencies such as databases, caches and external hosts) and edge health.

export type NodeKind = 'service' | 'database' | 'cache' | 'messaging' | 'external';

export interface GraphNode {
  name: string;
  kind: NodeKind;
  versions: string[];
}

export interface GraphEdge {
  caller: string;
  callee: string;
  calls: number;
  errors: number;
  p95Ms: number;
  firstSeenMs: number;
  lastSeenMs: number;
  /** Declared in vigil.yaml's `topology:`; an edge no span has shown has no traffic and NaN first and last times. */
  declared?: boolean;
}
