// The reliability report: what an incident history says about a period (a week, or any range).
// Pure: incidents (reaching 90 days before the range, for repeats), their action items, the first
// correlated ticket per incident and SLO attainment in; figures out. Means are over the incidents
// a figure applies to (MTTR over resolved ones); a figure with nothing to average is null.
import { findRepeats, isOverdue, responseTargets, type ActionItem, type IncidentFacts, type KpiFigures, type RepeatOf } from '../reviews/index.js';
import type { Confidence } from '../confidence/index.js';
import type { KpiAround } from '../kpi/index.js';
import type { Severity } from '../model/index.js';
import { confidenceAt, type EndOfRangeFacts } from './confidence.js';

export interface SloAttainment {
  name: string;
  service: string;
  target: number;
  /** Good share of the requests in the report's range (null when none was counted). */
  attainment: number | null;
  met: boolean | null;
  /** Requests counted in the range. */
  requests?: number;
}

export interface ReliabilityInput {
  fromMs: number;
  toMs: number;
  /** Every incident that began in the range or in the 90 days before it. */
  history: readonly IncidentFacts[];
  /** When each incident's final top cause first topped the ranking (from its timeline). */
  identifiedAtMs: ReadonlyMap<string, number>;
  /** Action items of the incidents in the range (others are ignored). */
  actionItems: readonly ActionItem[];
  /** The earliest correlated support ticket per incident id. */
  firstTicketMs: ReadonlyMap<string, number>;
  slos: readonly SloAttainment[];
  /** What production confidence at the end of the range is judged from (absent: not judged). */
  endOfRange?: EndOfRangeFacts;
  /** Declared business KPIs around the range's incidents and releases (absent: none declared or not read). */
  businessKpis?: BusinessKpisInput;
  /** The time overdue items are judged at. */
  nowMs: number;
}

/** One incident or release of the range with the declared KPIs around it, as the adapter read them. */
export interface KpiEvent {
  kind: 'incident' | 'release';
  id: string;
  title: string;
  startMs: number;
  endMs?: number;
  kpis: readonly KpiAround[];
}

export interface BusinessKpisInput {
  /** Names of the declared KPIs. */
  declared: readonly string[];
  /** The events read (the most severe incidents and the latest releases, when the range has more). */
  events: readonly KpiEvent[];
  /** Incidents and releases of the range left unread. */
  leftOut: number;
}

export interface ReliabilityReport {
  from: number;
  to: number;
  incidents: number;
  bySeverity: Record<Severity, number>;
  byService: Array<{ service: string; incidents: number; repeats: number }>;
  mttdSeconds: number | null;
  mttaSeconds: number | null;
  mttiSeconds: number | null;
  mttrSeconds: number | null;
  resolved: number;
  repeatRate: number;
  repeats: Array<{ incidentId: string; title: string; repeatOf: RepeatOf }>;
  actionItems: { total: number; done: number; open: number; overdue: number; completionRate: number | null };
  customerReportedFirst: number;
  slos: SloAttainment[];
  /** Per service, at the end of the range, least confident first. */
  confidence: Array<Pick<Confidence, 'service' | 'level' | 'score' | 'reasons'>>;
  /** Declared business KPIs around the range's incidents and releases, in time order (each KPI's level before, worst during, after). */
  businessKpis: {
    declared: string[];
    events: Array<{
      kind: 'incident' | 'release';
      id: string;
      title: string;
      startMs: number;
      endMs?: number;
      kpis: KpiFigures[];
    }>;
    leftOut: number;
  };
  /** Seed 004's targets and whether the period met them (null: no figure to judge). */
  targets: Record<'mttd' | 'mtti' | 'mttr' | 'repeatRate' | 'actionItemCompletion', { target: number; met: boolean | null }>;
}

/** Seed 004: repeats under 10% and more than 80% of action items done. */
export const reportTargets = { repeatRate: 0.1, actionItemCompletion: 0.8 } as const;

const mean = (xs: readonly number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length / 1000) * 10) / 10 : null);
const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 10_000) / 10_000);

