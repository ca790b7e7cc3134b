// The post-release report: what was compared, the verdict and its evidence, smoke results, new
// errors and the customer impact (requests and failures of the new version), in Markdown and HTML.
import { ms, pct, signed } from './comparison.js';
import type { DeploymentRecord } from './engine.js';
import type { Evidence } from './types.js';
import type { ReleaseBreakdown } from './breakdown.js';
import { count } from '../format/index.js';
import { confidenceText, elapsed } from './wording.js';
import { isoTime, kpiLine } from '../reviews/index.js';
import type { KpiAround } from '../kpi/index.js';

/** ISO-8601 UTC to the second, from the reviews' clock-free calendar (the pure fence forbids Date). */
const iso = (t: number): string => isoTime(Math.floor(t / 1000) * 1000).replace('.000Z', 'Z');

function value(e: Evidence, v: number): string {
  return e.unit === 'ms' ? ms(v) : e.unit === 'ratio' || e.unit === 'share' ? pct(v) : String(v);
}

/** Production confidence of the release (src/confidence, with this deploy's verdict as an input), when known. */
export interface ReleaseConfidence {
  level: string;
  score: number;
  reasons: readonly string[];
}

/** `kpis`: declared business KPIs from the hour before the deploy to after its watch, when known. */
export function releaseReportMarkdown(r: DeploymentRecord, kpis: readonly KpiAround[] = [], confidence?: ReleaseConfidence): string {
  const d = r.deployment;
  const v = r.verdict;
  const lines: string[] = [];
  lines.push(`# Release report: ${d.service} ${d.version}`, '');
  lines.push(
    `- **Verdict:** ${v.status}${v.decidedAtMs !== undefined ? ` (decided ${iso(v.decidedAtMs)}, ${elapsed(v.decidedAtMs - d.timeMs)} after the deploy)` : ''}`,
  );
  lines.push(`- **Deployed:** ${iso(d.timeMs)}, replacing ${d.previousVersion || 'an unknown version'}`);
  const how =
    r.mode === 'canary'
      ? 'side by side with the previous version in the same 10 s buckets (canary)'
      : r.mode === 'baseline'
        ? `against ${r.reference?.note ?? "the previous version's traffic in the hour before the deploy"}`
        : 'not yet compared';
  lines.push(`- **Compared:** ${how}, watched until ${iso(r.windowEndMs)}`);
  lines.push(`- **Summary:** ${v.summary}`);
  if (confidence) lines.push(`- **Production confidence:** ${confidence.level} (${confidence.score}/100): ${confidence.reasons.slice(0, 3).join('; ')}`);
  lines.push('');
  const rates = v.evidence.filter((e) => e.signal === 'error-rate' || e.signal === 'latency' || e.signal === 'throughput-share' || e.signal === 'saturation');
  if (rates.length) {
    lines.push('## Evidence', '', '| signal | route or metric | previous | new | change | confidence | |', '|---|---|---|---|---|---|---|');
    for (const e of rates) {
      const shown = (x: number): string => (e.signal === 'saturation' ? String(Math.round(x * 1000) / 1000) : value(e, x));
      lines.push(
        `| ${e.signal} | ${cell(e.route ?? 'all')} | ${shown(e.baseline)} | ${shown(e.candidate)} | ${e.unit === 'share' ? '' : signed(e.change)} | ${confidenceText(e.confidence)} | ${e.failing ? '**regression**' : cell(e.summary)} |`,
      );
    }
    lines.push('');
  }
  lines.push(...breakdownLines(r.breakdown, d.version));
  const smoke = v.evidence.filter((e) => e.signal === 'smoke');
  lines.push('## Smoke checks', '');
  const runs = (r.smoke ?? []).flatMap((x) => x.runs.map((run) => ({ ...run, status: x.status })));
  if (runs.length) {
    lines.push('| check | run at | result | duration | trace |', '|---|---|---|---|---|');
    for (const run of runs)
      lines.push(
        `| ${cell(run.check)} | ${iso(run.atMs)} | ${run.ok ? 'pass' : `fail: ${cell(run.error ?? '')}`} | ${Math.round(run.durationMs)} ms | ${run.traceId ?? ''} |`,
      );
    lines.push('');
  }
  for (const x of r.smoke ?? [])
    if (!x.runs.length)
      smoke.push({
        signal: 'smoke',
        route: x.check,
        baseline: 0,
        candidate: 0,
        change: 0,
        confidence: 0,
        unit: 'count',
        failing: false,
        summary: `smoke check "${x.check}" has not run yet`,
      });
  lines.push(
    smoke.length
      ? smoke.map((e) => `- ${e.failing ? '✗' : e.candidate > 0 ? '!' : '✓'} ${e.summary}`).join('\n')
      : '- no smoke check ran or failed for this deploy',
    '',
  );
  const fresh = v.evidence.filter((e) => e.signal === 'new-exception' || e.signal === 'new-log-template');
  lines.push(
    '## New errors',
    '',
    fresh.length ? fresh.map((e) => `- ${e.summary}`).join('\n') : `- no new exception or log template first seen in ${d.version}`,
    '',
  );
  const t = r.totals;
  const excessErrors = t.baselineRequests > 0 ? Math.max(0, t.candidateErrors - (t.candidateRequests * t.baselineErrors) / t.baselineRequests) : undefined;
  lines.push('## Customer impact', '');
  lines.push(
    `- ${count(t.candidateRequests)} requests served by ${d.version}, ${count(t.candidateErrors)} failed (${pct(t.candidateErrors / Math.max(1, t.candidateRequests))})`,
  );
  if (excessErrors !== undefined) lines.push(`- about ${Math.round(excessErrors)} failures beyond the previous version's rate over the same requests`);
  if (r.failure)
    lines.push(
      `- the failure signal ${r.failure.recoveredAtMs !== undefined ? `recovered at ${iso(r.failure.recoveredAtMs)} (${r.failure.recoveredBecause === 'back-to-normal' ? 'the regression did not last: the version is back within bounds of the previous one' : 'the version stopped serving'})` : 'is still firing'}`,
    );
  lines.push('');
  if (kpis.length) lines.push('## Business KPIs', '', ...kpis.map((k) => `- ${kpiLine(k)}`), '');
  return lines.join('\n');
}

