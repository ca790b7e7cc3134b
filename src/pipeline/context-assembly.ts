// Incident context for the pipeline: assembles it through context's port (the store's ClickHouse
// queries in production) once the telemetry that opened the incident is queryable, and keeps the
// latest context of each incident for its record and its notifications.
import { assembleContext, impactFromContext, type ContextQueries } from '../context/index.js';
import type { Incident } from '../incidents/index.js';
import type { Logger } from '../logger.js';
import type { ImpactFacts, IncidentContext } from '../model/index.js';
import type { MergedGraph } from '../rca/index.js';

/** What context reads of the graph: which services are entries (customer-facing). */
type EntryGraph = Pick<MergedGraph, 'nodes' | 'isEntry'>;

export class IncidentContextAssembly {
  private readonly latest = new Map<string, IncidentContext>();

  constructor(
    private readonly queries: ContextQueries,
    private readonly log: Logger,
    /** Resolves once acknowledged telemetry is queryable. */
    private readonly telemetryVisible: () => Promise<void>,
    /** `incidents.entryServices` as configured; empty: the dependency graph decides. */
    private readonly entryServices: readonly string[] = [],
  ) {}

  /** Context from stored telemetry; failures are logged and leave the incident without it. */
  async assemble(incident: Incident, nowMs: number, graph: EntryGraph): Promise<{ context: IncidentContext; impact: ImpactFacts } | undefined> {
    try {
      // The batch that opened the incident is acknowledged but may still be on its way to the store.
      await this.telemetryVisible();
      const entryServices = this.entryServices.length ? [...this.entryServices] : entryServicesOf(incident, graph);
      const context = await assembleContext(incident, this.queries, { nowMs, entryServices });
      this.latest.set(incident.id, context);
      return { context, impact: impactFromContext(context) };
    } catch (err) {
      this.log.error({ err, incident: incident.id }, 'context assembly failed');
      return undefined;
    }
  }

  /** The context assembled last for the incident in this process, if any. */
  latestFor(id: string): IncidentContext | undefined {
    return this.latest.get(id);
  }
}

/** The customer-facing services upstream of the incident (or its own, when none is known). */
function entryServicesOf(incident: Incident, graph: EntryGraph): string[] {
  const entries = graph
    .nodes()
    .filter((n) => n.kind === 'service' && graph.isEntry(n.name))
    .map((n) => n.name);
  return entries.length ? entries : [...incident.services];
}