export function reliabilityReport(input: ReliabilityInput): ReliabilityReport {
  const inRange = input.history
    .filter((i) => i.startedAtMs >= input.fromMs && i.startedAtMs < input.toMs)
    .sort((a, b) => a.startedAtMs - b.startedAtMs || a.id.localeCompare(b.id));
  const repeatMap = findRepeats(inRange, input.history);
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  const services = new Map<string, { incidents: number; repeats: number }>();
  for (const i of inRange) {
    bySeverity[i.severity] += 1;
    for (const s of new Set(i.services)) {
      const row = services.get(s) ?? { incidents: 0, repeats: 0 };
      row.incidents += 1;
      if (repeatMap.has(i.id)) row.repeats += 1;
      services.set(s, row);
    }
  }
  const ids = new Set(inRange.map((i) => i.id));
  const items = input.actionItems.filter((a) => ids.has(a.incidentId));
  const done = items.filter((a) => a.status === 'done').length;
  const resolved = inRange.filter((i) => i.resolvedAtMs !== undefined);
  const mttd = mean(inRange.map((i) => Math.max(0, i.detectedAtMs - i.startedAtMs)));
  const mtti = mean(inRange.flatMap((i) => (input.identifiedAtMs.has(i.id) ? [Math.max(0, input.identifiedAtMs.get(i.id)! - i.startedAtMs)] : [])));
  const mttr = mean(resolved.map((i) => Math.max(0, i.resolvedAtMs! - i.startedAtMs)));
  const repeatRate = ratio(repeatMap.size, inRange.length);
  const completionRate = items.length ? ratio(done, items.length) : null;
  const under = (v: number | null, limitMs: number): boolean | null => (v === null ? null : v * 1000 < limitMs);
  return {
    from: input.fromMs,
    to: input.toMs,
    incidents: inRange.length,
    bySeverity,
    byService: [...services.entries()]
      .map(([service, r]) => ({ service, ...r }))
      .sort((a, b) => b.incidents - a.incidents || a.service.localeCompare(b.service)),
    mttdSeconds: mttd,
    mttaSeconds: mean(inRange.flatMap((i) => (i.acknowledgedAtMs !== undefined ? [Math.max(0, i.acknowledgedAtMs - i.detectedAtMs)] : []))),
    mttiSeconds: mtti,
    mttrSeconds: mttr,
    resolved: resolved.length,
    repeatRate,
    repeats: inRange.flatMap((i) => (repeatMap.has(i.id) ? [{ incidentId: i.id, title: i.title, repeatOf: repeatMap.get(i.id)! }] : [])),
    actionItems: { total: items.length, done, open: items.length - done, overdue: items.filter((a) => isOverdue(a, input.nowMs)).length, completionRate },
    customerReportedFirst: inRange.filter((i) => (input.firstTicketMs.get(i.id) ?? Infinity) < i.detectedAtMs).length,
    slos: [...input.slos],
    businessKpis: businessKpis(input.businessKpis),
    confidence: input.endOfRange
      ? confidenceAt(input.toMs, input.endOfRange, input.history, input.slos).map(({ service, level, score, reasons }) => ({ service, level, score, reasons }))
      : [],
    targets: {
      mttd: { target: responseTargets.detectMs / 1000, met: under(mttd, responseTargets.detectMs) },
      mtti: { target: responseTargets.identifyMs / 1000, met: under(mtti, responseTargets.identifyMs) },
      mttr: { target: responseTargets.resolveMs / 1000, met: under(mttr, responseTargets.resolveMs) },
      repeatRate: { target: reportTargets.repeatRate, met: inRange.length ? repeatRate < reportTargets.repeatRate : null },
      actionItemCompletion: {
        target: reportTargets.actionItemCompletion,
        met: completionRate === null ? null : completionRate > reportTargets.actionItemCompletion,
      },
    },
  };
}

/** The events in time order, each KPI without its series (the review and release report show those). */
function businessKpis(input: BusinessKpisInput | undefined): ReliabilityReport['businessKpis'] {
  if (!input) return { declared: [], events: [], leftOut: 0 };
  const events = [...input.events]
    .sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id))
    .map((e) => ({
      kind: e.kind,
      id: e.id,
      title: e.title,
      startMs: e.startMs,
      ...(e.endMs !== undefined ? { endMs: e.endMs } : {}),
      kpis: e.kpis.map(({ kpi, direction, unit, perMinute, before, worst, after, worstChange }) => ({
        kpi,
        direction,
        ...(unit ? { unit } : {}),
        perMinute,
        before,
        worst,
        after,
        worstChange,
      })),
    }));
  return { declared: [...input.declared], events, leftOut: input.leftOut };
}
