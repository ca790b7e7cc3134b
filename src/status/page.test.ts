// The public page: components take the worst open incident's impact, incidents show public names
// and posted updates only, and nothing internal reaches the HTML.
import assert from 'node:assert/strict';
import test from 'node:test';
import { statusConfigSchema } from './config.js';
import { renderStatusHtml } from './html.js';
import { buildStatusPage, type StatusIncidentFact } from './page.js';
import { composeUpdate } from './updates.js';

const now = Date.UTC(2026, 0, 5, 14, 30);
const config = statusConfigSchema.parse({
  title: 'Acme status',
  components: [
    { name: 'Checkout', services: ['checkout-svc', 'payment-gw'], audience: 'customers paying by card' },
    { name: 'Search', services: ['search-api'] },
  ],
});
const incident = (s: Partial<StatusIncidentFact>): StatusIncidentFact => ({
  id: '1',
  status: 'triggered',
  severity: 'high',
  services: ['payment-gw', 'redis-10.0.0.7'],
  startedAtMs: now - 20 * 60_000,
  ...s,
});

test('a high incident on a mapped service is an outage of its component; the rest stays operational', () => {
  const page = buildStatusPage(config.title, config.components, [incident({})], new Map(), now);
  assert.equal(page.overall, 'outage');
  assert.deepEqual(page.components, [
    { name: 'Checkout', status: 'outage' },
    { name: 'Search', status: 'operational' },
  ]);
  assert.deepEqual(
    page.incidents.map((i) => [i.title, i.components, i.impact]),
    [['Outage: Checkout', ['Checkout'], 'outage']],
  );
});

test('medium and mitigated incidents degrade; unmapped ones stay internal; old resolved ones leave the page', () => {
  const page = buildStatusPage(
    config.title,
    config.components,
    [
      incident({ severity: 'medium', services: ['search-api'] }),
      incident({ id: '2', status: 'mitigated' }),
      incident({ id: '3', services: ['batch-job'] }),
      incident({ id: '4', status: 'resolved', resolvedAtMs: now - 25 * 3_600_000 }),
      incident({ id: '5', status: 'resolved', resolvedAtMs: now - 3_600_000 }),
    ],
    new Map(),
    now,
  );
  assert.deepEqual(
    page.components.map((c) => c.status),
    ['degraded', 'degraded'],
  );
  assert.equal(page.overall, 'degraded');
  assert.deepEqual(
    page.incidents.map((i) => [i.id, i.title]),
    [
      ['1', 'Degraded performance: Search'],
      ['2', 'Degraded performance: Checkout'],
      ['5', 'Resolved: Outage: Checkout'],
    ],
  );
});

test('the HTML shows the outage and posted updates, escapes them, and names nothing internal', () => {
  const text = composeUpdate({
    incident: {
      ...incident({}),
      impact: { entryRequests: 10_000, entryFailed: 1_230, entrySlow: 0, affectedUsers: 340, usualFailedRatio: 0.003 },
    },
    event: 'opened',
    components: config.components,
    nowMs: now,
    nextUpdateMinutes: 30,
  })!;
  assert.equal(
    text,
    'Checkout is unavailable or failing for many requests since 2026-01-05 14:10 UTC. This affects customers paying by card: about 12% of requests fail, about 340 people are affected. We are investigating the cause. Next update by 2026-01-05 15:00 UTC.',
  );
  const updates = new Map([['1', [{ atMs: now, status: 'triggered' as const, text: `${text} <script>` }]]]);
  const html = renderStatusHtml(buildStatusPage(config.title, config.components, [incident({})], updates, now), now);
  assert.match(html, /data-status="outage">Outage</);
  assert.match(html, /Some systems are down/);
  assert.match(html, /about 12% of requests fail/);
  assert.match(html, /&lt;script&gt;/);
  assert.doesNotMatch(html, /<script/);
  for (const internal of ['payment-gw', 'checkout-svc', 'redis', '10.0.0.7', 'search-api']) assert.ok(!html.includes(internal), `leaks ${internal}`);
});

test('updates follow the lifecycle: being worked on, fixed and watched, resolved with its span; none for internal incidents', () => {
  const base = { components: config.components, nowMs: now, nextUpdateMinutes: 30 };
  assert.match(
    composeUpdate({ ...base, incident: incident({ status: 'acknowledged', severity: 'low' }), event: 'acknowledged' })!,
    /^Checkout is slower or failing for some requests since .*This may affect customers paying by card\. Our engineers are on it/,
  );
  assert.match(composeUpdate({ ...base, incident: incident({ status: 'mitigated' }), event: 'mitigated' })!, /A fix is in place/);
  assert.equal(
    composeUpdate({ ...base, incident: incident({ status: 'resolved', resolvedAtMs: now }), event: 'resolved' }),
    'Checkout was affected from 2026-01-05 14:10 UTC until 2026-01-05 14:30 UTC. The problem is resolved and the service is working normally.',
  );
  assert.match(
    composeUpdate({ ...base, incident: incident({ services: ['checkout-svc', 'search-api'] }), event: 'reopened' })!,
    /^The problem is back: Checkout and Search are unavailable/,
  );
  assert.equal(composeUpdate({ ...base, incident: incident({ services: ['batch-job'] }), event: 'opened' }), undefined);
});

test('config: components need services and unique names', () => {
  const bad = statusConfigSchema.safeParse({
    components: [
      { name: 'A', services: [] },
      { name: 'B', services: ['b'] },
      { name: 'B', services: ['c'] },
    ],
  });
  assert.ok(!bad.success);
  assert.deepEqual(
    bad.error.issues.map((i) => i.path.join('.')),
    ['components.0.services', 'components.2.name'],
  );
});
