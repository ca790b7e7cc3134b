import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultDetectionConfig, detectionConfigSchema, resolveDetectionConfig } from './config.js';

test('a partial detect: section overlays the defaults, nested sections included', () => {
  const input = detectionConfigSchema.parse({ holdMs: 60_000, errorRate: { alpha: 1e-9 }, saturation: { limits: { 'process.memory.usage': 2e9 } } });
  const config = resolveDetectionConfig(input);
  assert.equal(config.holdMs, 60_000);
  assert.equal(config.errorRate.alpha, 1e-9);
  assert.equal(config.errorRate.minErrors, defaultDetectionConfig.errorRate.minErrors);
  assert.deepEqual(config.saturation.limits, { 'process.memory.usage': 2e9 });
  assert.ok(Object.isFrozen(config));
});

test('unknown keys and out-of-range values are rejected with their path', () => {
  const bad = detectionConfigSchema.safeParse({ errorRate: { alpha: 2, typo: 1 }, bucketMs: 10 });
  assert.equal(bad.success, false);
  const paths = bad.error.issues.map((i) => i.path.join('.'));
  assert.ok(paths.includes('errorRate.alpha'));
  assert.ok(paths.includes('bucketMs'));
  assert.ok(paths.some((p) => p.startsWith('errorRate')));
});

test('the defaults satisfy the full schema', () => {
  assert.equal(detectionConfigSchema.safeParse(defaultDetectionConfig).success, true);
});
