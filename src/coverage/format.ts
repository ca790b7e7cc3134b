// The coverage report as text for a terminal: a table per service (and per route on request),
// the critical journeys, the score and the gaps in plain language, most costly first.
import type { Check, CoverageReport } from './types.js';

const mark: Record<Check, string> = { yes: 'yes', partial: 'part', no: 'NO', unknown: '-' };

function table(header: string[], body: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...body.map(line)];
}

export function formatCoverageReport(r: CoverageReport, o: { routes?: boolean; maxGaps?: number } = {}): string {
  const out: string[] = [`monitoring coverage ${new Date(r.fromMs).toISOString()} → ${new Date(r.toMs).toISOString()}`, ''];
  if (!r.services.length) out.push('no telemetry in this window');
  else
    out.push(
      ...table(
        ['service', 'score', 'traces', 'http.route', 'logs', 'trace-id %', 'metrics', 'errors', 'deploys', 'SLO', 'synthetic'],
        r.services.map((s) => [
          s.service,
          String(Math.round(s.score)),
          mark[s.traces],
          mark[s.httpRoute],
          mark[s.logs],
          s.logCorrelation === null ? '-' : `${Math.round(s.logCorrelation * 100)}%`,
          mark[s.metrics],
          mark[s.errorsInstrumented],
          mark[s.deploys],
          mark[s.slo],
          mark[s.synthetic],
        ]),
      ),
    );
  if (o.routes && r.routes.length) {
    out.push(
      '',
      ...table(
        ['endpoint', 'requests', 'score', 'http.route', 'errors', 'logs', 'SLO', 'synthetic', 'critical'],
        r.routes.map((e) => [
          `${e.service} ${e.endpoint}`,
          e.requests.toLocaleString('en-US'),
          String(Math.round(e.score)),
          mark[e.httpRoute],
          mark[e.errorsInstrumented],
          mark[e.correlatedLogs],
          mark[e.slo],
          mark[e.synthetic],
          e.critical ? 'yes' : '',
        ]),
      ),
    );
  }
  if (r.journeys.length) {
    out.push(
      '',
      ...table(
        ['critical journey', 'score', 'traffic', 'SLO', 'synthetic', 'endpoints'],
        r.journeys.map((j) => [j.journey, String(j.score), mark[j.traffic], mark[j.slo], mark[j.synthetic], j.endpoints.join(', ') || '-']),
      ),
    );
  }
  out.push('', `score: ${r.score}/100`);
  const max = o.maxGaps ?? 50;
  if (r.gaps.length) {
    out.push(`gaps (${r.gaps.length}, most costly first):`);
    for (const g of r.gaps.slice(0, max)) out.push(`  - ${g.text}`);
    if (r.gaps.length > max) out.push(`  … and ${r.gaps.length - max} more (--json for all)`);
  } else out.push('no gaps');
  return out.join('\n');
}
