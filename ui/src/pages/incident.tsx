// Incident: what is wrong, how bad, why (ranked root causes with evidence), what changed, and the
// actions; every item links to the explorer with its filters and the incident's time range set.
import { useState } from 'preact/hooks';
import { postJson, qs } from '../api';
import { useQuery } from '../hooks';
import { Badge, Empty, ErrorBox, Loaded, Section, severityTone, statusTone } from '../components/ui';
import type { IncidentDetail } from '../types';
import { clock, duration, iso, ms, num, pct } from '../time';

const next: Record<string, Array<[string, string]>> = {
  triggered: [
    ['ack', 'Acknowledge'],
    ['mitigate', 'Mitigate'],
    ['resolve', 'Resolve'],
  ],
  acknowledged: [
    ['mitigate', 'Mitigate'],
    ['resolve', 'Resolve'],
  ],
  mitigated: [['resolve', 'Resolve']],
  resolved: [],
};

/**
 * The log search for every line like this one: its fixed words (no number, id or masked <part>),
 * which the log search requires all of, so the link finds the whole kind of line, not one line.
 */
export function searchWords(text: string): string {
  return text
    .split(/\s+/)
    .filter((w) => !/[\d<>"']/.test(w))
    .map((w) => w.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''))
    .filter(Boolean)
    .slice(0, 8)
    .join(' ');
}

function Actions({ incident, canWrite, onDone }: { incident: IncidentDetail; canWrite: boolean; onDone: () => void }) {
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<Error>();
  const [note, setNote] = useState('');
  const act = async (action: string, body: Record<string, unknown>): Promise<void> => {
    setBusy(action);
    setError(undefined);
    try {
      await postJson(`/api/v1/incidents/${encodeURIComponent(incident.id)}/${action}`, { actor: 'ui', ...body });
      onDone();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy('');
    }
  };
  if (!canWrite) return <p class="muted">This key may view only (read scope); acting needs the write scope.</p>;
  return (
    <div>
      <div class="actions">
        {(next[incident.status] ?? []).map(([action, label]) => (
          <button key={action} type="button" class={action === 'ack' ? 'primary' : ''} disabled={!!busy} onClick={() => void act(action, {})}>
            {busy === action ? `${label}…` : label}
          </button>
        ))}
        <form
          class="actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) void act('note', { text: note.trim() }).then(() => setNote(''));
          }}
        >
          <label>
            <span class="skip">Note</span>
            <input
              aria-label="Add a note to the timeline"
              placeholder="Add a note…"
              value={note}
              onInput={(e) => setNote((e.target as HTMLInputElement).value)}
              size={40}
            />
          </label>
          <button type="submit" disabled={!!busy || !note.trim()}>
            Add note
          </button>
        </form>
      </div>
      {error ? <ErrorBox error={error} /> : null}
    </div>
  );
}

