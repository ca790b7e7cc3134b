// The preloads a deep link's HTML announces: the incident and the session for an incident, the
// RED read of the service page with its view's filters (the URL the app asks for, byte for byte),
// nothing for other pages, and nothing that could break out of the attribute.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { firstReadPreloads, firstReads } from './first-reads.js';

void it('names the read each deep-linked page shows first, as the app builds it', () => {
  assert.deepEqual(firstReads('/incidents/42', new URLSearchParams()), ['/api/v1/incidents/42', '/api/v1/session']);
  assert.deepEqual(firstReads('/services/pay%20ment', new URLSearchParams('to=2026-11-03T13:16:00.000Z&from=2026-11-03T12:45:00.000Z&at=1')), [
    '/api/v1/red?service=pay+ment&groupBy=route&from=2026-11-03T12%3A45%3A00.000Z&to=2026-11-03T13%3A16%3A00.000Z',
  ]);
  assert.deepEqual(firstReads('/services/payment', new URLSearchParams('by=version&route=/pay')), ['/api/v1/red?service=payment&groupBy=version&route=%2Fpay']);
  for (const path of ['/', '/logs', '/map', '/incidents', '/incidents/%E0%A4%A', '/traces/abc'])
    assert.deepEqual(firstReads(path, new URLSearchParams()), [], path);
});

void it('writes them as preload links for fetch, escaped inside the attribute', () => {
  assert.equal(
    firstReadPreloads('/incidents/7?tab=logs'),
    '<link rel="preload" as="fetch" crossorigin href="/api/v1/incidents/7"><link rel="preload" as="fetch" crossorigin href="/api/v1/session">',
  );
  assert.equal(
    firstReadPreloads('/services/a"b?from=x&to=y'),
    '<link rel="preload" as="fetch" crossorigin href="/api/v1/red?service=a%22b&amp;groupBy=route&amp;from=x&amp;to=y">',
  );
  assert.equal(firstReadPreloads('/logs?q=x'), '');
});
