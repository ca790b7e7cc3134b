// Home: are we OK right now? "Is it safe to stop watching?" answered first (production confidence
// per service with its reasons), then open incidents, services by health and recent deploys;
// "all clear since …" when nothing is open; a newcomer's first steps when nothing has arrived.
import { useQuery } from '../hooks';
import { Badge, Empty, Loaded, Section, severityTone, statusTone } from '../components/ui';
import type { ChangeView, IncidentSummary } from '../types';
import { ago, clock, num, pct } from '../time';

interface ServiceRow {
  service: string;
  requests: number;
  errors: number;
  errorRate: number;
  ratePerSecond: number;
  p95: number | null;
  versions: string[];
  lastSeen: string | null;
}

type ConfidenceLevel = 'high' | 'medium' | 'low';
interface ConfidenceAnswer {
  overall: { level: ConfidenceLevel; safeToStopWatching: boolean; answer: string };
  services: Array<{ service: string; level: ConfidenceLevel; score: number; reasons: string[] }>;
}
const levelTone: Record<ConfidenceLevel, string> = { high: 'ok', medium: 'warn', low: 'bad' };
const levelRank: Record<ConfidenceLevel, number> = { low: 0, medium: 1, high: 2 };
/** Reasons shown per service; the rest are one hover away (the API lists them all). */
const topReasons = 3;

/**
 * The one answer, then the services that hold it back, weakest first, with level, score and top
 * reasons (docs/confidence.md); services at high confidence share one line, so the panel stays short
 * however many services are fine.
 */
