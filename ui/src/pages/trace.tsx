// Trace: the waterfall (services, timing, errors), the critical path highlighted, the selected
// span's details, events and its own log lines, and all the trace's log lines inline.
import { useMemo } from 'preact/hooks';
import { qs } from '../api';
import { useQuery } from '../hooks';
import { setQuery } from '../router';
import { Badge, Empty, Loaded, Section } from '../components/ui';
import type { LogView, SpanView } from '../types';
import { clock, duration } from '../time';
import { criticalPath } from './critical-path';

interface TraceBody {
  traceId: string;
  startTime: string;
  durationMs: number;
  services: string[];
  spanCount: number;
  errorCount: number;
  spans: SpanView[];
}

interface Row {
  span: SpanView;
  depth: number;
  startMs: number;
}

/** Spans in tree order (parents before children, siblings by start), with their depth. */
function treeOrder(spans: SpanView[]): Row[] {
  const ids = new Set(spans.map((s) => s.spanId));
  const kids = new Map<string, SpanView[]>();
  const roots: SpanView[] = [];
  for (const s of spans) {
    if (s.parentSpanId && ids.has(s.parentSpanId)) kids.set(s.parentSpanId, [...(kids.get(s.parentSpanId) ?? []), s]);
    else roots.push(s);
  }
  const out: Row[] = [];
  const byStart = (a: SpanView, b: SpanView): number => Date.parse(a.startTime) - Date.parse(b.startTime);
  const visit = (s: SpanView, depth: number): void => {
    out.push({ span: s, depth, startMs: Date.parse(s.startTime) });
    for (const k of (kids.get(s.spanId) ?? []).sort(byStart)) visit(k, depth + 1);
  };
  for (const r of roots.sort(byStart)) visit(r, 0);
  return out;
}

