// Logs: search by text, service, severity, trace id and attributes over a time range (all in the
// URL), a histogram of matches, a virtualised list that pages in as it scrolls, a live tail, and
// a pattern view with new patterns flagged (counted by the store). Lines link to their traces.
import { useEffect, useRef, useState } from 'preact/hooks';
import { getJson, qs } from '../api';
import { useQuery } from '../hooks';
import { setQuery } from '../router';
import { Empty, ErrorBox, Loaded, Loading, Section } from '../components/ui';
import { VirtualList } from '../components/virtual-list';
import type { LogView, PatternsBody } from '../types';
import { clock, iso, num } from '../time';
import { PatternTable } from './pattern-table';

interface LogPage {
  logs: LogView[];
  nextCursor: string | null;
}

const filterKeys = ['q', 'service', 'severity', 'traceId', 'spanId', 'from', 'to'] as const;

/** The URL change for typed `key=value` pairs: each becomes `attr.key=value`, and the filters no longer typed are dropped. */
export function attributePatch(current: Array<[string, string]>, typed: string): Record<string, string | undefined> {
  const patch: Record<string, string | undefined> = Object.fromEntries(current.map(([k]) => [k, undefined]));
  for (const pair of typed.split(/\s+/)) {
    const at = pair.indexOf('=');
    if (at > 0) patch[`attr.${pair.slice(0, at)}`] = pair.slice(at + 1);
  }
  return patch;
}

