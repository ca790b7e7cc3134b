// SLO definitions are validated with every problem and its place, as vigil.yaml and the API need.
import assert from 'node:assert/strict';
import test from 'node:test';
import { parseSloWindow, slosConfigSchema, sloDefinitionSchema } from './config.js';

test('a valid SLO gets the 30-day window by default', () => {
  const slo = sloDefinitionSchema.parse({ name: 'checkout availability', service: 'checkout', objective: 'availability', target: 0.999 });
  assert.equal(slo.window, '30d');
  assert.equal(parseSloWindow('4w'), 28 * 86_400_000);
  assert.equal(parseSloWindow('720h'), 30 * 86_400_000);
  assert.equal(parseSloWindow('30 days'), undefined);
});

test('every problem is reported with its path: percent targets, missing thresholds, bad windows, duplicate names, unknown keys', () => {
  const r = slosConfigSchema.safeParse([
    { name: 'a', service: 's', objective: 'latency', target: 0.99, treshold: 300 },
    { name: 'a', service: 's', objective: 'availability', target: 99.9, window: '2d', thresholdMs: 300 },
  ]);
  assert.equal(r.success, false);
  const problems = r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  assert.ok(
    problems.some((p) => p.startsWith('0:') && p.includes('treshold')),
    problems.join('\n'),
  );
  assert.ok(problems.includes('0.thresholdMs: a latency SLO needs thresholdMs (e.g. 300 or "300ms")'), problems.join('\n'));
  assert.ok(problems.includes('1.target: target is a fraction below 1, such as 0.999'), problems.join('\n'));
  assert.ok(problems.includes('1.window: window is a duration from 7d to 90d such as "30d", "28d" or "4w"'), problems.join('\n'));
  assert.ok(problems.includes('1.thresholdMs: thresholdMs applies to latency SLOs only'), problems.join('\n'));
});

test('two SLOs may not share a name: incidents and the API refer to SLOs by it', () => {
  const one = { name: 'a', service: 's', objective: 'availability', target: 0.99 };
  const r = slosConfigSchema.safeParse([one, { ...one, service: 't' }]);
  assert.deepEqual(
    r.error?.issues.map((i) => [i.path.join('.'), i.message]),
    [['1.name', 'another SLO is already named "a"']],
  );
});
