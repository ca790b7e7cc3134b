// Production confidence as a running Vigil computes it: gathers each service's facts (SLO states,
// the latest release verdict, open incidents, changes of the last hour, coverage) from the store
// and the live modules, and hands them to the pure judgement in confidence/.
import { judgeConfidence, type Confidence, type ServiceFacts, type VerdictFact } from '../confidence/index.js';
import { listChanges, listServices, type StoreClient } from '../store/index.js';
import type { IncidentSource } from './incident-service.js';
import type { SloService } from './slo-service.js';

/** The release work's answer for a service's latest deployment (src/release, when present). */
export interface ReleaseVerdictSource {
  latestVerdict(service: string): Promise<VerdictFact | undefined> | VerdictFact | undefined;
}

/** Services with telemetry this recently count as known (and as traced when they sent spans). */
const knownForMs = 24 * 3_600_000;
const recentChangesMs = 3_600_000;

export interface ConfidenceDeps {
  store: StoreClient;
  now: () => number;
  incidents: Pick<IncidentSource, 'list'>;
  slos?: Pick<SloService, 'list'>;
  /** The synthetic checks configured now (they reload), for coverage. */
  checks?: () => ReadonlyArray<{ service?: string }>;
  verdicts?: ReleaseVerdictSource;
}

export class ConfidenceService {
  constructor(private readonly deps: ConfidenceDeps) {}

  async services(): Promise<Confidence[]> {
    const nowMs = this.deps.now();
    const facts = await this.facts(nowMs);
    const out: Confidence[] = [];
    for (const f of facts.values()) out.push(judgeConfidence(f, nowMs));
    return out.sort((a, b) => a.service.localeCompare(b.service));
  }

  /** One service's confidence with a given release verdict (a deployment's own, for deployments). */
  async forRelease(service: string, verdict: VerdictFact | undefined): Promise<Confidence> {
    const nowMs = this.deps.now();
    const f = { ...((await this.facts(nowMs)).get(service) ?? emptyFacts(service)) };
    delete f.verdict;
    return judgeConfidence({ ...f, ...(verdict ? { verdict } : {}) }, nowMs);
  }

  private async facts(nowMs: number): Promise<Map<string, ServiceFacts>> {
    const d = this.deps;
    const [telemetry, changes, open] = await Promise.all([
      listServices(d.store, nowMs - knownForMs, nowMs),
      listChanges(d.store, { fromMs: nowMs - recentChangesMs, toMs: nowMs, limit: 1000 }),
      d.incidents.list({ openOnly: true, limit: 500 }),
    ]);
    const facts = new Map<string, ServiceFacts>();
    const of = (service: string): ServiceFacts => {
      let f = facts.get(service);
      if (!f) facts.set(service, (f = emptyFacts(service)));
      return f;
    };
    for (const s of telemetry) of(s.service).coverage.traces = s.signals.spans;
    for (const slo of d.slos?.list() ?? [])
      of(slo.service).slos.push({
        name: slo.name,
        status: slo.status,
        errorBudgetRemaining: slo.errorBudgetRemaining,
        forecast: slo.forecast,
      });
    for (const check of d.checks?.() ?? []) if (check.service) of(check.service).coverage.checks = true;
    // Incidents and changes describe known services; they do not invent new ones (a peer's name).
    for (const i of open.incidents)
      for (const service of i.services) facts.get(service)?.openIncidents.push({ id: i.id, severity: i.severity, status: i.status, title: i.title });
    for (const c of changes)
      facts.get(c.service)?.changes.push({
        kind: c.kind,
        ...(c.version ? { version: c.version } : {}),
        timeMs: c.timeMs,
        ...(c.description ? { description: c.description } : {}),
      });
    if (d.verdicts) {
      for (const f of facts.values()) {
        const verdict = await d.verdicts.latestVerdict(f.service);
        if (verdict) f.verdict = verdict;
      }
    }
    return facts;
  }
}

function emptyFacts(service: string): ServiceFacts {
  return { service, slos: [], openIncidents: [], changes: [], coverage: { traces: false, checks: false } };
}
