import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setActionItemStatus, changeActionItem, isOverdue, actionItemView } from './action-items.js';
import { renderHtml, renderMarkdown } from './document.js';
import { incidentMetrics } from './metrics.js';
import { buildReview } from './review.js';
import { DAY, incident, item, MIN, T0, timelineOf } from './testing/incidents.js';
import { isoTime, durationText } from './time-text.js';

const resolved = incident({ id: '7', acknowledgedAtMs: T0 + 4 * MIN, resolvedAtMs: T0 + 40 * MIN });
const timeline = timelineOf(resolved, [
  {
    atMs: T0 + 2 * MIN,
    kind: 'root-cause',
    text: 'Suspected root cause: saturation of payment-db',
    data: { service: 'payment-db', rootCauseKind: 'saturation', score: 0.5 },
  },
  {
    atMs: T0 + 6 * MIN,
    kind: 'root-cause',
    text: 'Suspected root cause: bad-deploy of payment',
    data: { service: 'payment', rootCauseKind: 'bad-deploy', score: 0.9 },
  },
  { atMs: T0 + 4 * MIN, kind: 'state', text: 'Acknowledged by ana', actor: 'ana', data: { status: 'acknowledged' } },
  { atMs: T0 + 40 * MIN, kind: 'state', text: 'Resolved by ana: rolled payment back to 2.2.9', actor: 'ana', data: { status: 'resolved' } },
]);

void test('times come from the record and the timeline: detect and resolve from onset, acknowledge from detection, identify at the first entry naming the final cause', () => {
  const m = incidentMetrics(resolved, timeline);
  assert.deepEqual(m, { timeToDetectSeconds: 60, timeToAcknowledgeSeconds: 180, timeToIdentifySeconds: 360, timeToResolveSeconds: 2400 });
  const open = incident({ id: '8', status: 'triggered', resolvedAtMs: undefined });
  const m2 = incidentMetrics(open, timelineOf(open));
  assert.equal(m2.timeToResolveSeconds, undefined);
  assert.equal(m2.timeToAcknowledgeSeconds, undefined);
  assert.equal(m2.timeToIdentifySeconds, undefined, 'no timeline entry named the cause');
});

