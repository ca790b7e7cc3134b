// The dependency graph the product reads: the graph learned from spans plus the caller → callee
// edges declared in vigil.yaml (`topology.edges`), for systems known only from metrics whose graph
// cannot be learned. Declared edges are added and learned ones always count (a declared edge never
// hides a learned one); traffic statistics come from the learned graph alone. Incident correlation
// reads it as its Topology (a caller's and a callee's signals join one incident) and the ranking as
// its GraphView (a callee's move explains its callers').

import type { GraphEdge, GraphNode, NodeKind } from '../../model/index.js';
import type { GraphView } from '../rank/types.js';
import { declaredGraph } from './declaredGraph.js';
import type { DependencyGraph } from './dependencyGraph.js';

/** One declared call: `from` calls `to` (vigil.yaml `topology.edges`). */
export interface DeclaredEdge {
  from: string;
  to: string;
  /** What `to` is when it is not an instrumented service (a balancer's address, a database …). */
  kind?: NodeKind | undefined;
}

/** What the merge reads of the learned graph. */
export type LearnedGraph = Pick<
  DependencyGraph,
  'nodes' | 'nodeKind' | 'callers' | 'callees' | 'isEntry' | 'edges' | 'edgeStats' | 'serviceStats' | 'versions' | 'canonical'
>;

/** The learned graph with the declared edges added: a GraphView for the ranking, a Topology for correlation, the service map's source. */
export interface MergedGraph extends GraphView {
  nodes(): GraphNode[];
  /** Callers and callees, learned or declared: what the incident engine's Topology needs. */
  neighbours(service: string): string[];
  /** Learned edges (declared ones among them marked `declared`), then declared edges no span has shown, with no traffic. */
  edges(fromMs?: number, toMs?: number): GraphEdge[];
  canonical(name: string): string;
}

const unique = (names: readonly string[]): string[] => [...new Set(names)];
const edgeKey = (caller: string, callee: string): string => `${caller}\u0000${callee}`;

export function withDeclaredEdges(learned: LearnedGraph, declaredEdges: readonly DeclaredEdge[]): MergedGraph {
  const kinds = new Map(declaredEdges.flatMap((e) => (e.kind ? [[e.to, e.kind] as const] : [])));
  const declared = declaredGraph(
    declaredEdges.map((e) => [e.from, e.to] as const),
    kinds,
  );
  const canonical = (name: string): string => learned.canonical(name);
  // A declared name may be an alias of an instrumented service the learned graph knows by another name.
  const declaredAs = (name: string): string[] => unique([name, canonical(name)]);
  const declaredCallers = (name: string): string[] => declaredAs(name).flatMap((n) => declared.callers(n).map(canonical));
  const declaredCallees = (name: string): string[] => declaredAs(name).flatMap((n) => declared.callees(n).map(canonical));
  const isDeclared = (name: string): boolean => declaredAs(name).some((n) => declared.nodeKind(n) !== undefined);
  const callers = (name: string): string[] => unique([...learned.callers(name), ...declaredCallers(name)]);
  const callees = (name: string): string[] => unique([...learned.callees(name), ...declaredCallees(name)]);
  return {
    nodeKind: (name): NodeKind | undefined =>
      learned.nodeKind(name) ??
      declaredAs(name)
        .map((n) => declared.nodeKind(n))
        .find((k) => k !== undefined),
    callers,
    callees,
    neighbours: (service) => unique([...callers(service), ...callees(service)]),
    // A declared service nobody calls, learned or declared, is where traffic enters (the learned graph
    // decides for services its spans show: they have callers there, or it knows them as entries).
    isEntry: (name) => learned.isEntry(name) || (isDeclared(name) && callers(name).length === 0),
    nodes: () => {
      const nodes = learned.nodes();
      const known = new Set(nodes.map((n) => n.name));
      const extra = unique(declared.edges().flatMap((e) => [canonical(e.caller), canonical(e.callee)])).filter((n) => !known.has(n));
      return [...nodes, ...extra.map((name): GraphNode => ({ name, kind: declared.nodeKind(name) ?? 'service', versions: [] }))];
    },
    edges: (fromMs, toMs) => {
      const wanted = new Map(declared.edges().map((e) => [edgeKey(canonical(e.caller), canonical(e.callee)), e] as const));
      const out = learned.edges(fromMs, toMs).map((e) => (wanted.delete(edgeKey(e.caller, e.callee)) ? { ...e, declared: true } : e));
      // Never seen in a span: no traffic, no first or last call.
      for (const e of wanted.values())
        out.push({
          caller: canonical(e.caller),
          callee: canonical(e.callee),
          calls: 0,
          errors: 0,
          p95Ms: 0,
          firstSeenMs: NaN,
          lastSeenMs: NaN,
          declared: true,
        });
      return out;
    },
    edgeStats: (caller, callee, fromMs, toMs) => learned.edgeStats(caller, callee, fromMs, toMs),
    serviceStats: (service, fromMs, toMs) => learned.serviceStats(service, fromMs, toMs),
    versions: (service) => learned.versions(service),
    canonical,
  };
}
