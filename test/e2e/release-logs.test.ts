// Black-box (in process, event clock): a log template first seen in the new version reaches its
// release verdict through the real pipeline. ledger v1 logs for 6 minutes (past the log detectors'
// warm-up, shortened to 5 min here), v2 replaces it and starts warning "retrying ledger write <n> after timeout": the
// deployment inferred from service.version carries a new-log-template evidence row naming the
// template (evidence, not a fail), and its report lists it under new errors. A template v1 already
// logged is not new.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LogRecord, Span } from '../../src/model/index.js';
import type { RunningVigil } from '../../src/server.js';
import { apiOf, startEventVigil } from '../support/in-process-vigil.js';
import { makeLog, makeSpan } from '../support/records.js';

const t0 = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;

/** One minute of ledger: 4 requests per 10 s, an info line per request, and in v2 a warning every 3 s. */
function minute(startMs: number, version: string): { spans: Span[]; logs: LogRecord[] } {
  const spans: Span[] = [];
  const logs: LogRecord[] = [];
  for (let b = 0; b < 6; b++) {
    for (let i = 0; i < 4; i++) {
      const at = startMs + b * 10_000 + i * 2_000;
      spans.push(
        makeSpan({
          service: 'ledger',
          serviceVersion: version,
          name: 'POST /entries',
          httpRoute: '/entries',
          httpMethod: 'POST',
          startTimeMs: at,
          durationMs: 20 + i,
          resourceAttributes: { 'service.name': 'ledger' },
        }),
      );
      logs.push(
        makeLog({ service: 'ledger', serviceVersion: version, timeMs: at, observedTimeMs: at, body: `entry ${1000 + b * 4 + i} written in ${20 + i} ms` }),
      );
    }
  }
  if (version === 'v2')
    for (let s = 0; s < 60; s += 3)
      logs.push(
        makeLog({
          service: 'ledger',
          serviceVersion: version,
          timeMs: startMs + s * 1000 + 500,
          observedTimeMs: startMs + s * 1000 + 500,
          severityNumber: 13,
          severityText: 'WARN',
          body: `retrying ledger write ${7000 + s} after timeout`,
        }),
      );
  return { spans, logs };
}

describe('release validation: a new log template in the new version', () => {
  let dir: string;
  let vigil: RunningVigil;
  const api = apiOf(() => vigil);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-release-logs-'));
    writeFileSync(join(dir, 'vigil.yaml'), 'detect:\n  logs:\n    warmupMs: 5m\n');
    vigil = await startEventVigil(dir);
  });
  after(async () => {
    await vigil?.stop();
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('is evidence on the deployment inferred from service.version, and in its report', async () => {
    for (let m = 0; m < 6; m++) await vigil.ingest({ ...minute(t0 + m * 60_000, 'v1'), metrics: [] });
    for (let m = 6; m < 9; m++) await vigil.ingest({ ...minute(t0 + m * 60_000, 'v2'), metrics: [] });
    type Deployment = {
      id: string;
      version: string;
      verdict: { status: string; evidence: Array<{ signal: string; route?: string; failing: boolean; summary: string }> };
    };
    const [d] = (await api<{ deployments: Deployment[] }>('/api/v1/deployments?service=ledger')).json.deployments;
    assert.ok(d, 'the deploy of v2 was inferred');
    assert.equal(d.version, 'v2');
    const rows = d.verdict.evidence.filter((e) => e.signal === 'new-log-template');
    assert.equal(rows.length, 1, JSON.stringify(d.verdict.evidence));
    assert.match(rows[0]!.route ?? '', /^retrying ledger write .+ after timeout$/);
    assert.equal(rows[0]!.failing, false);
    assert.match(rows[0]!.summary, /^new log template in v2: retrying ledger write/);
    assert.notEqual(d.verdict.status, 'fail', 'a new template alone does not fail a release');
    const report = (await api(`/api/v1/deployments/${d.id}?format=md`)).text;
    assert.match(report, /## New errors\n\n- new log template in v2: retrying ledger write .+ after timeout/);
  });
});
