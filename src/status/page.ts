// The public status page's model: each configured component's status from the open incidents that
// touch its services (outage for critical/high, degraded otherwise), and those incidents as the
// public sees them: component names and posted stakeholder updates only. Internal names (services,
// hosts, trace ids, error messages, incident titles) never enter this model. Pure.
import type { IncidentStatus, Severity } from '../model/index.js';
import type { StatusComponent } from './config.js';

export type ComponentStatus = 'operational' | 'degraded' | 'outage';

export interface StatusIncidentFact {
  id: string;
  status: IncidentStatus;
  severity: Severity;
  services: readonly string[];
  startedAtMs: number;
  resolvedAtMs?: number;
}

export interface PublicUpdate {
  atMs: number;
  status: IncidentStatus;
  text: string;
}

export interface PublicIncident {
  id: string;
  title: string;
  status: IncidentStatus;
  impact: Exclude<ComponentStatus, 'operational'>;
  components: string[];
  startedAtMs: number;
  resolvedAtMs?: number;
  updates: PublicUpdate[];
}

export interface StatusPage {
  title: string;
  overall: ComponentStatus;
  components: Array<{ name: string; status: ComponentStatus }>;
  incidents: PublicIncident[];
}

/** Resolved incidents stay on the page this long, so visitors see that something happened and ended. */
export const resolvedShownForMs = 24 * 3_600_000;

const rank: Record<ComponentStatus, number> = { operational: 0, degraded: 1, outage: 2 };

/** What an incident does to a component: critical and high take it out; a mitigated one only degrades it. */
export function impactOf(incident: Pick<StatusIncidentFact, 'severity' | 'status'>): Exclude<ComponentStatus, 'operational'> {
  if (incident.status === 'mitigated') return 'degraded';
  return incident.severity === 'critical' || incident.severity === 'high' ? 'outage' : 'degraded';
}

/** The components an incident touches (by their services); [] means it is internal only. */
export function componentsOf(services: readonly string[], components: readonly StatusComponent[]): StatusComponent[] {
  return components.filter((c) => c.services.some((s) => services.includes(s)));
}

export function buildStatusPage(
  title: string,
  components: readonly StatusComponent[],
  incidents: readonly StatusIncidentFact[],
  updates: ReadonlyMap<string, readonly PublicUpdate[]>,
  nowMs: number,
): StatusPage {
  const status = new Map<string, ComponentStatus>(components.map((c) => [c.name, 'operational']));
  const shown: PublicIncident[] = [];
  for (const incident of incidents) {
    const touched = componentsOf(incident.services, components);
    if (!touched.length) continue;
    const open = incident.status !== 'resolved';
    if (!open && (incident.resolvedAtMs ?? 0) < nowMs - resolvedShownForMs) continue;
    const impact = impactOf(incident);
    if (open) for (const c of touched) if (rank[impact] > rank[status.get(c.name)!]) status.set(c.name, impact);
    const names = touched.map((c) => c.name);
    shown.push({
      id: incident.id,
      title: publicTitle(names, impact, open),
      status: incident.status,
      impact,
      components: names,
      startedAtMs: incident.startedAtMs,
      ...(incident.resolvedAtMs !== undefined && !open ? { resolvedAtMs: incident.resolvedAtMs } : {}),
      updates: [...(updates.get(incident.id) ?? [])].sort((a, b) => b.atMs - a.atMs),
    });
  }
  shown.sort((a, b) => Number(a.status === 'resolved') - Number(b.status === 'resolved') || b.startedAtMs - a.startedAtMs);
  const list = components.map((c) => ({ name: c.name, status: status.get(c.name)! }));
  const overall = list.reduce<ComponentStatus>((worst, c) => (rank[c.status] > rank[worst] ? c.status : worst), 'operational');
  return { title, overall, components: list, incidents: shown };
}

/** "Outage: Checkout", "Degraded performance: Checkout and Search" — built from public names only. */
export function publicTitle(components: readonly string[], impact: Exclude<ComponentStatus, 'operational'>, open: boolean): string {
  const what = impact === 'outage' ? 'Outage' : 'Degraded performance';
  return `${open ? '' : 'Resolved: '}${what}: ${listOf(components)}`;
}

export function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
