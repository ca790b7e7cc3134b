// `kpis:` in vigil.yaml: every bad declaration is reported at once with its file, line and key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, resolveConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-config-kpis-'));
after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));

function problems(yaml: string): Map<string, { line: number; message: string }> {
  const p = join(dir, `k${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(p, yaml);
  try {
    resolveConfig({ config: p }, {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return new Map(err.problems.map((x) => [x.key, { line: x.line, message: x.message }]));
  }
  return new Map();
}

void test('a valid KPI declaration parses with its defaults', () => {
  const p = join(dir, 'ok.yaml');
  writeFileSync(p, 'kpis:\n  - name: orders/min\n    metric: business.orders\n    service: checkout\n    attributes: { outcome: paid }\n    unit: orders\n');
  const c = resolveConfig({ config: p }, {});
  assert.deepEqual(c.kpis, [
    {
      name: 'orders/min',
      metric: 'business.orders',
      service: 'checkout',
      attributes: { outcome: 'paid' },
      unit: 'orders',
      direction: 'drop-is-bad',
      drops: { medium: 0.1, high: 0.25, critical: 0.5 },
    },
  ]);
  assert.deepEqual(resolveConfig({}, {}).kpis, [], 'no KPIs by default');
});

void test('bad KPIs are named by key and line: direction, missing metric, misspelt key, shrinking drops', () => {
  const found = problems(
    [
      'kpis:',
      '  - name: orders/min',
      '    metric: business.orders',
      '    direction: down',
      '  - name: revenue',
      '    metrc: business.revenue',
      '    drops: { medium: 0.3, high: 0.2, critical: 0.5 }',
      '',
    ].join('\n'),
  );
  assert.equal(found.get('kpis.0.direction')?.line, 4, [...found.keys()].join(', '));
  assert.equal(found.get('kpis.1.metric')?.line, 5);
  assert.match(found.get('kpis.1.metrc')?.message ?? '', /unknown key \(did you mean "metric"\?\)/);
  assert.equal(found.get('kpis.1.metrc')?.line, 6);
  assert.match(found.get('kpis.1.drops')?.message ?? '', /drops must grow/);
  assert.equal(found.get('kpis.1.drops')?.line, 7);
});

void test('two KPIs with one name are refused at the second', () => {
  const found = problems('kpis:\n  - name: sign-ups\n    metric: a\n  - name: sign-ups\n    metric: b\n');
  assert.match(found.get('kpis.1.name')?.message ?? '', /duplicate KPI name "sign-ups"/);
  assert.equal(found.get('kpis.1.name')?.line, 4);
});
