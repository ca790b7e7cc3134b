// `topology:` in vigil.yaml: declared caller → callee edges parse (names with spaces, slashes and
// colons quoted as YAML allows), and a bad edge stops start-up naming its file, line and key.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, resolveConfig } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-config-topology-'));
after(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
let n = 0;
const file = (yaml: string): string => {
  const p = join(dir, `t${++n}.yaml`);
  writeFileSync(p, yaml);
  return p;
};

void test('declared edges parse, in block or flow style, and none are declared by default', () => {
  const yaml = [
    'topology:',
    '  edges:',
    '    - from: frontend',
    '      to: checkout',
    '    - { from: checkout, to: "PGSQL Query_remote" }',
    '    - { from: "PetSite", to: "PetSearch_AWS::ECS::Fargate" }',
    '    - { from: "PetSite", to: "servi-searc.us-west-2.elb.amazonaws.com_remote", kind: external }',
    '',
  ].join('\n');
  assert.deepEqual(resolveConfig({ config: file(yaml) }, {}).topology.edges, [
    { from: 'frontend', to: 'checkout' },
    { from: 'checkout', to: 'PGSQL Query_remote' },
    { from: 'PetSite', to: 'PetSearch_AWS::ECS::Fargate' },
    { from: 'PetSite', to: 'servi-searc.us-west-2.elb.amazonaws.com_remote', kind: 'external' },
  ]);
  assert.deepEqual(resolveConfig({}, {}).topology, { edges: [] });
});

void test('a bad edge is reported with its file, line and key: a missing callee, a self-call, a misspelt key, a list where edges belong', () => {
  const path = file(
    [
      'topology:',
      '  edges:',
      '    - { from: frontend, to: checkout }',
      '    - { from: checkout }',
      '    - { from: payment, to: payment }',
      '    - { from: payment, callee: bank }',
      '    - { from: payment, to: bank, kind: balancer }',
      '',
    ].join('\n'),
  );
  let problems: ConfigError['problems'] = [];
  try {
    resolveConfig({ config: path }, {});
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    problems = err.problems;
  }
  const at = (key: string): { file: string; line: number; message: string } | undefined => problems.find((p) => p.key === key);
  assert.equal(at('topology.edges.1.to')?.line, 4, JSON.stringify(problems));
  assert.equal(at('topology.edges.1.to')?.file, path);
  assert.equal(at('topology.edges.1.to')?.message, 'missing: name the called service');
  assert.equal(at('topology.edges.2.to')?.line, 5);
  assert.match(at('topology.edges.2.to')?.message ?? '', /two different services/);
  assert.equal(at('topology.edges.3.callee')?.line, 6);
  assert.match(at('topology.edges.3.callee')?.message ?? '', /unknown key/);
  assert.equal(at('topology.edges.4.kind')?.line, 7);
  assert.equal(at('topology.edges.4.kind')?.message, 'must be one of service, database, cache, messaging, external');

  const flat = file('topology:\n  - { from: frontend, to: checkout }\n');
  assert.throws(
    () => resolveConfig({ config: flat }, {}),
    (err: unknown) => err instanceof ConfigError && err.problems.some((p) => p.file === flat && p.line === 2 && p.key === 'topology'),
  );
});
