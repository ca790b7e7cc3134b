// What `vigil incidents` prints for people: the list as a table and one incident as a page a
// responder reads top-down (what, how bad and why, likely causes with their evidence, what changed,
// the timeline, where to click). Pure functions of the API's JSON; `--json` prints that JSON instead.

import type { IncidentSummaryView, IncidentView, RootCauseView } from '../client/index.js';

export type { IncidentSummaryView, IncidentView };

const CAUSES_SHOWN = 3;
const EVIDENCE_SHOWN = 4;
const LIST_SHOWN = 5;
/** Timeline entries kept: the first few (how it began) and the latest (where it stands). */
const TIMELINE_HEAD = 5;
const TIMELINE_TAIL = 20;

/** "2026-12-06 04:01:10Z": ISO to the second, readable, still unambiguous. */
export function shortTime(iso: string | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms)
    ? iso
    : new Date(ms)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, 'Z');
}

/** Cuts to `max` characters counted as code points, so an emoji is never split in half. */
export function clip(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

const width = (text: string): number => Array.from(text).length;
const pad = (text: string, n: number): string => text + ' '.repeat(Math.max(0, n - width(text)));

/** The incident list as aligned columns, newest first as the API answers. */
export function formatIncidentTable(
  incidents: ReadonlyArray<Pick<IncidentSummaryView, 'id' | 'severity' | 'status' | 'detectedAt' | 'services' | 'title'>>,
): string {
  if (!incidents.length) return 'no incidents';
  const rows = incidents.map((i) => [`#${i.id}`, i.severity, i.status, shortTime(i.detectedAt), clip(i.services.join(','), 32), i.title]);
  const header = ['ID', 'SEVERITY', 'STATUS', 'DETECTED', 'SERVICES', 'TITLE'];
  const widths = header.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c] ?? ''))));
  const line = (cells: string[]): string => cells.map((cell, c) => (c === cells.length - 1 ? cell : pad(cell, widths[c] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function section(title: string, lines: string[]): string[] {
  return lines.length ? ['', title, ...lines] : [];
}

function causeLines(causes: readonly RootCauseView[]): string[] {
  return causes
    .slice(0, CAUSES_SHOWN)
    .flatMap((c, n) => [
      `  ${n + 1}. ${c.service} — ${c.kind} (score ${c.score.toFixed(2)})`,
      `     ${c.explanation}`,
      ...(c.evidence ?? []).slice(0, EVIDENCE_SHOWN).map((e) => `     • ${e}`),
      ...(c.nextSteps ?? []).slice(0, 1).map((s) => `     next: ${s}`),
    ]);
}

function timelineLines(timeline: NonNullable<IncidentView['timeline']>, baseUrl: string): string[] {
  // An entry that links a trace (a synthetic check's failing run) gives its URL on the next line.
  const trace = (e: (typeof timeline)[number]): string => (typeof e.data?.traceId === 'string' ? `\n    ${baseUrl}/traces/${e.data.traceId}` : '');
  const entry = (e: (typeof timeline)[number]): string => `  ${shortTime(e.at)}  ${pad(e.kind, 12)} ${e.text}${e.actor ? ` (${e.actor})` : ''}${trace(e)}`;
  if (timeline.length <= TIMELINE_HEAD + TIMELINE_TAIL) return timeline.map(entry);
  const hidden = timeline.length - TIMELINE_HEAD - TIMELINE_TAIL;
  return [...timeline.slice(0, TIMELINE_HEAD).map(entry), `  … ${hidden} more entries (--json shows them all)`, ...timeline.slice(-TIMELINE_TAIL).map(entry)];
}

/** The page of one incident; `baseUrl` is the Vigil the CLI talked to, for the links. */
export function formatIncidentPage(i: IncidentView, baseUrl: string): string {
  const ctx = i.context ?? undefined;
  const since = i.startedAt ? `started ${shortTime(i.startedAt)}, detected ${shortTime(i.detectedAt)}` : `detected ${shortTime(i.detectedAt)}`;
  const states = [
    i.acknowledgedAt ? `acknowledged ${shortTime(i.acknowledgedAt)}` : '',
    i.mitigatedAt ? `mitigated ${shortTime(i.mitigatedAt)}` : '',
    i.resolvedAt ? `resolved ${shortTime(i.resolvedAt)}` : '',
  ].filter(Boolean);
  const lines = [
    `#${i.id}  ${i.title}`,
    '',
    `  Severity  ${i.severity}${i.severityReason ? ` — ${i.severityReason}` : ''}`,
    `  Status    ${i.status} (${[since, ...states].join(', ')})`,
    `  Services  ${i.services.join(', ') || '—'}`,
  ];
  if (ctx?.affectedUsers && ctx.affectedUsers.count > 0)
    lines.push(`  Users     ${ctx.affectedUsers.count} affected (${ctx.affectedUsers.percent.toFixed(1)}%)`);
  lines.push(...section('Likely causes', causeLines(i.rootCauses ?? [])));
  lines.push(
    ...section(
      'Affected endpoints',
      (ctx?.affectedEndpoints ?? []).slice(0, LIST_SHOWN).map((e) => `  ${e.service} ${e.endpoint}: ${e.summary}`),
    ),
  );
  lines.push(
    ...section(
      'Errors',
      (ctx?.errorGroups ?? []).slice(0, LIST_SHOWN).map((g) => `  ${g.count}× ${clip(g.message, 160)} (${g.service})`),
    ),
  );
  lines.push(
    ...section(
      'Changes',
      (i.changes ?? [])
        .slice(0, LIST_SHOWN)
        .map((c) => `  ${shortTime(c.time)}  ${c.kind} ${c.service}${c.version ? ` ${c.version}` : ''}${c.description ? ` — ${c.description}` : ''}`),
    ),
  );
  lines.push(
    ...section(
      'Example traces',
      (ctx?.exampleTraces ?? []).slice(0, LIST_SHOWN).map((t) => `  ${t.label}\n    ${baseUrl}/traces/${t.traceId}`),
    ),
  );
  lines.push(
    ...section(
      'Similar past incidents',
      (i.similarIncidents ?? []).slice(0, 3).map((s) => `  #${s.incidentId} ${s.title}${s.resolution ? ` — fixed by: ${s.resolution}` : ''}`),
    ),
  );
  lines.push(...section('Timeline', timelineLines(i.timeline ?? [], baseUrl)));
  const runbook = i.runbook ?? ctx?.runbook;
  const links = [
    `  incident  ${baseUrl}/incidents/${encodeURIComponent(i.id)}`,
    ...(runbook ? [`  runbook   ${runbook}`] : []),
    ...i.services.slice(0, 3).map((s) => `  service   ${baseUrl}/services/${encodeURIComponent(s)}`),
  ];
  lines.push(...section('Links', links));
  return lines.join('\n');
}
