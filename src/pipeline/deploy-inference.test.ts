import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeployInference } from './deploy-inference.js';

const rec = (service: string, serviceVersion: string, timeMs: number) => ({ service, serviceVersion, environment: 'prod', timeMs });
let n = 0;
const id = (): string => `c${++n}`;

test('infers a deploy when a known service shows a new version, at its first record', () => {
  const inf = new DeployInference();
  assert.deepEqual(inf.infer([rec('pay', '1.0', 10)], id), [], 'the first version ever seen is a baseline');
  const [d, ...rest] = inf.infer([rec('pay', '1.0', 20), rec('pay', '1.1', 35), rec('pay', '1.1', 30)], id);
  assert.equal(rest.length, 0);
  assert.equal(d!.version, '1.1');
  assert.equal(d!.previousVersion, '1.0');
  assert.equal(d!.timeMs, 30);
  assert.equal(d!.source, 'inferred');
  assert.deepEqual(inf.infer([rec('pay', '1.0', 40), rec('pay', '1.1', 41)], id), [], 'a rolling deploy mixing versions is one deploy');
});

test('does not infer a deploy that was already reported', () => {
  const inf = new DeployInference();
  inf.know('cart', '2.0');
  inf.know('cart', '2.1');
  assert.deepEqual(inf.infer([rec('cart', '2.1', 5)], id), []);
  assert.equal(inf.infer([rec('cart', '2.2', 6)], id)[0]!.previousVersion, '2.1');
});
