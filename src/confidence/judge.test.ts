// Confidence levels for crafted situations, each with the reasons that make it.
import assert from 'node:assert/strict';
import test from 'node:test';
import { judgeConfidence } from './judge.js';
import type { ServiceFacts } from './types.js';

const now = 1_767_600_000_000;
const minute = 60_000;
const calm: ServiceFacts = {
  service: 'checkout',
  slos: [{ name: 'checkout availability', status: 'ok', errorBudgetRemaining: 0.9, forecast: 'no budget is burning' }],
  verdict: { version: 'v41', status: 'pass', summary: 'no regression in 30 min' },
  openIncidents: [],
  changes: [{ kind: 'deploy', version: 'v41', timeMs: now - 5 * 3_600_000 }],
  coverage: { traces: true, checks: true },
};
const judge = (over: Partial<ServiceFacts>) => judgeConfidence({ ...calm, ...over }, now);

test('a quiet, covered service whose release passed is high, and says why', () => {
  const c = judge({});
  assert.equal(c.level, 'high');
  assert.equal(c.score, 100);
  assert.deepEqual(c.reasons, [
    'SLO "checkout availability" is within budget',
    'release v41 passed: no regression in 30 min',
    'no open incident',
    'no change in the last hour',
  ]);
});

test('a deploy 10 minutes ago still being watched is medium: too young to stop watching', () => {
  const c = judge({
    changes: [{ kind: 'deploy', version: 'v42', timeMs: now - 10 * minute }],
    verdict: { version: 'v42', status: 'watching', summary: 'comparing with v41' },
  });
  assert.equal(c.level, 'medium');
  assert.equal(c.score, 60);
  assert.deepEqual(c.reasons.slice(0, 2), [
    'release v42 is still being watched: comparing with v41',
    'deployed v42 10 min ago: too recent to have proved itself',
  ]);
});

test('a young change alone never leaves the level at high, even with a high score', () => {
  const c = judge({ changes: [{ kind: 'config', timeMs: now - 3 * minute, description: 'pool size 20→5' }] });
  assert.equal(c.score, 90);
  assert.equal(c.level, 'medium');
  assert.match(c.reasons[0]!, /^a config change in the last hour \(latest 3 min ago: pool size 20→5\)$/);
});

test('blockers make it low whatever the score: a breaching SLO, a failed release, a high incident', () => {
  const breaching = judge({
    slos: [
      {
        name: 'pay',
        status: 'breaching',
        errorBudgetRemaining: 0.4,
        forecast: 'at this rate the budget is gone in 3 h',
      },
    ],
  });
  assert.equal(breaching.level, 'low');
  assert.equal(breaching.reasons[0], 'SLO "pay" is breaching (40% of the budget left; at this rate the budget is gone in 3 h)');
  const failed = judge({ verdict: { version: 'v42', status: 'fail', summary: 'error rate 0.1% → 4%' } });
  assert.equal(failed.level, 'low');
  assert.match(failed.reasons[0]!, /^release v42 failed its verdict/);
  const incident = judge({
    openIncidents: [
      { id: '7', severity: 'low', status: 'triggered', title: 'Log spike' },
      { id: '8', severity: 'high', status: 'acknowledged', title: 'Errors in checkout' },
    ],
  });
  assert.equal(incident.level, 'low');
  assert.equal(incident.score, 35);
  assert.deepEqual(incident.reasons.slice(0, 2), ['open high incident #8 (acknowledged): Errors in checkout', 'open low incident #7 (triggered): Log spike']);
});

test('coverage gaps lower confidence: no traces, no checks, no SLO, and no verdict is said plainly', () => {
  const c = judge({ slos: [], coverage: { traces: false, checks: false }, verdict: undefined });
  assert.equal(c.score, 60);
  assert.equal(c.level, 'medium');
  assert.deepEqual(c.reasons, [
    'no traces: Vigil cannot see its requests, errors or latency',
    'no SLO: nothing says what "good" is for this service',
    'no synthetic check: nothing tests it when traffic is quiet',
    'no release verdict yet',
    'no open incident',
    'no change in the last hour',
  ]);
  assert.deepEqual(
    c.factors.map((f) => [f.factor, f.points]),
    [
      ['coverage', -10],
      ['coverage', -25],
      ['coverage', -5],
    ],
  );
});

test('the score never leaves 0..100 and changes in the future or over an hour old do not count', () => {
  const worst = judge({
    slos: [{ name: 'a', status: 'breaching', errorBudgetRemaining: -1, forecast: 'the error budget is spent' }],
    verdict: { version: 'v2', status: 'fail', summary: 'x' },
    openIncidents: [{ id: '1', severity: 'critical', status: 'triggered', title: 't' }],
    coverage: { traces: false, checks: false },
  });
  assert.equal(worst.score, 0);
  assert.match(worst.reasons.join('\n'), /budget spent/);
  const c = judge({
    changes: [
      { kind: 'deploy', version: 'v9', timeMs: now + minute },
      { kind: 'flag', timeMs: now - 61 * minute },
    ],
  });
  assert.equal(c.level, 'high');
});