/** A table cell: a pipe in a route name would end the cell. */
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/** The latency percentiles and every route, previous version beside the new one. */
function breakdownLines(b: ReleaseBreakdown | undefined, version: string): string[] {
  const lines: string[] = [];
  if (b?.percentiles.length) {
    lines.push('## Latency percentiles', '', `| percentile | previous | ${cell(version)} | change |`, '|---|---|---|---|');
    for (const p of b.percentiles)
      lines.push(
        `| p${Math.round(p.quantile * 100)} | ${ms(p.baseline)} | ${ms(p.candidate)} | ${p.baseline > 0 ? signed(p.candidate / p.baseline - 1) : ''} |`,
      );
    lines.push('');
  }
  if (b?.routes.length) {
    lines.push(
      '## Routes',
      '',
      `| route | requests (previous / new) | traffic share | error rate | p${Math.round(b.judgedQuantile * 100)} | |`,
      '|---|---|---|---|---|---|',
    );
    for (const x of b.routes)
      lines.push(
        `| ${cell(x.route)} | ${count(x.requests.baseline)} / ${count(x.requests.candidate)} | ${pct(x.share.baseline)} → ${pct(x.share.candidate)} | ${pct(x.errorRate.baseline)} → ${pct(x.errorRate.candidate)} | ${ms(x.latencyMs.baseline)} → ${ms(x.latencyMs.candidate)} | ${x.failing ? '**regression**' : ''} |`,
      );
    lines.push('');
  }
  return lines;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Markdown report as a standalone HTML page (headings, lists and the evidence table). */
export function releaseReportHtml(r: DeploymentRecord, kpis: readonly KpiAround[] = [], confidence?: ReleaseConfidence): string {
  const body: string[] = [];
  let inList = false;
  let table: string[][] | undefined;
  const flushTable = (): void => {
    if (!table) return;
    const [head, , ...rows] = table;
    body.push(
      `<table><thead><tr>${(head ?? []).map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`,
    );
    table = undefined;
  };
  const inline = (s: string): string => escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
  for (const line of releaseReportMarkdown(r, kpis, confidence).split('\n')) {
    if (!line.startsWith('- ') && inList) {
      body.push('</ul>');
      inList = false;
    }
    if (!line.startsWith('|')) flushTable();
    if (line.startsWith('# ')) body.push(`<h1>${inline(line.slice(2))}</h1>`);
    else if (line.startsWith('## ')) body.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith('- ')) {
      if (!inList) body.push('<ul>');
      inList = true;
      body.push(`<li>${inline(line.slice(2))}</li>`);
    } else if (line.startsWith('|'))
      (table ??= []).push(
        line
          .slice(1, -1)
          .split(' | ')
          .map((c) => inline(c.trim().replace(/\\\|/g, '|'))),
      );
  }
  flushTable();
  if (inList) body.push('</ul>');
  const title = escapeHtml(`Release report: ${r.deployment.service} ${r.deployment.version}`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}</style></head><body>${body.join('\n')}</body></html>`;
}
