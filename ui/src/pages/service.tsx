// Service: RED charts per route and per version with deploy markers; a click on a point (or the
// arrow keys and Enter) opens the traces and logs of that minute below; dependencies, error groups
// and log patterns. The charts' read goes first (main.tsx starts it with the page's code); the other
// panels ask once it has answered, so they never compete with it for the store.
import { useMemo } from 'preact/hooks';
import { qs } from '../api';
import { useQuery } from '../hooks';
import { setQuery } from '../router';
import { TimeChart, type ChartSeries, type Marker } from '../components/chart';
import { Badge, Empty, Loaded, Section } from '../components/ui';
import { PatternTable } from './pattern-table';
import type { ChangeView, PatternsBody, SpanView } from '../types';
import { clock, duration, iso, num, pct } from '../time';
import { redUrl, serviceView } from './first-reads';

interface RedBody {
  series: Array<{
    service: string;
    route?: string;
    version?: string;
    points: Array<{ timeMs: number; requests: number; errors: number; errorRate: number; ratePerSecond: number; p95: number | null }>;
  }>;
}

type Metric = 'ratePerSecond' | 'errorRate' | 'p95';

/** Aligns the series on the union of their times (uPlot wants one x axis). */
function align(body: RedBody, metric: Metric, label: (s: RedBody['series'][number]) => string): { times: number[]; series: ChartSeries[] } {
  const times = [...new Set(body.series.flatMap((s) => s.points.map((p) => p.timeMs)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const series = body.series.slice(0, 8).map((s) => {
    const values: Array<number | null> = times.map(() => null);
    for (const p of s.points) values[index.get(p.timeMs) as number] = metric === 'errorRate' ? p.errorRate * 100 : (p[metric] ?? null);
    return { label: label(s), values };
  });
  return { times, series };
}

function RedCharts({ body, markers, by, onPick }: { body: RedBody; markers: Marker[]; by: 'route' | 'version'; onPick: (t: number) => void }) {
  const label = (s: RedBody['series'][number]): string => (by === 'route' ? s.route || '(no route)' : s.version || '(no version)');
  const charts = useMemo(
    () => ({ rate: align(body, 'ratePerSecond', label), errors: align(body, 'errorRate', label), p95: align(body, 'p95', label) }),
    [body],
  );
  if (!charts.rate.times.length) return <Empty>No request in this range.</Empty>;
  return (
    <div class="grid2">
      <TimeChart title={`Errors % by ${by}`} unit="%" times={charts.errors.times} series={charts.errors.series} markers={markers} onPick={onPick} />
      <TimeChart title={`Requests/s by ${by}`} times={charts.rate.times} series={charts.rate.series} markers={markers} onPick={onPick} />
      <TimeChart title={`p95 latency (ms) by ${by}`} times={charts.p95.times} series={charts.p95.series} markers={markers} onPick={onPick} />
    </div>
  );
}

function Moment({ service, atMs }: { service: string; atMs: number }) {
  const from = Math.floor(atMs / 60_000) * 60_000;
  const window = { service, from: iso(from), to: iso(from + 60_000) };
  const failing = useQuery<{ spans: SpanView[] }>(`/api/v1/spans${qs({ ...window, status: 'error', limit: 50 })}`);
  const all = useQuery<{ spans: SpanView[] }>(`/api/v1/spans${qs({ ...window, kind: 'server', limit: 50 })}`);
  const logs = useQuery<{ logs: Array<{ time: string; severityText: string; body: string; traceId: string | null }> }>(
    `/api/v1/logs${qs({ ...window, limit: 20 })}`,
  );
  const traceList = (spans: SpanView[]) => {
    const seen = new Set<string>();
    const rows = spans.filter((s) => !seen.has(s.traceId) && seen.add(s.traceId)).slice(0, 15);
    return rows.length ? (
      <ul class="moment-traces">
        {rows.map((s) => (
          <li key={s.traceId}>
            <a href={`/traces/${s.traceId}`}>
              {s.name} {duration(s.durationMs)} {s.status.code === 'error' ? `· ${s.status.message || 'error'}` : ''}
            </a>
          </li>
        ))}
      </ul>
    ) : (
      <Empty>None in this minute.</Empty>
    );
  };
  return (
    <Section
      title={`The minute from ${clock(from)}`}
      id="moment"
      actions={
        <button type="button" onClick={() => setQuery({ at: undefined })}>
          Close
        </button>
      }
    >
      <div class="grid2">
        <div>
          <h3>Failing traces</h3>
          <Loaded q={failing} what="failing traces">
            {(d) => traceList(d.spans)}
          </Loaded>
          <h3>Requests</h3>
          <Loaded q={all} what="traces">
            {(d) => traceList(d.spans)}
          </Loaded>
        </div>
        <div>
          <h3>
            Logs <a href={`/logs${qs(window)}`}>(open in the log view)</a>
          </h3>
          <Loaded q={logs} what="logs">
            {(d) =>
              d.logs.length ? (
                <ul>
                  {d.logs.map((l, i) => (
                    <li key={i}>
                      <span class={`sev-${l.severityText}`}>{l.severityText}</span> {l.body} {l.traceId ? <a href={`/traces/${l.traceId}`}>trace</a> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>No log line in this minute.</Empty>
              )
            }
          </Loaded>
        </div>
      </div>
    </Section>
  );
}

export function ServicePage({ name, query }: { name: string; query: URLSearchParams }) {
  const view = serviceView(name, query);
  const { from, to, route, by } = view;
  const at = query.get('at');
  const red = useQuery<RedBody>(redUrl(view));
  const settled = red.data !== undefined || red.error !== undefined;
  const changes = useQuery<{ changes: ChangeView[] }>(settled ? `/api/v1/changes${qs({ service: name, from, to })}` : null);
  const map = useQuery<{
    edges: Array<{ caller: string; callee: string; calls: number; errors: number; errorRate: number; p95Ms: number | null; health: string }>;
  }>(settled ? `/api/v1/service-map${qs({ from, to })}` : null);
  const patterns = useQuery<PatternsBody>(settled ? `/api/v1/logs/patterns${qs({ service: name, from, to, limit: 15 })}` : null);
  const markers = useMemo<Marker[]>(
    () => (changes.data?.changes ?? []).map((c) => ({ timeMs: Date.parse(c.time ?? ''), label: `${c.kind} ${c.version ?? c.description ?? ''}`.trim() })),
    [changes.data],
  );
  return (
    <>
      <h1>Service {name}</h1>
      <p class="actions">
        <span class="muted">
          {from ? `${clock(from)} → ${to ? clock(to) : 'now'}` : 'Last hour'}
          {route ? ` · route ${route}` : ''}
        </span>
        <button type="button" aria-pressed={by === 'route'} onClick={() => setQuery({ by: undefined })}>
          By route
        </button>
        <button type="button" aria-pressed={by === 'version'} onClick={() => setQuery({ by: 'version' })}>
          By version
        </button>
        {route ? (
          <button type="button" onClick={() => setQuery({ route: undefined })}>
            All routes
          </button>
        ) : null}
        <a href={`/logs${qs({ service: name, from, to })}`}>Logs</a>
        <a href={`/logs${qs({ service: name, from, to, view: 'patterns' })}`}>Log patterns</a>
      </p>
      <Section title="Rate, errors, duration" id="red">
        <p class="muted">Click a point, or focus a chart and use the arrow keys and Enter, for the traces and logs of that minute.</p>
        <Loaded q={red} what="RED series">
          {(d) => <RedCharts body={d} markers={markers} by={by} onPick={(t) => setQuery({ at: String(Math.round(t)) }, { replace: false })} />}
        </Loaded>
      </Section>
      {at ? <Moment service={name} atMs={Number(at)} /> : null}
      <div class="grid2">
        <Section title="Dependencies" id="deps">
          <Loaded q={map} what="dependencies">
            {(d) => {
              const edges = d.edges.filter((e) => e.caller === name || e.callee === name);
              return edges.length ? (
                <table>
                  <thead>
                    <tr>
                      <th>Call</th>
                      <th class="num">Calls</th>
                      <th class="num">Errors</th>
                      <th class="num">p95</th>
                    </tr>
                  </thead>
                  <tbody>
                    {edges.map((e) => (
                      <tr key={`${e.caller}>${e.callee}`}>
                        <td>
                          <a href={`/services/${encodeURIComponent(e.caller)}`}>{e.caller}</a> →{' '}
                          <a href={`/services/${encodeURIComponent(e.callee)}`}>{e.callee}</a>{' '}
                          <Badge tone={e.health === 'failing' ? 'bad' : e.health === 'warning' ? 'warn' : 'ok'}>{e.health}</Badge>
                        </td>
                        <td class="num">{num(e.calls)}</td>
                        <td class="num">{pct(e.errorRate)}</td>
                        <td class="num">{e.p95Ms === null ? '—' : `${Math.round(e.p95Ms)} ms`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No call to or from {name} seen in this range.</Empty>
              );
            }}
          </Loaded>
        </Section>
        <Section title="Error groups" id="errors">
          <Loaded q={patterns} what="error groups">
            {(d) =>
              d.errorGroups.length ? (
                <ul>
                  {d.errorGroups.map((g) => (
                    <li key={g.fingerprint} data-error-group={g.fingerprint}>
                      {num(g.count)} {g.count === 1 ? 'trace' : 'traces'} × {g.message}
                      {g.firstSeenVersion ? <span class="muted"> (first in {g.firstSeenVersion})</span> : null}{' '}
                      {g.sampleTraceId ? <a href={`/traces/${g.sampleTraceId}`}>sample trace</a> : null}
                    </li>
                  ))}
                </ul>
              ) : (
                <Empty>No failing span in this range.</Empty>
              )
            }
          </Loaded>
        </Section>
      </div>
      <Section title="Log patterns" id="patterns" actions={<a href={`/logs${qs({ service: name, from, to, view: 'patterns' })}`}>All patterns</a>}>
        <Loaded q={patterns} what="log patterns">
          {(d) => (d.patterns.length ? <PatternTable body={d} /> : <Empty>No log line from {name} in this range.</Empty>)}
        </Loaded>
      </Section>
    </>
  );
}
