// An in-memory Topology from a list of caller → callee edges: real code for tests and replays of
// hand-written scenarios (the server passes src/rca's live DependencyGraph instead).
import type { Topology } from '../types.js';

export class EdgeListTopology implements Topology {
  private readonly adjacent = new Map<string, Set<string>>();
  private readonly called = new Set<string>();

  constructor(edges: ReadonlyArray<readonly [caller: string, callee: string]>) {
    for (const [caller, callee] of edges) {
      this.link(caller, callee);
      this.link(callee, caller);
      this.called.add(callee);
    }
  }

  private link(a: string, b: string): void {
    const set = this.adjacent.get(a) ?? new Set<string>();
    set.add(b);
    this.adjacent.set(a, set);
  }

  neighbours(service: string): string[] {
    return [...(this.adjacent.get(service) ?? [])].sort();
  }

  /** Entry services receive traffic from outside: nothing in the graph calls them. */
  isEntry(service: string): boolean {
    return this.adjacent.has(service) && !this.called.has(service);
  }
}

/** The demo shop plus an unrelated search stack that shares nothing with it. */
export const shopTopology = new EdgeListTopology([
  ['frontend', 'checkout'],
  ['frontend', 'catalog'],
  ['checkout', 'payment-service'],
  ['checkout', 'inventory'],
  ['payment-service', 'payment-db'],
  ['inventory', 'inventory-db'],
  ['catalog', 'catalog-cache'],
  ['search-api', 'search-index'],
]);
