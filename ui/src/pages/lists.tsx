// The list pages: incidents, services, deployments (with their verdicts), synthetic checks and
// SLOs. Each shows what the API has and says plainly what to do when it has nothing.
import { qs } from '../api';
import { useQuery } from '../hooks';
import { setQuery } from '../router';
import { Badge, Empty, Loaded, statusTone } from '../components/ui';
import type { ChangeView, IncidentSummary } from '../types';
import { clock, duration, num, pct } from '../time';
import { IncidentTable, serviceHealth } from './home';

export function IncidentsPage({ query }: { query: URLSearchParams }) {
  const status = query.get('status') === 'open' ? 'open' : 'all';
  const cursor = query.get('cursor') ?? undefined;
  const q = useQuery<{ incidents: IncidentSummary[]; nextCursor?: string }>(`/api/v1/incidents${qs({ status, cursor, limit: 50 })}`);
  return (
    <>
      <h1>Incidents</h1>
      <p class="actions">
        <button type="button" aria-pressed={status === 'all'} onClick={() => setQuery({ status: undefined, cursor: undefined })}>
          All
        </button>
        <button type="button" aria-pressed={status === 'open'} onClick={() => setQuery({ status: 'open', cursor: undefined })}>
          Open
        </button>
      </p>
      <Loaded q={q} what="incidents">
        {(d) =>
          d.incidents.length ? (
            <>
              <IncidentTable incidents={d.incidents} />
              {d.nextCursor ? (
                <p>
                  <a href={`/incidents${qs({ status, cursor: d.nextCursor })}`}>Older incidents</a>
                </p>
              ) : null}
            </>
          ) : (
            <Empty>No incident {status === 'open' ? 'is open' : 'yet'}.</Empty>
          )
        }
      </Loaded>
    </>
  );
}

