import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { signWebhookBody, verifyWebhookSignature } from './signature.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"event":"opened"}';
const nowMs = 1_700_000_000_000;
const ts = nowMs / 1000;

void test('signs HMAC-SHA256 over timestamp.body as v1=<hex>', () => {
  const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  assert.equal(signWebhookBody(secret, ts, body), `v1=${expected}`);
});

void test('verifies a genuine signature and rejects tampering, wrong secrets and stale timestamps', () => {
  const signature = signWebhookBody(secret, ts, body);
  const ok = { secret, body, signature, timestamp: String(ts), nowMs };
  assert.equal(verifyWebhookSignature(ok), true);
  assert.equal(verifyWebhookSignature({ ...ok, body: body.replace('opened', 'resolved') }), false);
  assert.equal(verifyWebhookSignature({ ...ok, secret: 'another-secret-value' }), false);
  assert.equal(verifyWebhookSignature({ ...ok, nowMs: nowMs + 301_000 }), false, 'replayed after 5 minutes');
  assert.equal(verifyWebhookSignature({ ...ok, timestamp: String(ts + 1) }), false, 'timestamp is signed');
  assert.equal(verifyWebhookSignature({ ...ok, signature: undefined }), false);
  assert.equal(verifyWebhookSignature({ ...ok, signature: `v1=deadbeef, ${signature}` }), true, 'any listed signature may match');
});
