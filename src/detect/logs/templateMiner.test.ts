// The online miner: grouping, new-template detection, generalisation, stable ids, snapshot/restore, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTemplateMiner, restoreTemplateMiner } from './templateMiner.js';
import { templateIdOf } from './templateId.js';
import { parseTemplateMinerSnapshot } from './snapshotSchema.js';
import { seededRandom as rng } from '../../random/index.js';

function fixtureLines(seed: number, count: number): string[] {
  const r = rng(seed);
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'];
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  const forms = [
    () => `order ${Math.floor(r() * 1e6)} placed by user ${pick(users)} in ${Math.floor(r() * 900)} ms`,
    () => `connection to 10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}:5432 refused`,
    () => `payment failed: card declined code=${Math.floor(r() * 90) + 10}`,
    () => `cache warmed with ${Math.floor(r() * 5000)} entries`,
  ];
  return Array.from({ length: count }, () => pick(forms)());
}

void test('groups lines of one statement with different parameters into one template', () => {
  const miner = createTemplateMiner();
  const a = miner.add('order 1234 placed in 12 ms');
  const b = miner.add('order 98 placed in 1500 ms');
  assert.equal(a.templateId, b.templateId);
  assert.equal(b.template, 'order <*> placed in <*>');
  assert.deepEqual(b.parameters, ['98', '1500 ms']);
  assert.notEqual(miner.add('order 5 cancelled').templateId, a.templateId);
});

void test('reports a template as new only the first time it is seen', () => {
  const miner = createTemplateMiner();
  assert.equal(miner.add('disk /dev/sda1 is 91% full').isNew, true);
  assert.equal(miner.add('disk /dev/sdb2 is 95% full').isNew, false);
  assert.equal(miner.add('disk /dev/sdc1 is 99% full').count, 3);
  assert.equal(miner.add('deadlock detected on table orders').isNew, true);
  assert.equal(miner.templates().length, 2);
});

void test('generalises a word position once enough different words appear there, keeping the first id', () => {
  const miner = createTemplateMiner({ siblingsToGeneralise: 4 });
  const first = miner.add('session opened for user alice');
  assert.equal(miner.add('session opened for user bob').variantOf, first.templateId);
  miner.add('session opened for user carol');
  assert.equal(miner.templates().length, 3, 'three names are not yet evidence of a parameter');
  assert.equal(first.variantOf, undefined);
  const fourth = miner.add('session opened for user dave');
  assert.equal(fourth.templateId, first.templateId);
  assert.equal(fourth.template, 'session opened for user <*>');
  assert.equal(fourth.isNew, false);
  assert.equal(fourth.variantOf, undefined, 'the fourth name generalises instead of making a variant');
  assert.equal(miner.resolve(miner.add('session opened for user bob').templateId), first.templateId);
  assert.equal(miner.templates().length, 1);
  assert.equal(miner.templates()[0]!.count, 5);
  // A line that only the generalised template covers joins it.
  assert.equal(miner.add('session opened for user zed').templateId, first.templateId);
});

void test('does not generalise the first word of short templates', () => {
  const miner = createTemplateMiner({ siblingsToGeneralise: 2 });
  for (const daemon of ['cupsd', 'sshd', 'crond', 'klogd']) miner.add(`${daemon} startup succeeded`);
  assert.equal(miner.templates().length, 4);
});

void test('gives the same ids to the same stream in a fresh miner (ids are content hashes)', () => {
  const lines = fixtureLines(7, 500);
  const ids = (): string[] => {
    const miner = createTemplateMiner();
    return lines.map((l) => miner.resolve(miner.add(l).templateId));
  };
  assert.deepEqual(ids(), ids());
  const miner = createTemplateMiner();
  const m = miner.add('cache warmed with 12 entries');
  assert.equal(m.templateId, templateIdOf('cache warmed with <*> entries'));
});

void test('restores from a JSON snapshot and continues with the same ids and counts', () => {
  const lines = fixtureLines(11, 2000);
  const whole = createTemplateMiner();
  const wholeIds = lines.map((l) => whole.add(l).templateId);

  const before = createTemplateMiner();
  lines.slice(0, 1000).forEach((l) => before.add(l));
  const json = JSON.stringify(before.snapshot());
  const after = restoreTemplateMiner(parseTemplateMinerSnapshot(JSON.parse(json)));
  const afterIds = lines.slice(1000).map((l) => after.add(l).templateId);
  assert.deepEqual(afterIds, wholeIds.slice(1000));
  const counts = (m: ReturnType<typeof createTemplateMiner>): string =>
    JSON.stringify(
      m
        .templates()
        .map((t) => [t.templateId, t.count])
        .sort(),
    );
  assert.equal(counts(after), counts(whole));
  assert.equal(after.add(lines[0]!).isNew, false);
});

