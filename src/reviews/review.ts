// The generated post-incident review: one pure function from an incident, its timeline, its
// follow-up work and the team's edits to a document. Sections people write (summary, impact, root
// cause, what changed, what fixed it, contributing factors, lessons) take the team's text once
// edited, so regenerating never loses it; timeline, times and action items are always recomputed.
import { count, percent as pct } from '../format/index.js';
import type { KpiAround } from '../kpi/index.js';
import type { TimelineEntry } from '../model/index.js';
import { actionItemView, type ActionItemView } from './action-items.js';
import type { Document, DocumentSection, Block } from './document.js';
import { kpiBlocks } from './kpi-text.js';
import { fixingAction, incidentMetrics, resolvingNote, type IncidentMetrics } from './metrics.js';
import type { RepeatOf } from './recurrence.js';
import { clockTime, durationText, isoTime } from './time-text.js';
import type { ActionItem, IncidentFacts } from './types.js';

export const editableSections = ['summary', 'impact', 'rootCause', 'whatChanged', 'whatFixedIt', 'contributingFactors', 'lessons'] as const;
export type EditableSection = (typeof editableSections)[number];

export interface SectionEdit {
  text: string;
  by?: string;
  atMs: number;
}

/** Seed 004's response targets; a review names the steps that missed them as contributing factors. */
export const responseTargets = { detectMs: 2 * 60_000, identifyMs: 10 * 60_000, resolveMs: 30 * 60_000, acknowledgeMs: 5 * 60_000 } as const;

/** Timelines of long incidents run to thousands of signal entries; the review keeps the story readable. */
const MAX_TIMELINE_ROWS = 200;

export interface ReviewInput {
  incident: IncidentFacts;
  timeline: readonly TimelineEntry[];
  actionItems: readonly ActionItem[];
  /** Open items of similar earlier incidents. */
  resurfaced: ReadonlyArray<ActionItem & { fromIncidentTitle: string; similarity: number }>;
  repeatOf?: RepeatOf;
  edits: Partial<Record<EditableSection, SectionEdit>>;
  /** Support tickets correlated with the incident (customer-reported-first when before detection). */
  tickets?: ReadonlyArray<{ id: string; title: string; timeMs: number }>;
  /** Declared business KPIs from before the onset to after the end (none declared: no section). */
  kpis?: readonly KpiAround[];
  /** The time overdue items are judged at (the server's clock). */
  nowMs: number;
}

export interface Review {
  incidentId: string;
  metrics: IncidentMetrics;
  repeatOf?: RepeatOf;
  customerReportedFirst: boolean;
  actionItems: ActionItemView[];
  resurfacedActionItems: Array<ActionItemView & { fromIncidentTitle: string }>;
  kpis: KpiAround[];
  editedSections: EditableSection[];
  document: Document;
}

