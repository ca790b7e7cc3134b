// The post-release report from a decided verdict: what was compared, the evidence table, smoke
// checks, new errors and impact, in Markdown and as HTML with everything escaped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultReleaseConfig } from './config.js';
import { releaseReportHtml, releaseReportMarkdown } from './report.js';
import { deployAtMs, runDeploy } from './testing/deploy-run.js';
import { defaultRoutes } from './testing/traffic.js';

describe('release report', () => {
  const config = defaultReleaseConfig();
  const run = runDeploy(
    {
      requestsPerSecond: 20,
      routes: defaultRoutes,
      sigma: 0.5,
      previous: { errorRate: 0.002, latencyFactor: 1 },
      candidate: { errorRate: 0.05, latencyFactor: 1 },
      candidateShare: 0.2,
    },
    5,
    config,
    { baselineMinutes: 30, horizonMinutes: 0 },
  );
  const record = {
    deployment: { id: 'd', service: 'shop<script>', version: 'v2', previousVersion: 'v1', timeMs: deployAtMs },
    windowEndMs: deployAtMs + config.windowMs,
    verdict: run.verdict,
    mode: 'canary' as const,
    findings: [],
    totals: { candidateRequests: 1000, candidateErrors: 50, baselineRequests: 4000, baselineErrors: 8 },
  };

  it('states the verdict, the comparison, the evidence and the impact', () => {
    const md = releaseReportMarkdown(record);
    assert.match(md, /^# Release report: shop<script> v2/);
    assert.match(md, /\*\*Verdict:\*\* fail \(decided 2026-03-02T12:0\d:\d\dZ/);
    assert.match(md, /\*\*Deployed:\*\* 2026-03-02T12:00:00Z, replacing v1/);
    assert.match(md, /side by side/);
    assert.match(md, /\| error-rate \| all \| 0(?:\.\d+)?% \| [\d.]+% \| \+\d+% \| 99\.\d% \| \*\*regression\*\* \|/);
    assert.match(md, /no smoke check ran or failed for this deploy/);
    assert.match(md, /1,000 requests served by v2, 50 failed \(5\.0%\)/);
    assert.match(md, /about 48 failures beyond the previous version's rate/);
  });

  it('lists the smoke runs the deploy triggered (check, time, result, duration, trace) and the baseline used', () => {
    const md = releaseReportMarkdown({
      ...record,
      mode: 'baseline',
      reference: { kind: 'same-time-of-day', days: 3, note: 'v1 at the same time of day on 3 previous days' },
      smoke: [
        {
          check: 'checkout journey',
          status: 'fail',
          runs: [{ check: 'checkout journey', atMs: deployAtMs + 2_000, ok: false, durationMs: 812, traceId: 'abc', error: 'pay: status 500' }],
        },
        { check: 'home', status: 'pending', runs: [] },
      ],
    });
    assert.match(md, /\*\*Compared:\*\* against v1 at the same time of day on 3 previous days/);
    assert.match(md, /\| checkout journey \| 2026-03-02T12:00:02Z \| fail: pay: status 500 \| 812 ms \| abc \|/);
    assert.match(md, /smoke check "home" has not run yet/);
  });

  it('shows the latency percentiles and every route side by side (requests, share, error rate, p95)', () => {
    const b = run.breakdown;
    assert.ok(b, 'the engine keeps the figures behind its verdict');
    assert.deepEqual(
      b.percentiles.map((p) => p.quantile),
      [0.5, 0.95, 0.99],
    );
    for (const side of ['baseline', 'candidate'] as const) {
      const [p50, p95, p99] = b.percentiles.map((p) => p[side]);
      assert.ok(p50! > 0 && p50! < p95! && p95! <= p99!, JSON.stringify(b.percentiles));
      const share = b.routes.reduce((sum, r) => sum + r.share[side], 0);
      assert.ok(Math.abs(share - 1) < 1e-9, `route shares of the ${side} sum to 1: ${share}`);
    }
    assert.deepEqual(b.routes.map((r) => r.route).sort(), defaultRoutes.map((r) => r.route).sort());
    const failingRoutes = new Set(run.verdict.evidence.filter((e) => e.failing && e.route).map((e) => e.route));
    assert.deepEqual(new Set(b.routes.filter((r) => r.failing).map((r) => r.route)), failingRoutes);
    const md = releaseReportMarkdown({ ...record, breakdown: { ...b, routes: [...b.routes, { ...b.routes[0]!, route: 'GET /a|b', failing: false }] } });
    assert.match(
      md,
      /## Latency percentiles\n\n\| percentile \| previous \| v2 \| change \|\n\|---\|---\|---\|---\|\n\| p50 \| [\d.]+ ms \| [\d.]+ ms \| [+-]\d+% \|\n\| p95 /,
    );
    for (const r of defaultRoutes)
      assert.match(md, new RegExp(`\\| ${r.route} \\| [\\d,]+ / [\\d,]+ \\| [\\d.]+% → [\\d.]+% \\| [\\d.]+%? → [\\d.]+%? \\| [\\d.]+ ms → [\\d.]+ ms \\|`));
    assert.match(md, /\| GET \/a\\\|b \|/, 'a pipe in a route name stays inside its cell');
    const smoky = releaseReportMarkdown({
      ...record,
      smoke: [{ check: 'a|b', status: 'fail', runs: [{ check: 'a|b', atMs: deployAtMs, ok: false, durationMs: 5, error: 'got x | y' }] }],
    });
    assert.match(smoky, /\| a\\\|b \| 2026-03-02T12:00:00Z \| fail: got x \\\| y \| 5 ms \|/, 'and in a smoke check or its error');
    assert.match(
      releaseReportHtml({ ...record, smoke: [{ check: 'a|b', status: 'fail', runs: [{ check: 'a|b', atMs: deployAtMs, ok: false, durationMs: 5 }] }] }),
      /<td>a\|b<\/td>/,
    );
    assert.match(releaseReportHtml({ ...record, breakdown: b }), /<th>percentile<\/th>.*<th>route<\/th>/s);
    assert.doesNotMatch(releaseReportMarkdown(record), /## Routes/, 'no figures, no section');
  });

  it('renders HTML with headings, a table and escaped text', () => {
    const html = releaseReportHtml(record);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /<h1>Release report: shop&#60;script&#62; v2<\/h1>/);
    assert.ok(!html.includes('<script>'));
    assert.match(html, /<table><thead><tr><th>signal<\/th>/);
    assert.match(html, /<strong>regression<\/strong>/);
  });

  it("states the release's production confidence with its top reasons when known, and nothing when not", () => {
    const confidence = {
      level: 'low',
      score: 15,
      reasons: ['release v2 failed its verdict: errors up', 'deployed v2 5 min ago: too recent', 'no SLO', 'no open incident'],
    };
    assert.match(
      releaseReportMarkdown(record, [], confidence),
      /\n- \*\*Production confidence:\*\* low \(15\/100\): release v2 failed its verdict: errors up; deployed v2 5 min ago: too recent; no SLO\n/,
    );
    assert.match(releaseReportHtml(record, [], confidence), /<li><strong>Production confidence:<\/strong> low \(15\/100\)/);
    assert.doesNotMatch(releaseReportMarkdown(record), /Production confidence/);
  });
});