void test('the review names what fixed it from the resolving note, or the typed resolution when the record has one', () => {
  const r = buildReview({ incident: resolved, timeline, actionItems: [], resurfaced: [], edits: {}, nowMs: T0 + DAY });
  const md = renderMarkdown(r.document);
  assert.match(md, /## What fixed it\n\nrolled payment back to 2\.2\.9 \(ana, /);
  assert.match(md, /\| Time to identify \(first correct top cause\) \| 6 min \| onset \| 10 min \|/);
  assert.match(md, /Resolution took 40 min, over the 30 min target/);
  const typed = buildReview({
    incident: { ...resolved, resolution: 'feature flag pay-v2 off' },
    timeline,
    actionItems: [],
    resurfaced: [],
    edits: {},
    nowMs: T0 + DAY,
  });
  assert.match(renderMarkdown(typed.document), /## What fixed it\n\nfeature flag pay-v2 off/);
  const auto = buildReview({
    incident: resolved,
    timeline: timelineOf(resolved, [
      { atMs: T0 + 30 * MIN, kind: 'state', text: 'All clear: stable; resolved automatically', actor: 'vigil', data: { status: 'resolved', allClear: true } },
    ]),
    actionItems: [],
    resurfaced: [],
    edits: {},
    nowMs: T0,
  });
  assert.match(renderMarkdown(auto.document), /Not recorded: the incident was resolved without a note/);
});

void test('without a note, what fixed it is the last remediation that succeeded, else the last change to its services before it ended', () => {
  const silent = incident({ id: '9', resolvedAtMs: T0 + 30 * MIN });
  const resolvedSilently = { atMs: T0 + 30 * MIN, kind: 'state' as const, text: 'All clear', actor: 'vigil', data: { status: 'resolved', allClear: true } };
  const deploy = (atMs: number, service: string, version: string) => ({
    atMs,
    kind: 'change' as const,
    text: `Deploy of ${service} ${version}`,
    data: { service, changeKind: 'deploy', version },
  });
  const remediation = (atMs: number, outcome: string) => ({
    atMs,
    kind: 'note' as const,
    text: `Remediation "rollback-payment" (webhook, approved by ana) ${outcome} after 1 attempt: HTTP 200`,
    actor: 'vigil remediation',
  });
  const fixOf = (extra: Parameters<typeof timelineOf>[1]): string => {
    const md = renderMarkdown(
      buildReview({ incident: silent, timeline: timelineOf(silent, extra), actionItems: [], resurfaced: [], edits: {}, nowMs: T0 }).document,
    );
    return md.split('## What fixed it\n\n')[1]!.split('\n')[0]!;
  };
  const rolledBack = fixOf([
    deploy(T0 + 10 * MIN, 'payment', '2.2.9'),
    deploy(T0 + 12 * MIN, 'search', '1.4.0'),
    deploy(T0 + 45 * MIN, 'payment', '2.3.1'),
    resolvedSilently,
  ]);
  assert.equal(
    rolledBack,
    `Nobody noted what fixed it; the last change to the incident's services before it ended: Deploy of payment 2.2.9 (${isoTime(T0 + 10 * MIN)}). Confirm or correct it by editing this section.`,
    "another service's deploy and one after the end are not it",
  );
  const remediated = fixOf([
    remediation(T0 + 8 * MIN, 'succeeded'),
    deploy(T0 + 10 * MIN, 'payment', '2.2.9'),
    remediation(T0 + 15 * MIN, 'failed'),
    resolvedSilently,
  ]);
  assert.match(
    remediated,
    /^Nobody noted what fixed it; the last remediation that succeeded before it ended: Remediation "rollback-payment" .* succeeded after 1 attempt: HTTP 200 \(vigil remediation, 2026-11-02T09:08:00\.000Z\)/,
  );
  assert.match(
    fixOf([deploy(T0 - 5 * MIN, 'payment', '2.3.0'), resolvedSilently]),
    /^Not recorded: the incident was resolved without a note/,
    'the deploy before detection is the cause, not the fix',
  );
  const open = incident({ id: '10', status: 'triggered', resolvedAtMs: undefined });
  const stillOpen = renderMarkdown(
    buildReview({
      incident: open,
      timeline: timelineOf(open, [deploy(T0 + 10 * MIN, 'payment', '2.2.9')]),
      actionItems: [],
      resurfaced: [],
      edits: {},
      nowMs: T0,
    }).document,
  );
  assert.match(stillOpen, /## What fixed it\n\nNot fixed yet: the incident is triggered\./);
});

void test("the team's edits replace generated sections and survive regeneration; computed sections stay computed", () => {
  const edits = { contributingFactors: { text: 'The canary step was skipped | on Fridays', by: 'ana', atMs: T0 + DAY } };
  const first = buildReview({ incident: resolved, timeline, actionItems: [], resurfaced: [], edits, nowMs: T0 + DAY });
  const later = buildReview({
    incident: { ...resolved, title: 'renamed' },
    timeline: [...timeline, { atMs: T0 + 50 * MIN, kind: 'note', text: 'late note' }],
    actionItems: [],
    resurfaced: [],
    edits,
    nowMs: T0 + 2 * DAY,
  });
  for (const r of [first, later]) {
    const md = renderMarkdown(r.document);
    assert.match(md, /## Contributing factors\n\n_Edited by ana at 2026-11-03T09:00:00\.000Z_\n\nThe canary step was skipped \| on Fridays/);
    assert.deepEqual(r.editedSections, ['contributingFactors']);
  }
  assert.match(renderMarkdown(later.document), /late note/, 'the timeline is regenerated');
  const html = renderHtml(first.document);
  assert.match(html, /<section id="contributingFactors">/);
  assert.ok(!html.includes('<script'), 'no script');
  const hostile = buildReview({
    incident: resolved,
    timeline,
    actionItems: [],
    resurfaced: [],
    edits: { lessons: { text: '<img src=x onerror=alert(1)>', atMs: T0 } },
    nowMs: T0,
  });
  assert.ok(!renderHtml(hostile.document).includes('<img'), 'authored text is escaped in HTML');
});

void test('action items go open → done → open, and only open ones past the end of their due date are overdue', () => {
  const a = item({ id: 'a1', incidentId: '7', owner: 'ana', dueMs: T0 + DAY });
  assert.equal(isOverdue(a, T0 + DAY), false);
  assert.equal(isOverdue(a, T0 + DAY + 1), true);
  const done = setActionItemStatus(a, 'done', T0 + 2 * DAY);
  assert.equal(done.doneAtMs, T0 + 2 * DAY);
  assert.equal(isOverdue(done, T0 + 3 * DAY), false);
  const reopened = setActionItemStatus(done, 'open', T0 + 3 * DAY);
  assert.equal(reopened.doneAtMs, undefined);
  assert.equal(setActionItemStatus(reopened, 'open', T0 + 4 * DAY), reopened, 'the same status is no change');
  assert.deepEqual(actionItemView(a, T0 + 2 * DAY), {
    id: 'a1',
    incidentId: '7',
    title: 'do a1',
    status: 'open',
    owner: 'ana',
    due: isoTime(T0 + DAY),
    overdue: true,
    createdAt: isoTime(T0),
  });
  const r = buildReview({ incident: resolved, timeline, actionItems: [a], resurfaced: [], edits: {}, nowMs: T0 + 2 * DAY });
  assert.match(renderMarkdown(r.document), /\| a1 \| do a1 \| ana \| 2026-11-03 \| open, OVERDUE \|/);
});

void test('a ticket before detection makes the incident customer-reported first, and says so among the factors', () => {
  const r = buildReview({
    incident: resolved,
    timeline,
    actionItems: [],
    resurfaced: [],
    edits: {},
    tickets: [{ id: 'Z-1', title: 'cannot pay', timeMs: T0 + 30_000 }],
    nowMs: T0,
  });
  assert.equal(r.customerReportedFirst, true);
  assert.match(renderMarkdown(r.document), /ticket Z-1 \("cannot pay"\) came 30 s before detection/);
  const late = buildReview({
    incident: resolved,
    timeline,
    actionItems: [],
    resurfaced: [],
    edits: {},
    tickets: [{ id: 'Z-2', title: 'cannot pay', timeMs: T0 + 2 * MIN }],
    nowMs: T0,
  });
  assert.equal(late.customerReportedFirst, false);
});

void test('times print as toISOString does (leap days, century years), without reading Date', () => {
  const cases: Array<[number, string]> = [
    [0, '1970-01-01T00:00:00.000Z'],
    [951_782_400_000, '2000-02-29T00:00:00.000Z'],
    [1_772_323_199_999, '2026-02-28T23:59:59.999Z'],
    [1_709_208_000_000, '2024-02-29T12:00:00.000Z'],
    [4_107_542_400_000, '2100-03-01T00:00:00.000Z'],
    [1_700_000_000_123.7, '2023-11-14T22:13:20.123Z'],
  ];
  for (const [ms, iso] of cases) assert.equal(isoTime(ms), iso);
  assert.equal(durationText(59_400), '59 s');
  assert.equal(durationText(61_000), '1 min 1 s');
  assert.equal(durationText(3 * 3_600_000 + 5 * MIN), '3 h 5 min');
  assert.equal(durationText(50 * 3_600_000), '2 d 2 h');
});

void test('an item is reassigned and rescheduled, null clears owner or date, and a status change inside it keeps its done time', () => {
  const a = item({ id: 'a', incidentId: '7', owner: 'ana', dueMs: T0 + DAY });
  const moved = changeActionItem(a, { owner: 'bo', dueMs: T0 + 10 * DAY, title: 'alert on pool saturation' }, T0 + 2 * DAY);
  assert.deepEqual([moved.owner, moved.dueMs, moved.title, isOverdue(moved, T0 + 2 * DAY)], ['bo', T0 + 10 * DAY, 'alert on pool saturation', false]);
  assert.equal(isOverdue(a, T0 + 2 * DAY), true, 'the original, unchanged, is overdue');
  const cleared = changeActionItem(moved, { owner: null, dueMs: null, status: 'done' }, T0 + 3 * DAY);
  assert.deepEqual([cleared.owner, cleared.dueMs, cleared.status, cleared.doneAtMs], [undefined, undefined, 'done', T0 + 3 * DAY]);
  assert.equal('owner' in cleared || 'dueMs' in cleared, false);
});

void test('impact names the duration, the users, the failed customer-facing requests and the critical journeys hit', () => {
  const hurt = incident({
    id: '11',
    resolvedAtMs: T0 + 40 * MIN,
    impact: {
      entryRequests: 20_000,
      entryFailed: 2_400,
      entrySlow: 300,
      affectedUsers: 120,
      totalUsers: 4_000,
      journeysHit: ['checkout', 'sign-up'],
      durationMs: 40 * MIN,
    },
  });
  const md = renderMarkdown(buildReview({ incident: hurt, timeline: timelineOf(hurt), actionItems: [], resurfaced: [], edits: {}, nowMs: T0 }).document);
  const impact = md.split('## Impact\n\n')[1]!.split('\n\n')[0]!;
  assert.equal(
    impact,
    [
      `- Duration: 40 min (${isoTime(T0)} to ${isoTime(T0 + 40 * MIN)}).`,
      '- Users affected: 120 of 4,000 (3.0%).',
      '- Customer-facing requests: 2,400 of 20,000 failed (12.0%), 300 slow.',
      '- Critical journeys hit: checkout, sign-up.',
    ].join('\n'),
  );
  const unmeasured = incident({ id: '12', status: 'triggered', resolvedAtMs: undefined });
  assert.match(
    renderMarkdown(buildReview({ incident: unmeasured, timeline: timelineOf(unmeasured), actionItems: [], resurfaced: [], edits: {}, nowMs: T0 }).document),
    /## Impact\n\nImpact was not measured for this incident\./,
  );
});