export function buildReview(input: ReviewInput): Review {
  const { incident: inc, timeline } = input;
  const metrics = incidentMetrics(inc, timeline);
  const firstTicket = [...(input.tickets ?? [])].sort((a, b) => a.timeMs - b.timeMs)[0];
  const customerReportedFirst = firstTicket !== undefined && firstTicket.timeMs < inc.detectedAtMs;
  const items = input.actionItems.map((a) => actionItemView(a, input.nowMs));
  const resurfaced = input.resurfaced.map((a) => ({ ...actionItemView(a, input.nowMs), fromIncidentTitle: a.fromIncidentTitle }));

  const generated: Record<EditableSection, Block[]> = {
    summary: [{ type: 'paragraph', text: summaryText(inc, input.repeatOf) }],
    impact: impactBlocks(inc),
    rootCause: rootCauseBlocks(inc),
    whatChanged: changeBlocks(inc),
    whatFixedIt: [{ type: 'paragraph', text: fixText(inc, timeline) }],
    contributingFactors: factorBlocks(inc, metrics, input, customerReportedFirst, firstTicket),
    lessons: [{ type: 'paragraph', text: 'To be written by the team: what went well, what went badly, where we got lucky.' }],
  };
  const titles: Record<EditableSection, string> = {
    summary: 'Summary',
    impact: 'Impact',
    rootCause: 'Root cause and evidence',
    whatChanged: 'What changed',
    whatFixedIt: 'What fixed it',
    contributingFactors: 'Contributing factors',
    lessons: 'Lessons',
  };
  const editable = (key: EditableSection): DocumentSection => {
    const edit = input.edits[key];
    if (!edit) return { key, title: titles[key], blocks: generated[key] };
    return {
      key,
      title: titles[key],
      blocks: [{ type: 'authored', text: edit.text }],
      note: `Edited${edit.by ? ` by ${edit.by}` : ''} at ${isoTime(edit.atMs)}`,
    };
  };

  const sections: DocumentSection[] = [
    editable('summary'),
    { key: 'timeline', title: 'Timeline (UTC)', blocks: timelineBlocks(timeline) },
    editable('impact'),
    ...(input.kpis?.length
      ? [
          {
            key: 'kpis',
            title: 'Business KPIs around the incident',
            blocks: kpiBlocks(input.kpis, {
              startMs: inc.startedAtMs,
              ...(inc.resolvedAtMs !== undefined ? { endMs: inc.resolvedAtMs } : {}),
              label: 'incident',
            }),
          },
        ]
      : []),
    { key: 'response', title: 'Detection and response', blocks: responseBlocks(inc, metrics) },
    editable('rootCause'),
    editable('whatChanged'),
    editable('whatFixedIt'),
    editable('contributingFactors'),
    { key: 'actionItems', title: 'Action items', blocks: actionItemBlocks(items, resurfaced) },
    editable('lessons'),
  ];
  return {
    incidentId: inc.id,
    metrics,
    ...(input.repeatOf ? { repeatOf: input.repeatOf } : {}),
    customerReportedFirst,
    actionItems: items,
    resurfacedActionItems: resurfaced,
    kpis: [...(input.kpis ?? [])],
    editedSections: editableSections.filter((k) => input.edits[k]),
    document: {
      title: `Post-incident review: ${inc.title}`,
      subtitle: `Incident ${inc.id} · severity ${inc.severity} · ${inc.status} · started ${isoTime(inc.startedAtMs)}`,
      sections,
    },
  };
}

function summaryText(inc: IncidentFacts, repeat: RepeatOf | undefined): string {
  const end = inc.resolvedAtMs !== undefined ? `resolved ${durationText(inc.resolvedAtMs - inc.startedAtMs)} after it began` : `still ${inc.status}`;
  const services = inc.services.length ? ` on ${inc.services.join(', ')}` : '';
  const again = repeat ? ` It repeats incident ${repeat.incidentId} (${repeat.title}), resolved ${isoTime(repeat.resolvedAtMs)}.` : '';
  return `${inc.title}: a ${inc.severity}-severity incident${services}, detected ${durationText(inc.detectedAtMs - inc.startedAtMs)} after its onset and ${end}.${inc.severityReason ? ` Severity: ${inc.severityReason}.` : ''}${again}`;
}

function timelineBlocks(timeline: readonly TimelineEntry[]): Block[] {
  if (!timeline.length) return [{ type: 'paragraph', text: 'No timeline entries were recorded.' }];
  const shown = timeline.slice(0, MAX_TIMELINE_ROWS);
  const rows = shown.map((e) => [clockTime(e.atMs), e.kind, e.actor ? `${e.text} (${e.actor})` : e.text]);
  const blocks: Block[] = [
    { type: 'paragraph', text: `From ${isoTime(timeline[0]!.atMs)} to ${isoTime(timeline[timeline.length - 1]!.atMs)}.` },
    { type: 'table', head: ['time', 'what', 'entry'], rows },
  ];
  if (timeline.length > shown.length)
    blocks.push({ type: 'paragraph', text: `${timeline.length - shown.length} later entries are left out; the incident's timeline has them all.` });
  return blocks;
}