export function IncidentPage({ id }: { id: string }) {
  const q = useQuery<IncidentDetail>(`/api/v1/incidents/${encodeURIComponent(id)}`, { refreshMs: 20_000 });
  const session = useQuery<{ scopes: string[] }>('/api/v1/session');
  const canWrite = session.data?.scopes.includes('write') ?? false;
  return (
    <Loaded q={q} what={`incident #${id}`}>
      {(inc) => {
        const onset = ms(inc.startedAt);
        const end = inc.resolvedAt ? ms(inc.resolvedAt) : Math.max(ms(inc.detectedAt), onset) + 15 * 60_000;
        const range = { from: iso(onset - 15 * 60_000), to: iso(end) };
        const ctx = inc.context;
        const changes = ctx?.changes ?? inc.changes ?? [];
        return (
          <>
            <h1>
              #{inc.id} {inc.title}
            </h1>
            <p class="actions">
              <Badge tone={severityTone(inc.severity)}>{inc.severity}</Badge>
              <Badge tone={statusTone(inc.status)}>{inc.status}</Badge>
              <span>{inc.severityReason}</span>
            </p>
            <p class="muted">
              Started {clock(inc.startedAt)} · detected {clock(inc.detectedAt)}
              {inc.resolvedAt ? <> · resolved {clock(inc.resolvedAt)}</> : null} · services:{' '}
              {inc.services.map((s, i) => (
                <span key={s}>
                  {i ? ', ' : ''}
                  <a href={`/services/${encodeURIComponent(s)}${qs(range)}`}>{s}</a>
                </span>
              ))}{' '}
              · <a href={`/logs${qs({ service: inc.services.join(','), ...range })}`}>logs of the incident</a>
            </p>
            <Section title="Actions" id="actions">
              <Actions incident={inc} canWrite={canWrite} onDone={q.reload} />
            </Section>
            {inc.impact ? (
              <Section title="Impact" id="impact">
                <p>
                  {num(inc.impact.entryFailed)} of {num(inc.impact.entryRequests)} customer-facing requests failed (
                  {pct(inc.impact.entryRequests ? inc.impact.entryFailed / inc.impact.entryRequests : NaN)}), {num(inc.impact.entrySlow)} slow;{' '}
                  {num(inc.impact.affectedUsers)} of {num(inc.impact.totalUsers)} users affected; lasting {duration(inc.impact.durationMs)}
                  {inc.impact.journeysHit?.length ? `; journeys hit: ${inc.impact.journeysHit.join(', ')}` : ''}.
                </p>
              </Section>
            ) : null}
            <Section title="Suspected root causes" id="causes">
              {inc.rootCauses.length ? (
                <ol class="causes">
                  {inc.rootCauses.map((c, i) => (
                    <li key={i} data-root-cause={`${c.service}:${c.kind}`}>
                      <strong>
                        <a href={`/services/${encodeURIComponent(c.service)}${qs(range)}`}>{c.service}</a>: {c.kind}
                      </strong>{' '}
                      <span class="muted">score {c.score.toFixed(2)}</span>
                      <p>{c.explanation}</p>
                      <details open={i === 0}>
                        <summary>Evidence ({c.evidence.length})</summary>
                        <ul>
                          {c.evidence.map((e, j) => (
                            <li key={j}>{e}</li>
                          ))}
                        </ul>
                      </details>
                      {c.nextSteps?.length ? (
                        <details open={i === 0}>
                          <summary>Next steps</summary>
                          <ul>
                            {c.nextSteps.map((e, j) => (
                              <li key={j}>{e}</li>
                            ))}
                          </ul>
                        </details>
                      ) : null}
                    </li>
                  ))}
                </ol>
              ) : (
                <Empty>No root cause ranked yet: the ranking runs as signals arrive.</Empty>
              )}
            </Section>
            <div class="grid2">
              <Section title="Deploys and changes" id="changes">
                {changes.length ? (
                  <ul>
                    {changes.map((c) => (
                      <li key={c.id}>
                        <strong>{c.kind}</strong> <a href={`/services/${encodeURIComponent(c.service)}${qs(range)}`}>{c.service}</a> {c.version ?? ''} at{' '}
                        {clock(c.time ?? c.timeMs)} — {c.description}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>No deploy or config change of these services lined up with the incident.</Empty>
                )}
              </Section>
              <Section title="Affected endpoints" id="endpoints">
                {ctx?.affectedEndpoints.length ? (
                  <ul>
                    {ctx.affectedEndpoints.map((e) => (
                      <li key={`${e.service} ${e.endpoint}`}>
                        <a href={`/services/${encodeURIComponent(e.service)}${qs({ ...range, route: e.endpoint.replace(/^[A-Z]+ /, '') })}`}>
                          {e.service} {e.endpoint}
                        </a>
                        : {e.summary}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>No endpoint measured yet.</Empty>
                )}
              </Section>
            </div>
            <Section title="Error groups" id="errors">
              {ctx?.errorGroups.length ? (
                <table>
                  <thead>
                    <tr>
                      <th>Service</th>
                      <th>Error</th>
                      <th class="num">Traces</th>
                      <th>First seen in</th>
                      <th>Sample</th>
                    </tr>
                  </thead>
                  <tbody>
                    {ctx.errorGroups.map((g) => (
                      <tr key={`${g.service}${g.fingerprint}`}>
                        <td>{g.service}</td>
                        <td>
                          <a href={`/logs${qs({ service: g.service, q: searchWords(g.message), ...range })}`}>{g.message}</a>
                        </td>
                        <td class="num">{num(g.count)}</td>
                        <td>{g.firstSeenVersion || '—'}</td>
                        <td>{g.sampleTraceId ? <a href={`/traces/${g.sampleTraceId}`}>trace</a> : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No error group in the incident's window.</Empty>
              )}
            </Section>
            <div class="grid2">
              <Section title="Example traces" id="traces">
                {ctx?.exampleTraces.length ? (
                  <ul>
                    {ctx.exampleTraces.map((t) => (
                      <li key={t.traceId}>
                        <a href={`/traces/${t.traceId}`}>{t.label}</a>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>No example trace yet.</Empty>
                )}
              </Section>
              <Section title="Similar incidents" id="similar">
                {inc.similarIncidents?.length ? (
                  <ul>
                    {inc.similarIncidents.map((s) => (
                      <li key={s.id}>
                        <a href={`/incidents/${encodeURIComponent(s.id)}`}>
                          #{s.id} {s.title ?? ''}
                        </a>{' '}
                        {s.resolution ?? s.fixedBy ?? ''}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Empty>Nothing like this has happened before (or it is the first of its kind here).</Empty>
                )}
              </Section>
            </div>
            <Section title="Relevant log lines" id="logs">
              {ctx?.logs.length ? (
                <table>
                  <tbody>
                    {ctx.logs.slice(0, 30).map((l, i) => (
                      <tr key={i}>
                        <td class="mono">{clock(l.timeMs)}</td>
                        <td>{l.service}</td>
                        <td class={`sev-${l.severityText}`}>{l.severityText}</td>
                        <td>
                          <a href={`/logs${qs({ service: l.service, q: searchWords(l.template || l.body), ...range })}`}>{l.body}</a>{' '}
                          <span class="muted">
                            ({l.reason}, {l.before} → {l.after})
                          </span>
                        </td>
                        <td>{l.traceId ? <a href={`/traces/${l.traceId}`}>trace</a> : null}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <Empty>No new, spiking or error log line around the onset.</Empty>
              )}
            </Section>
            <Section title="Timeline" id="timeline">
              <ol class="timeline">
                {inc.timeline.map((t, i) => (
                  <li key={i}>
                    <a class="mono" href={`/logs${qs({ service: inc.services.join(','), from: iso(ms(t.at) - 60_000), to: iso(ms(t.at) + 60_000) })}`}>
                      {clock(t.at)}
                    </a>{' '}
                    <Badge tone="info">{t.kind}</Badge> {t.text}
                    {typeof t.data?.traceId === 'string' ? (
                      <>
                        {' '}
                        <a href={`/traces/${t.data.traceId}`}>trace</a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
            </Section>
          </>
        );
      }}
    </Loaded>
  );
}