void test('keeps memory bounded by dropping the least recently seen templates', () => {
  const miner = createTemplateMiner({ maxTemplates: 50 });
  const words = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike'.split(' ');
  for (let i = 0; i < 400; i++) {
    const w = words[i % words.length]! + words[Math.floor(i / words.length) % words.length]!;
    miner.add(`${w} happened`);
    miner.add('heartbeat ok');
  }
  assert.ok(miner.templates().length <= 50);
  // The template seen all along survives eviction.
  assert.ok(miner.templates().some((t) => t.template === 'heartbeat ok'));
  assert.ok(JSON.stringify(miner.snapshot()).length < 50_000);
});

void test('rejects a damaged snapshot with the reason', () => {
  const miner = createTemplateMiner();
  miner.add('hello world');
  const snap = JSON.parse(JSON.stringify(miner.snapshot())) as { templates: Array<{ spaceBefore: boolean[] }> };
  snap.templates[0]!.spaceBefore = [];
  assert.throws(() => parseTemplateMinerSnapshot(snap), /spaceBefore differ in length/);
  assert.throws(() => parseTemplateMinerSnapshot({ version: 2 }), /invalid template miner snapshot/);
});

void test('bounds the tokens mined per message: the tail of a huge message is one parameter', () => {
  const miner = createTemplateMiner({ maxTokens: 10 });
  // Equal heads, tails that differ everywhere past the head.
  const words = (tail: string): string => Array.from({ length: 5000 }, (_, i) => (i < 5 ? 'head' : tail)).join(' ');
  const a = miner.add(`dump of state: ${words('alpha')}`);
  const b = miner.add(`dump of state: ${words('beta')}`);
  assert.equal(a.templateId, b.templateId);
  assert.equal(a.template.split(' ').length <= 10, true);
  assert.equal(b.parameters.at(-1)!.length > 10_000, true);
});

void test('a new template that covers older ones is the same statement: they merge under the oldest id', () => {
  const miner = createTemplateMiner();
  // The first class name has no digit (a constant); the later ones carry digits (masked).
  const first = miner.add('Registering class org.app.EventType for class org.app.Handler');
  const later = miner.add('Registering class org.app.v2.Job for class org.app.v2.Listener');
  assert.equal(later.templateId, first.templateId);
  assert.equal(later.template, 'Registering class <*> for class <*>');
  assert.equal(later.isNew, false);
  assert.equal(miner.templates().length, 1);
  assert.equal(miner.templates()[0]!.count, 2);
});

void test('Drain similarity rule (similarityThreshold < 1) joins a line to its most similar template', () => {
  const lines = ['job alpha finished on queue default', 'job beta finished on queue default'];
  const off = createTemplateMiner();
  assert.notEqual(off.add(lines[0]!).templateId, off.add(lines[1]!).templateId, 'off by default: one word is no evidence');
  const drain = createTemplateMiner({ similarityThreshold: 0.8 });
  const a = drain.add(lines[0]!);
  const b = drain.add(lines[1]!);
  assert.equal(b.templateId, a.templateId);
  assert.equal(b.template, 'job <*> finished on queue default');
  // Below the threshold (4 of 6 equal) and a different first word stay apart.
  assert.notEqual(drain.add('job gamma started on queue urgent').templateId, a.templateId);
  assert.notEqual(drain.add('task alpha finished on queue default').templateId, a.templateId);
});

void test('messages cut mid-emoji survive mining and a JSON snapshot round trip', () => {
  const miner = createTemplateMiner();
  const cut = 'upload of 😀'.slice(0, -1);
  const m = miner.add(`${cut} failed after 3 tries`);
  assert.equal(m.template, 'upload of \ud83d failed after <*> tries');
  const restored = restoreTemplateMiner(parseTemplateMinerSnapshot(JSON.parse(JSON.stringify(miner.snapshot()))));
  assert.equal(restored.add(`${cut} failed after 9 tries`).templateId, m.templateId);
});