export function ServicesPage() {
  const q = useQuery<{
    services: Array<{
      service: string;
      requests: number;
      errors: number;
      errorRate: number;
      ratePerSecond: number;
      p95: number | null;
      versions: string[];
      lastSeen: string | null;
    }>;
  }>('/api/v1/services');
  return (
    <>
      <h1>Services</h1>
      <Loaded q={q} what="services">
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
                  <th>Versions</th>
                  <th>Last seen</th>
                </tr>
              </thead>
              <tbody>
                {d.services.map((s) => (
                  <tr key={s.service}>
                    <td>
                      <a href={`/services/${encodeURIComponent(s.service)}`}>{s.service}</a>
                    </td>
                    <td>
                      <Badge tone={statusTone(serviceHealth(s) === 'failing' ? 'fail' : serviceHealth(s))}>{serviceHealth(s)}</Badge>
                    </td>
                    <td class="num">{s.ratePerSecond.toFixed(1)}</td>
                    <td class="num">{pct(s.errorRate)}</td>
                    <td class="num">{s.p95 === null ? '—' : `${Math.round(s.p95)} ms`}</td>
                    <td>{s.versions.join(', ')}</td>
                    <td>{clock(s.lastSeen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No service has sent telemetry in the last 15 minutes.</Empty>
          )
        }
      </Loaded>
    </>
  );
}

interface Deployment extends ChangeView {
  confidence?: { level: string; score: number };
}

export function DeploymentsPage({ query }: { query: URLSearchParams }) {
  const service = query.get('service') ?? undefined;
  const q = useQuery<{ deployments: Deployment[] }>(`/api/v1/deployments${qs({ service })}`);
  return (
    <>
      <h1>Deployments{service ? ` of ${service}` : ''}</h1>
      <Loaded q={q} what="deployments">
        {(d) =>
          d.deployments.length ? (
            <table>
              <thead>
                <tr>
                  <th>When</th>
                  <th>Service</th>
                  <th>Version</th>
                  <th>Verdict</th>
                  <th>Summary</th>
                </tr>
              </thead>
              <tbody>
                {[...d.deployments]
                  .sort((a, b) => Date.parse(b.time ?? '') - Date.parse(a.time ?? ''))
                  .map((x) => (
                    <tr key={x.id}>
                      <td>{clock(x.time)}</td>
                      <td>
                        <a href={`/services/${encodeURIComponent(x.service)}`}>{x.service}</a>
                      </td>
                      <td>
                        {x.previousVersion ? `${x.previousVersion} → ` : ''}
                        {x.version ?? '—'}
                      </td>
                      <td>{x.verdict ? <Badge tone={statusTone(x.verdict.status)}>{x.verdict.status}</Badge> : <span class="muted">no verdict</span>}</td>
                      <td>{x.verdict?.summary ?? x.description ?? ''}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          ) : (
            <Empty>
              No deployment recorded. <code>vigil deploy --service S --version V</code> or <code>POST /api/v1/deployments</code> records one; a new
              service.version in telemetry is inferred as one.
            </Empty>
          )
        }
      </Loaded>
    </>
  );
}

interface Check {
  name: string;
  kind: string;
  service?: string;
  status: string;
  lastRun?: { at: string; ok: boolean; durationMs: number; error?: string; traceId?: string };
}

export function ChecksPage() {
  const q = useQuery<{ checks: Check[] }>('/api/v1/checks', { refreshMs: 15_000 });
  return (
    <>
      <h1>Synthetic checks</h1>
      <Loaded q={q} what="checks">
        {(d) =>
          d.checks.length ? (
            <table>
              <thead>
                <tr>
                  <th>Check</th>
                  <th>Kind</th>
                  <th>Service</th>
                  <th>Status</th>
                  <th>Last run</th>
                </tr>
              </thead>
              <tbody>
                {d.checks.map((c) => (
                  <tr key={c.name}>
                    <td>{c.name}</td>
                    <td>{c.kind}</td>
                    <td>{c.service ? <a href={`/services/${encodeURIComponent(c.service)}`}>{c.service}</a> : '—'}</td>
                    <td>
                      <Badge tone={statusTone(c.status)}>{c.status}</Badge>
                    </td>
                    <td>
                      {c.lastRun ? (
                        <>
                          {clock(c.lastRun.at)} · {duration(c.lastRun.durationMs)} {c.lastRun.error ? `· ${c.lastRun.error}` : ''}{' '}
                          {c.lastRun.traceId ? <a href={`/traces/${c.lastRun.traceId}`}>trace</a> : null}
                        </>
                      ) : (
                        'not run yet'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>
              No synthetic check is configured. Put checks as code in a folder and start with <code>vigil start --checks DIR</code> (or <code>checks.dir</code>{' '}
              in vigil.yaml).
            </Empty>
          )
        }
      </Loaded>
    </>
  );
}

interface Slo {
  name: string;
  service: string;
  route?: string;
  objective: string;
  target: number;
  window: string;
  metric?: { total: { name: string } };
  attainment: number | null;
  errorBudgetRemaining: number | null;
  burnRates: Record<string, number | null>;
  forecast: string;
  status: string;
}

export function SlosPage() {
  const q = useQuery<{ slos: Slo[] }>('/api/v1/slos', { refreshMs: 30_000 });
  return (
    <>
      <h1>SLOs</h1>
      <Loaded q={q} what="SLOs">
        {(d) =>
          d.slos.length ? (
            <table>
              <thead>
                <tr>
                  <th>SLO</th>
                  <th>Service</th>
                  <th>Objective</th>
                  <th class="num">Target</th>
                  <th class="num">Attainment</th>
                  <th class="num">Budget left</th>
                  <th>Burn 5m / 1h / 6h</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {d.slos.map((s) => (
                  <tr key={s.name}>
                    <td>{s.name}</td>
                    <td>
                      <a href={`/services/${encodeURIComponent(s.service)}${qs({ route: s.route })}`}>{s.service}</a>
                      {s.route ? ` ${s.route}` : ''}
                    </td>
                    <td>
                      {s.objective} over {s.window}
                      {s.metric ? <span class="muted"> from {s.metric.total.name}</span> : null}
                    </td>
                    <td class="num">{pct(s.target)}</td>
                    <td class="num">{pct(s.attainment)}</td>
                    <td class="num">
                      {pct(s.errorBudgetRemaining)}
                      <br />
                      <span class="muted">{s.forecast}</span>
                    </td>
                    <td>
                      {['5m', '1h', '6h']
                        .map((w) => (s.burnRates[w] === null || s.burnRates[w] === undefined ? '—' : `${num(Math.round((s.burnRates[w] ?? 0) * 10) / 10)}x`))
                        .join(' / ')}
                    </td>
                    <td>
                      <Badge tone={statusTone(s.status)}>{s.status}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>
              No SLO defined. Add <code>slos:</code> to vigil.yaml or <code>POST /api/v1/slos</code>.
            </Empty>
          )
        }
      </Loaded>
    </>
  );
}