function SpanDetails({ span, logs }: { span: SpanView; logs: LogView[] | undefined }) {
  const attrs = { ...(span.attributes ?? {}) };
  return (
    <Section title={`Span: ${span.service} ${span.name}`} id="span">
      <dl class="kv">
        <dt>Span id</dt>
        <dd class="mono">{span.spanId}</dd>
        <dt>Kind</dt>
        <dd>{span.kind}</dd>
        <dt>Start</dt>
        <dd>{clock(span.startTime)}</dd>
        <dt>Duration</dt>
        <dd>{duration(span.durationMs)}</dd>
        <dt>Status</dt>
        <dd>
          {span.status.code}
          {span.status.message ? `: ${span.status.message}` : ''}
        </dd>
        {span.serviceVersion ? (
          <>
            <dt>Version</dt>
            <dd>{span.serviceVersion}</dd>
          </>
        ) : null}
        {span.exception ? (
          <>
            <dt>Exception</dt>
            <dd>
              {span.exception.type}: {span.exception.message}
            </dd>
          </>
        ) : null}
        {Object.entries(attrs).map(([k, v]) => (
          <>
            <dt key={`${k}-k`}>{k}</dt>
            <dd key={`${k}-v`}>{String(v)}</dd>
          </>
        ))}
      </dl>
      {span.events?.length ? (
        <>
          <h3>Events</h3>
          <ul>
            {span.events.map((e, i) => (
              <li key={i}>
                {clock(e.time)} <strong>{e.name}</strong>{' '}
                {e.attributes
                  ? Object.entries(e.attributes)
                      .map(([k, v]) => `${k}=${String(v)}`)
                      .join(' ')
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h3>Logs of this span</h3>
      {logs === undefined ? null : logs.length ? (
        <ul class="span-logs">
          {logs.map((l, i) => (
            <li key={i}>
              <span class="mono muted">{clock(l.time)}</span> <span class={`sev-${l.severityText ?? ''}`}>{l.severityText}</span> {l.body}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">No log line carries this span's id.</p>
      )}
      <p>
        <a href={`/logs${qs({ traceId: span.traceId, spanId: span.spanId })}`}>Open them in the log view</a>
      </p>
    </Section>
  );
}

export function TracePage({ traceId, selected }: { traceId: string; selected: string | null }) {
  const q = useQuery<TraceBody>(`/api/v1/traces/${encodeURIComponent(traceId)}`);
  const logs = useQuery<{ logs: LogView[] }>(`/api/v1/logs${qs({ traceId, limit: 200 })}`);
  const rows = useMemo(() => (q.data ? treeOrder(q.data.spans) : []), [q.data]);
  const critical = useMemo(
    () =>
      criticalPath(
        rows.map((r) => ({ spanId: r.span.spanId, parentSpanId: r.span.parentSpanId ?? null, startMs: r.startMs, endMs: r.startMs + r.span.durationMs })),
      ),
    [rows],
  );
  return (
    <>
      <h1>
        Trace <span class="mono">{traceId}</span>
      </h1>
      <Loaded q={q} what="the trace">
        {(t) => {
          const t0 = Date.parse(t.startTime);
          const total = Math.max(t.durationMs, 0.001);
          const sel = rows.find((r) => r.span.spanId === selected)?.span ?? rows.find((r) => r.span.status.code === 'error')?.span ?? rows[0]?.span;
          return (
            <>
              <p class="actions">
                {clock(t.startTime)} · {duration(t.durationMs)} · {t.spanCount} spans · {t.services.join(', ')}{' '}
                {t.errorCount ? <Badge tone="bad">{t.errorCount} errors</Badge> : <Badge tone="ok">no error</Badge>}{' '}
                <span class="muted">Outlined bars: the critical path.</span> <a href={`/logs${qs({ traceId })}`}>Search logs of this trace</a>
              </p>
              <Section title="Waterfall" id="waterfall">
                <div class="waterfall" role="listbox" aria-label="Spans of the trace">
                  {rows.map((r) => {
                    const s = r.span;
                    const left = ((r.startMs - t0) / total) * 100;
                    const width = Math.max((s.durationMs / total) * 100, 0.2);
                    // Starts with the row's visible text (service, name, duration), as a spoken label should.
                    const label = `${s.service} ${s.name} ${duration(s.durationMs)}${s.status.code === 'error' ? ', error' : ''}${critical.has(s.spanId) ? ', on the critical path' : ''}`;
                    return (
                      <div
                        key={s.spanId}
                        class="wrow"
                        role="option"
                        tabIndex={0}
                        aria-selected={sel?.spanId === s.spanId}
                        aria-label={label}
                        data-span={s.spanId}
                        onClick={() => setQuery({ span: s.spanId })}
                        onKeyDown={(e) => {
                          if (e.key === 'Enter' || e.key === ' ') {
                            e.preventDefault();
                            setQuery({ span: s.spanId });
                          }
                        }}
                      >
                        <span class="name" style={{ paddingLeft: `${r.depth * 12}px` }}>
                          <strong>{s.service}</strong> {s.name}
                        </span>
                        <span class="track">
                          <span
                            class={`bar${s.status.code === 'error' ? ' err' : ''}${critical.has(s.spanId) ? ' crit' : ''}`}
                            style={{ left: `${left}%`, width: `${width}%` }}
                            title={label}
                          />
                        </span>
                        <span class="dur mono"> {duration(s.durationMs)}</span>
                      </div>
                    );
                  })}
                </div>
              </Section>
              {sel ? <SpanDetails span={sel} logs={logs.data?.logs.filter((l) => l.spanId === sel.spanId)} /> : null}
            </>
          );
        }}
      </Loaded>
      <Section title="Logs of this trace" id="trace-logs">
        <Loaded q={logs} what="the trace's logs">
          {(d) =>
            d.logs.length ? (
              <table>
                <tbody>
                  {d.logs.map((l, i) => (
                    <tr key={i}>
                      <td class="mono">{clock(l.time)}</td>
                      <td>{l.service}</td>
                      <td class={`sev-${l.severityText ?? ''}`}>{l.severityText}</td>
                      <td>{l.body}</td>
                      <td>{l.spanId ? <a href={`/traces/${traceId}?span=${l.spanId}`}>span</a> : null}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <Empty>No log line carries this trace id.</Empty>
            )
          }
        </Loaded>
      </Section>
    </>
  );
}