function impactBlocks(inc: IncidentFacts): Block[] {
  const items: string[] = [];
  const end = inc.resolvedAtMs ?? inc.mitigatedAtMs;
  if (end !== undefined) items.push(`Duration: ${durationText(end - inc.startedAtMs)} (${isoTime(inc.startedAtMs)} to ${isoTime(end)}).`);
  const m = inc.impact;
  if (m) {
    if (m.totalUsers > 0) items.push(`Users affected: ${count(m.affectedUsers)} of ${count(m.totalUsers)} (${pct(m.affectedUsers / m.totalUsers)}).`);
    if (m.entryRequests > 0)
      items.push(
        `Customer-facing requests: ${count(m.entryFailed)} of ${count(m.entryRequests)} failed (${pct(m.entryFailed / m.entryRequests)}), ${count(m.entrySlow)} slow.`,
      );
    if (m.journeysHit.length) items.push(`Critical journeys hit: ${m.journeysHit.join(', ')}.`);
  }
  for (const e of (inc.endpoints ?? []).slice(0, 10)) items.push(`${e.service} ${e.endpoint}${e.summary ? `: ${e.summary}` : ''}`);
  if (!items.length) return [{ type: 'paragraph', text: 'Impact was not measured for this incident.' }];
  return [{ type: 'list', items }];
}

function responseBlocks(inc: IncidentFacts, m: IncidentMetrics): Block[] {
  const row = (name: string, s: number | undefined, from: string, target: number): string[] => [
    name,
    s === undefined ? 'not reached' : durationText(s * 1000),
    from,
    durationText(target),
  ];
  return [
    {
      type: 'table',
      head: ['measure', 'time', 'measured from', 'target'],
      rows: [
        row('Time to detect', m.timeToDetectSeconds, 'onset', responseTargets.detectMs),
        row('Time to acknowledge', m.timeToAcknowledgeSeconds, 'detection', responseTargets.acknowledgeMs),
        row('Time to identify (first correct top cause)', m.timeToIdentifySeconds, 'onset', responseTargets.identifyMs),
        row('Time to resolve', m.timeToResolveSeconds, 'onset', responseTargets.resolveMs),
      ],
    },
    {
      type: 'paragraph',
      text: `Onset ${isoTime(inc.startedAtMs)}, detected ${isoTime(inc.detectedAtMs)}${inc.acknowledgedAtMs !== undefined ? `, acknowledged ${isoTime(inc.acknowledgedAtMs)}` : ''}${inc.mitigatedAtMs !== undefined ? `, mitigated ${isoTime(inc.mitigatedAtMs)}` : ''}${inc.resolvedAtMs !== undefined ? `, resolved ${isoTime(inc.resolvedAtMs)}` : ''}.`,
    },
  ];
}

function rootCauseBlocks(inc: IncidentFacts): Block[] {
  const [top, ...rest] = inc.rootCauses;
  if (!top) return [{ type: 'paragraph', text: 'No root cause was ranked.' }];
  const blocks: Block[] = [{ type: 'paragraph', text: `${top.kind} of ${top.service} (score ${top.score.toFixed(2)}): ${top.explanation}` }];
  if (top.evidence.length) blocks.push({ type: 'list', items: top.evidence.slice(0, 10) });
  if (inc.errorGroups?.length) blocks.push({ type: 'list', items: inc.errorGroups.slice(0, 5).map((g) => `${g.service}: "${g.message}" × ${count(g.count)}`) });
  if (rest.length)
    blocks.push({
      type: 'paragraph',
      text: `Other candidates: ${rest
        .slice(0, 3)
        .map((c) => `${c.kind} of ${c.service} (${c.score.toFixed(2)})`)
        .join('; ')}.`,
    });
  return blocks;
}

function changeBlocks(inc: IncidentFacts): Block[] {
  if (!inc.changes.length) return [{ type: 'paragraph', text: 'No deploy or configuration change lined up with the incident.' }];
  return [
    {
      type: 'list',
      items: inc.changes.map(
        (c) => `${isoTime(c.timeMs)} ${c.kind} of ${c.service}${c.version ? ` ${c.version}` : ''}${c.description ? `: ${c.description}` : ''}`,
      ),
    },
  ];
}

