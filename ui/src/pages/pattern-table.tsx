// Log patterns as the store counted them (GET /api/v1/logs/patterns): new ones first and flagged,
// each with its count, when it first appeared in the range and its most severe line.
import { Badge } from '../components/ui';
import type { PatternsBody } from '../types';
import { clock, num } from '../time';

export function PatternTable({ body }: { body: PatternsBody }) {
  return (
    <>
      <table>
        <thead>
          <tr>
            <th class="num">Lines</th>
            <th>Pattern</th>
            <th>First seen</th>
            <th>Most severe line</th>
          </tr>
        </thead>
        <tbody>
          {body.patterns.map((p) => (
            <tr key={`${p.service} ${p.template}`} data-pattern={p.new ? 'new' : 'known'}>
              <td class="num">{num(p.count)}</td>
              <td class="mono">
                {p.new ? (
                  <Badge tone="warn" title={`not seen from ${clock(body.baselineFrom)} to ${clock(body.from)}`}>
                    new
                  </Badge>
                ) : null}{' '}
                {p.template}
              </td>
              <td class="mono">{clock(p.firstSeen)}</td>
              <td>
                <span class={`sev-${p.sample.severityText}`}>{p.sample.severityText}</span> {p.sample.body}
                {p.sample.traceId ? (
                  <>
                    {' '}
                    <a href={`/traces/${p.sample.traceId}`}>trace</a>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        {num(body.totalPatterns)} patterns in {num(body.totalLines)} lines
        {body.totalPatterns > body.patterns.length ? `, the ${body.patterns.length} shown new first, then the most frequent` : ''}. "New": not seen in the same
        length of time before the range.
      </p>
    </>
  );
}