export function LogsPage({ query }: { query: URLSearchParams }) {
  const f = Object.fromEntries(filterKeys.map((k) => [k, query.get(k) ?? ''])) as Record<(typeof filterKeys)[number], string>;
  const attrs = [...query.entries()].filter(([k]) => k.startsWith('attr.'));
  const view = query.get('view') === 'patterns' ? 'patterns' : 'lines';
  const tail = query.get('tail') === '1';
  const base = { ...f, ...Object.fromEntries(attrs) };
  const searchKey = qs(base);
  const [lines, setLines] = useState<LogView[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [state, setState] = useState<{ loading: boolean; error?: Error }>({ loading: true });
  const loadingMore = useRef(false);

  useEffect(() => {
    const ctrl = new AbortController();
    setState({ loading: true });
    setLines([]);
    getJson<LogPage>(`/api/v1/logs${qs({ ...base, limit: 1000 })}`, ctrl.signal).then(
      (p) => {
        setLines(p.logs);
        setCursor(p.nextCursor);
        setState({ loading: false });
      },
      (error: Error) => !ctrl.signal.aborted && setState({ loading: false, error }),
    );
    return () => ctrl.abort();
  }, [searchKey]);

  const loadMore = (): void => {
    if (!cursor || loadingMore.current) return;
    loadingMore.current = true;
    getJson<LogPage>(`/api/v1/logs${qs({ ...base, limit: 1000, cursor })}`).then(
      (p) => {
        setLines((old) => [...old, ...p.logs]);
        setCursor(p.nextCursor);
        loadingMore.current = false;
      },
      () => (loadingMore.current = false),
    );
  };

  // Live tail: ask every 2 s for lines newer than the newest shown.
  useEffect(() => {
    if (!tail) return undefined;
    const timer = setInterval(() => {
      const newest = lines[0]?.time;
      const from = newest ? iso(Date.parse(newest) + 1) : undefined;
      getJson<LogPage>(`/api/v1/logs${qs({ ...base, from: from ?? f.from, to: undefined, limit: 500 })}`).then(
        (p) => p.logs.length && setLines((old) => [...p.logs.filter((l) => !old.length || l.time > (old[0]?.time ?? '')), ...old]),
        () => undefined,
      );
    }, 2000);
    return () => clearInterval(timer);
  }, [tail, searchKey, lines[0]?.time]);

  const hist = useQuery<{ buckets: Array<{ timeMs: number; count: number; errors: number }>; stepMs: number }>(`/api/v1/logs/histogram${searchKey}`);
  // Patterns are counted by the store over the whole search, not from the lines paged in so far.
  const patterns = useQuery<PatternsBody>(view === 'patterns' ? `/api/v1/logs/patterns${qs({ ...base, limit: 200 })}` : null);

  const attrText = attrs.map(([k, v]) => `${k.slice(5)}=${v}`).join(' ');
  const [draft, setDraft] = useState({ ...f, attrs: attrText });
  useEffect(() => setDraft({ ...f, attrs: attrText }), [searchKey]);
  const maxCount = Math.max(1, ...(hist.data?.buckets.map((b) => b.count) ?? [1]));

  return (
    <>
      <h1>Logs</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const { attrs: typed, ...fields } = draft;
          setQuery({ ...fields, ...attributePatch(attrs, typed) }, { replace: false });
        }}
      >
        <label>
          Text
          <input
            data-search
            name="q"
            value={draft.q}
            onInput={(e) => setDraft({ ...draft, q: (e.target as HTMLInputElement).value })}
            placeholder='words or "a phrase"'
            size={30}
          />
        </label>
        <label>
          Service
          <input name="service" value={draft.service} onInput={(e) => setDraft({ ...draft, service: (e.target as HTMLInputElement).value })} size={14} />
        </label>
        <label>
          Severity at least
          <select name="severity" value={draft.severity} onChange={(e) => setDraft({ ...draft, severity: (e.target as HTMLSelectElement).value })}>
            <option value="">any</option>
            {['debug', 'info', 'warn', 'error', 'fatal'].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trace id
          <input
            name="traceId"
            value={draft.traceId}
            onInput={(e) => setDraft({ ...draft, traceId: (e.target as HTMLInputElement).value.trim() })}
            size={34}
            class="mono"
          />
        </label>
        <label>
          Attributes
          <input
            name="attrs"
            value={draft.attrs}
            onInput={(e) => setDraft({ ...draft, attrs: (e.target as HTMLInputElement).value })}
            placeholder="key=value …"
            title="Space-separated key=value pairs, each matched exactly (e.g. http.route=/pay http.response.status_code=502)"
            size={26}
          />
        </label>
        <label>
          From
          <input
            name="from"
            value={draft.from}
            onInput={(e) => setDraft({ ...draft, from: (e.target as HTMLInputElement).value })}
            placeholder="ISO time"
            size={22}
          />
        </label>
        <label>
          To
          <input
            name="to"
            value={draft.to}
            onInput={(e) => setDraft({ ...draft, to: (e.target as HTMLInputElement).value })}
            placeholder="ISO time"
            size={22}
          />
        </label>
        <button type="submit" class="primary">
          Search
        </button>
        <button type="button" aria-pressed={tail} onClick={() => setQuery({ tail: tail ? undefined : '1' })}>
          {tail ? 'Stop live tail' : 'Live tail'}
        </button>
        <button type="button" onClick={() => setQuery({ view: view === 'patterns' ? undefined : 'patterns' })}>
          {view === 'patterns' ? 'Show lines' : 'Show patterns'}
        </button>
      </form>
      <Loaded q={hist} what="the histogram">
        {(h) =>
          h.buckets.length ? (
            <div class="hist" role="group" aria-label="Matching lines over time; a bar narrows the search to its time">
              {h.buckets.map((b) => (
                <button
                  key={b.timeMs}
                  type="button"
                  class={b.errors ? 'err' : ''}
                  style={{ height: `${Math.max(2, (b.count / maxCount) * 100)}%` }}
                  title={`${clock(b.timeMs)}: ${num(b.count)} lines, ${num(b.errors)} errors`}
                  aria-label={`${clock(b.timeMs)}: ${b.count} lines`}
                  onClick={() => setQuery({ from: iso(b.timeMs), to: iso(b.timeMs + h.stepMs) }, { replace: false })}
                />
              ))}
            </div>
          ) : null
        }
      </Loaded>
      {state.error ? <ErrorBox error={state.error} /> : null}
      {state.loading ? <Loading what="log lines" /> : null}
      {!state.loading && !state.error && !lines.length && view === 'lines' ? (
        <Empty>No log line matches in this range. Widen the time range or remove a filter.</Empty>
      ) : null}
      {lines.length && view === 'lines' ? (
        <Section title={`${num(lines.length)}${cursor ? '+' : ''} lines, newest first`} id="lines">
          <VirtualList
            items={lines}
            rowHeight={24}
            height={560}
            label="Log lines"
            onEnd={loadMore}
            row={(l) => (
              <>
                <span class="mono muted">{clock(l.time)}</span>
                <span class={`sev sev-${l.severityText ?? ''}`}>{l.severityText}</span>
                <span>{l.service}</span>
                <span class="body" title={l.body}>
                  {l.body}
                </span>
                {l.traceId ? (
                  <a href={`/traces/${l.traceId}${l.spanId ? `?span=${l.spanId}` : ''}`} aria-label={`trace ${l.traceId}`}>
                    trace
                  </a>
                ) : null}
              </>
            )}
          />
        </Section>
      ) : null}
      {view === 'patterns' ? (
        <Section title="Patterns" id="patterns">
          <Loaded q={patterns} what="log patterns">
            {(d) => (d.patterns.length ? <PatternTable body={d} /> : <Empty>No log line matches in this range.</Empty>)}
          </Loaded>
        </Section>
      ) : null}
    </>
  );
}