function fixText(inc: IncidentFacts, timeline: readonly TimelineEntry[]): string {
  const note = resolvingNote(inc, timeline);
  if (note) return `${note.text}${note.actor ? ` (${note.actor}${note.atMs !== undefined ? `, ${isoTime(note.atMs)}` : ''})` : ''}`;
  const action = fixingAction(inc, timeline);
  if (action)
    return `Nobody noted what fixed it; the last ${action.kind === 'remediation' ? 'remediation that succeeded' : "change to the incident's services"} before it ${inc.mitigatedAtMs !== undefined ? 'was mitigated' : 'ended'}: ${action.text} (${action.actor ? `${action.actor}, ` : ''}${isoTime(action.atMs)}). Confirm or correct it by editing this section.`;
  if (inc.status === 'resolved') return 'Not recorded: the incident was resolved without a note (resolve with a note, or edit this section).';
  return `Not fixed yet: the incident is ${inc.status}.`;
}

function factorBlocks(
  inc: IncidentFacts,
  m: IncidentMetrics,
  input: ReviewInput,
  customerFirst: boolean,
  firstTicket: { id: string; title: string; timeMs: number } | undefined,
): Block[] {
  const f: string[] = [];
  if (m.timeToDetectSeconds * 1000 > responseTargets.detectMs)
    f.push(`Detection took ${durationText(m.timeToDetectSeconds * 1000)}, over the ${durationText(responseTargets.detectMs)} target.`);
  if (customerFirst && firstTicket)
    f.push(
      `A customer reported it first: ticket ${firstTicket.id} ("${firstTicket.title}") came ${durationText(inc.detectedAtMs - firstTicket.timeMs)} before detection.`,
    );
  if (m.timeToAcknowledgeSeconds !== undefined && m.timeToAcknowledgeSeconds * 1000 > responseTargets.acknowledgeMs)
    f.push(`Acknowledgement took ${durationText(m.timeToAcknowledgeSeconds * 1000)} after the page.`);
  if (m.timeToIdentifySeconds === undefined && inc.rootCauses.length) f.push('The final root cause never topped the ranking while the incident ran.');
  else if (m.timeToIdentifySeconds !== undefined && m.timeToIdentifySeconds * 1000 > responseTargets.identifyMs)
    f.push(
      `The cause was identified ${durationText(m.timeToIdentifySeconds * 1000)} after onset, over the ${durationText(responseTargets.identifyMs)} target.`,
    );
  if (m.timeToResolveSeconds !== undefined && m.timeToResolveSeconds * 1000 > responseTargets.resolveMs)
    f.push(`Resolution took ${durationText(m.timeToResolveSeconds * 1000)}, over the ${durationText(responseTargets.resolveMs)} target.`);
  const top = inc.rootCauses[0];
  if (top && (top.kind === 'bad-deploy' || top.kind === 'config-change') && inc.changes.length)
    f.push('A change reached production and caused it: what in the release process could have caught it?');
  if (input.repeatOf)
    f.push(
      `It happened before: incident ${input.repeatOf.incidentId} (${input.repeatOf.title}) had the same signature (similarity ${input.repeatOf.similarity}).`,
    );
  if (input.resurfaced.length) f.push(`${input.resurfaced.length} action item(s) from similar earlier incidents were still open when it began.`);
  if (!f.length) return [{ type: 'paragraph', text: 'None found in the data: detection, identification and resolution were within their targets.' }];
  return [{ type: 'list', items: f }];
}

function actionItemBlocks(items: readonly ActionItemView[], resurfaced: ReadonlyArray<ActionItemView & { fromIncidentTitle: string }>): Block[] {
  const row = (a: ActionItemView): string[] => [
    a.id,
    a.title,
    a.owner ?? '—',
    a.due ? a.due.slice(0, 10) : '—',
    a.status === 'open' && a.overdue ? 'open, OVERDUE' : a.status,
  ];
  const blocks: Block[] = items.length
    ? [{ type: 'table', head: ['id', 'action', 'owner', 'due', 'status'], rows: items.map(row) }]
    : [{ type: 'paragraph', text: 'None yet: add them with POST /api/v1/incidents/ID/action-items.' }];
  if (resurfaced.length) {
    blocks.push({ type: 'paragraph', text: 'Still open from similar earlier incidents:' });
    blocks.push({
      type: 'table',
      head: ['id', 'action', 'owner', 'due', 'status', 'from incident'],
      rows: resurfaced.map((a) => [...row(a), `${a.incidentId} ${a.fromIncidentTitle}`]),
    });
  }
  return blocks;
}
