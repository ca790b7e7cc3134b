// The reliability report as a document (Markdown or HTML through reviews/' renderer) and as the
// JSON the API answers, whose first keys are the contract's.
import { durationText, isoTime, kpiLine, type Block, type Document } from '../reviews/index.js';
import type { ReliabilityReport } from './reliability.js';

const secs = (s: number | null): string => (s === null ? 'n/a' : durationText(s * 1000));
const pct = (x: number | null, digits = 1): string => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const verdict = (met: boolean | null): string => (met === null ? 'n/a' : met ? 'met' : 'missed');

export function reliabilityDocument(r: ReliabilityReport): Document {
  const t = r.targets;
  const figures: Block = {
    type: 'table',
    head: ['figure', 'value', 'target', ''],
    rows: [
      ['Incidents', String(r.incidents), '', ''],
      ['Mean time to detect (onset → detection)', secs(r.mttdSeconds), `< ${secs(t.mttd.target)}`, verdict(t.mttd.met)],
      ['Mean time to acknowledge (detection → ack)', secs(r.mttaSeconds), '', ''],
      ['Mean time to identify (onset → correct top cause)', secs(r.mttiSeconds), `< ${secs(t.mtti.target)}`, verdict(t.mtti.met)],
      [`Mean time to resolve (onset → resolved, ${r.resolved} resolved)`, secs(r.mttrSeconds), `< ${secs(t.mttr.target)}`, verdict(t.mttr.met)],
      [
        'Repeat rate (similar to one resolved in the 90 days before)',
        `${pct(r.repeatRate)} (${r.repeats.length})`,
        `< ${pct(t.repeatRate.target)}`,
        verdict(t.repeatRate.met),
      ],
      [
        'Action items done',
        `${r.actionItems.done} of ${r.actionItems.total} (${pct(r.actionItems.completionRate)}), ${r.actionItems.overdue} overdue`,
        `> ${pct(t.actionItemCompletion.target)}`,
        verdict(t.actionItemCompletion.met),
      ],
      ['Reported by a customer before detection', String(r.customerReportedFirst), '', ''],
    ],
  };
  const sev: Block = {
    type: 'table',
    head: ['severity', 'incidents'],
    rows: (['critical', 'high', 'medium', 'low'] as const).map((s) => [s, String(r.bySeverity[s])]),
  };
  const svc: Block = r.byService.length
    ? { type: 'table', head: ['service', 'incidents', 'repeats'], rows: r.byService.map((s) => [s.service, String(s.incidents), String(s.repeats)]) }
    : { type: 'paragraph', text: 'No incidents.' };
  const repeats: Block = r.repeats.length
    ? {
        type: 'list',
        items: r.repeats.map((x) => `${x.incidentId} ${x.title}: repeats ${x.repeatOf.incidentId} ${x.repeatOf.title} (similarity ${x.repeatOf.similarity})`),
      }
    : { type: 'paragraph', text: 'No repeats.' };
  const slos: Block = r.slos.length
    ? {
        type: 'table',
        head: ['SLO', 'service', 'target', 'attainment', '', 'requests'],
        rows: r.slos.map((s) => [
          s.name,
          s.service,
          pct(s.target, 3),
          pct(s.attainment, 3),
          verdict(s.met),
          s.requests === undefined ? '' : String(s.requests),
        ]),
      }
    : { type: 'paragraph', text: 'No SLOs are defined.' };
  const confidence: Block = r.confidence.length
    ? {
        type: 'table',
        head: ['service', 'confidence', 'score', 'why'],
        rows: r.confidence.map((c) => [c.service, c.level, String(c.score), c.reasons.slice(0, 2).join('; ')]),
      }
    : { type: 'paragraph', text: 'No service was known at the end of the range.' };
  return {
    title: 'Reliability report',
    subtitle: `${isoTime(r.from)} to ${isoTime(r.to)}`,
    sections: [
      { key: 'figures', title: 'Figures', blocks: [figures] },
      { key: 'severity', title: 'Incidents by severity', blocks: [sev] },
      { key: 'services', title: 'Incidents by service', blocks: [svc] },
      { key: 'repeats', title: 'Repeats', blocks: [repeats] },
      { key: 'slos', title: "SLO attainment (the range's requests)", blocks: [slos] },
      { key: 'kpis', title: 'Business KPIs around incidents and releases', blocks: kpiBlocksOf(r.businessKpis) },
      { key: 'confidence', title: 'Production confidence at the end of the range', blocks: [confidence] },
    ],
  };
}

/** One row per event and KPI: each KPI's usual level before, worst step during and level after. */
function kpiBlocksOf(k: ReliabilityReport['businessKpis']): Block[] {
  if (!k.declared.length) return [{ type: 'paragraph', text: 'No business KPI is declared (kpis: in vigil.yaml).' }];
  if (!k.events.length) return [{ type: 'paragraph', text: `No incident or release in the range (KPIs: ${k.declared.join(', ')}).` }];
  const rows = k.events.flatMap((e) =>
    (e.kpis.length ? e.kpis.map(kpiLine) : ['no KPI data']).map((line) => [
      e.kind === 'incident' ? `incident ${e.id}: ${e.title}` : `release ${e.title}`,
      isoTime(e.startMs),
      line,
    ]),
  );
  const blocks: Block[] = [{ type: 'table', head: ['event', 'began', 'KPI around it (usual before; worst during; after)'], rows }];
  if (k.leftOut > 0)
    blocks.push({
      type: 'paragraph',
      text: `${k.leftOut} more incidents and releases of the range are not shown; each review and release report has its KPIs.`,
    });
  return blocks;
}

/** The API body: the contract's fields first, the rest after. */
export function reliabilityJson(r: ReliabilityReport): Record<string, unknown> {
  const { incidents, mttdSeconds, mttrSeconds, repeatRate, actionItems, customerReportedFirst, from, to, ...rest } = r;
  return { incidents, mttdSeconds, mttrSeconds, repeatRate, actionItems, customerReportedFirst, from: isoTime(from), to: isoTime(to), ...rest };
}