export function ConfidencePanel({ d }: { d: ConfidenceAnswer }) {
  const verdict = d.overall.safeToStopWatching ? 'Yes' : d.overall.level === 'low' ? 'No' : 'Not yet';
  const sorted = [...d.services].sort((a, b) => levelRank[a.level] - levelRank[b.level] || a.score - b.score || a.service.localeCompare(b.service));
  const rows = sorted.filter((c) => c.level !== 'high');
  const high = sorted.filter((c) => c.level === 'high');
  return (
    <>
      <p data-overall={d.overall.level}>
        <Badge tone={levelTone[d.overall.level]}>{verdict}</Badge> {d.overall.answer.replace(/^(Yes|No, keep watching|Not yet): /, '')}
      </p>
      {rows.length ? (
        <table>
          <thead>
            <tr>
              <th>Service</th>
              <th>Confidence</th>
              <th class="num">Score</th>
              <th>Top reasons</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.service} data-confidence={c.service} data-level={c.level}>
                <td>
                  <a href={`/services/${encodeURIComponent(c.service)}`}>{c.service}</a>
                </td>
                <td>
                  <Badge tone={levelTone[c.level]}>{c.level}</Badge>
                </td>
                <td class="num">{c.score}</td>
                <td title={c.reasons.join('\n')}>
                  {c.reasons.slice(0, topReasons).join(' · ')}
                  {c.reasons.length > topReasons ? <span class="muted"> (+{c.reasons.length - topReasons} more)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {high.length && rows.length ? (
        <p class="muted">
          High confidence:{' '}
          {high.map((c, i) => (
            <span key={c.service} data-confidence={c.service} data-level="high" title={c.reasons.join('\n')}>
              {i ? ', ' : ''}
              <a href={`/services/${encodeURIComponent(c.service)}`}>{c.service}</a> ({c.score})
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}

export const serviceHealth = (s: { requests: number; errors: number; errorRate: number }): 'failing' | 'warning' | 'ok' | 'idle' =>
  s.requests === 0 ? 'idle' : s.errorRate >= 0.05 && s.errors >= 5 ? 'failing' : s.errorRate >= 0.01 && s.errors >= 2 ? 'warning' : 'ok';

/** The API marks incidents whose notifications silences suppress (docs/alerting.md). */
type ListedIncident = IncidentSummary & { silenced?: boolean; silencedBy?: string[] };

export function IncidentTable({ incidents }: { incidents: ListedIncident[] }) {
  return (
    <table>
      <thead>
        <tr>
          <th>Incident</th>
          <th>Severity</th>
          <th>Status</th>
          <th>Services</th>
          <th>Detected</th>
        </tr>
      </thead>
      <tbody>
        {incidents.map((i) => (
          <tr key={i.id}>
            <td>
              <a href={`/incidents/${encodeURIComponent(i.id)}`}>
                #{i.id} {i.title}
              </a>
            </td>
            <td>
              <Badge tone={severityTone(i.severity)} title={i.severityReason}>
                {i.severity}
              </Badge>
            </td>
            <td>
              <Badge tone={statusTone(i.status)}>{i.status}</Badge>
              {i.silenced ? (
                <>
                  {' '}
                  <Badge tone="info" title={`notifications suppressed by silence ${(i.silencedBy ?? []).join(', ')}`}>
                    silenced
                  </Badge>
                </>
              ) : null}
            </td>
            <td>{i.services.join(', ')}</td>
            <td title={i.detectedAt}>{clock(i.detectedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Home() {
  const open = useQuery<{ incidents: IncidentSummary[] }>('/api/v1/incidents?status=open', { refreshMs: 15_000 });
  const recent = useQuery<{ incidents: IncidentSummary[] }>('/api/v1/incidents?status=all&limit=50');
  const services = useQuery<{ services: ServiceRow[]; to: string }>('/api/v1/services', { refreshMs: 15_000 });
  const deploys = useQuery<{ deployments: ChangeView[] }>('/api/v1/deployments');
  const confidence = useQuery<ConfidenceAnswer>('/api/v1/confidence', { refreshMs: 15_000 });

  const nothingYet = services.data?.services.length === 0 && open.data?.incidents.length === 0 && recent.data?.incidents.length === 0;
  if (nothingYet) {
    return (
      <>
        <h1>Welcome to Vigil</h1>
        <Empty>
          <p>No telemetry has arrived yet. Two ways to see the whole loop:</p>
          <ul>
            <li>
              Run <code>vigil demo</code>: a small shop with traffic, deploys and injectable faults.
            </li>
            <li>
              Point an OpenTelemetry SDK or Collector at this server: OTLP/HTTP on port 4318 (<code>/v1/traces</code>, <code>/v1/logs</code>,{' '}
              <code>/v1/metrics</code>) or OTLP/gRPC on 4317, with <code>Authorization: Bearer &lt;ingest key&gt;</code>.
            </li>
          </ul>
        </Empty>
      </>
    );
  }

  const lastResolved = recent.data?.incidents.filter((i) => i.resolvedAt).sort((a, b) => Date.parse(b.resolvedAt ?? '') - Date.parse(a.resolvedAt ?? ''))[0];
  return (
    <>
      <h1>Are we OK?</h1>
      <Section title="Is it safe to stop watching?" id="confidence">
        <Loaded q={confidence} what="production confidence">
          {(d) => <ConfidencePanel d={d} />}
        </Loaded>
      </Section>
      <Section title="Open incidents" id="open">
        <Loaded q={open} what="open incidents">
          {(d) =>
            d.incidents.length ? (
              <IncidentTable incidents={d.incidents} />
            ) : (
              <p class="allclear">
                <Badge tone="ok">All clear</Badge>{' '}
                {!recent.data ? (
                  // Until the recent incidents have answered, "no incident has been opened" could be false.
                  recent.error ? null : (
                    <span class="muted" role="status">
                      (finding the last resolved incident…)
                    </span>
                  )
                ) : lastResolved ? (
                  <>
                    since {clock(lastResolved.resolvedAt)} (incident #{lastResolved.id} resolved{' '}
                    {ago(lastResolved.resolvedAt, Date.parse(services.data?.to ?? '') || Date.now())})
                  </>
                ) : (
                  'no incident has been opened'
                )}
              </p>
            )
          }
        </Loaded>
      </Section>
      <div class="grid2">
        <Section title="Services (last 15 min)" id="services">
          <Loaded q={services} what="services">
            {(d) =>
              d.services.length ? (
                <table>
                  <thead>
                    <tr>
                      <th>Service</th>
                      <th>Health</th>
                      <th class="num">Req/s</th>
                      <th class="num">Errors</th>
                      <th class="num">p95</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...d.services]
                      .sort((a, b) => b.errorRate - a.errorRate)
                      .map((s) => {
                        const h = serviceHealth(s);
                        return (
                          <tr key={s.service}>
                            <td>
                              <a href={`/services/${encodeURIComponent(s.service)}`}>{s.service}</a>
                            </td>
                            <td>
                              <Badge tone={h === 'failing' ? 'bad' : h === 'warning' ? 'warn' : h === 'ok' ? 'ok' : 'info'}>{h}</Badge>
                            </td>
                            <td class="num">{s.ratePerSecond.toFixed(1)}</td>
                            <td class="num">{pct(s.errorRate)}</td>
                            <td class="num">{s.p95 === null ? '—' : `${Math.round(s.p95)} ms`}</td>
                          </tr>
                        );
                      })}
                  </tbody>
                </table>
              ) : (
                <Empty>No service sent spans in the last 15 minutes.</Empty>
              )
            }
          </Loaded>
        </Section>
        <Section title="Recent deploys" id="deploys">
          <Loaded q={deploys} what="deploys">
            {(d) => {
              const list = [...d.deployments].sort((a, b) => Date.parse(b.time ?? '') - Date.parse(a.time ?? '')).slice(0, 10);
              return list.length ? (
                <ul>
                  {list.map((c) => (
                    <li key={c.id}>
                      <a href={`/services/${encodeURIComponent(c.service)}`}>{c.service}</a> {c.version ?? ''} <span class="muted">{clock(c.time)}</span>
                      {c.verdict ? (
                        <>
                          {' '}
                          <Badge tone={statusTone(c.verdict.status)}>{c.verdict.status}</Badge>
                        </>
                      ) : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>
                  No deploy recorded yet: <code>vigil deploy</code> or <code>POST /api/v1/deployments</code> records one; a new service.version is inferred.
                </Empty>
              );
            }}
          </Loaded>
        </Section>
      </div>
      {recent.data && recent.data.incidents.some((i) => i.status === 'resolved') ? (
        <Section title="Recently resolved" id="resolved">
          <IncidentTable incidents={recent.data.incidents.filter((i) => i.status === 'resolved').slice(0, 5)} />
        </Section>
      ) : null}
      <p class="muted">Counts: {num(services.data?.services.length)} services.</p>
    </>
  );
}
