// The live drill's decisions, fed made-up incident lists: which incidents are the drill's, when
// the fault is cleared (right root cause held, fault time over, nothing detected) and when the
// drill ends (all-clear or the wait is over).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getFault } from '../sim/index.js';
import type { IncidentListItem } from './drill-score.js';
import { LiveDrillTracker } from './live-drill-tracker.js';
import type { LiveDrillPlan } from './live-drill-tracker.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const S = 1000;
const plan: LiveDrillPlan = { maxDetectMs: 300 * S, maxFaultMs: 600 * S, settleMs: 60 * S, maxAllClearMs: 900 * S };
const cacheOutage = getFault('cache-outage');

function incident(id: string, atS: number, more: Partial<IncidentListItem> = {}): IncidentListItem {
  const at = new Date(T0 + atS * S).toISOString();
  return { id, title: `incident ${id}`, severity: 'high', status: 'triggered', services: ['cart', 'frontend'], detectedAt: at, startedAt: at, ...more };
}
const top = (service: string, kind: string): IncidentListItem['topRootCause'] => ({ service, kind, score: 0.8 });

void describe('live drill tracker', () => {
  void it('ignores incidents open before the injection, and ones opened before it that it had not seen', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, [incident('1', -600, { status: 'triggered' })]);
    const news = t.observe([incident('1', -600, { status: 'resolved' }), incident('2', -30)], T0 + 10 * S);
    assert.deepEqual(news, []);
    assert.deepEqual(t.incidents(), []);
    assert.equal(t.primary(T0 + 10 * S), undefined);
  });

  void it('takes a resolved incident that reopens after the injection as the drill’s, detected at the poll that saw it reopen', () => {
    const resolvedAt = new Date(T0 - 60 * S).toISOString();
    const t = new LiveDrillTracker(cacheOutage, plan, T0, [incident('1', -900, { status: 'resolved', resolvedAt })]);
    assert.deepEqual(t.observe([incident('1', -900, { status: 'resolved', resolvedAt })], T0 + 5 * S), []);
    const news = t.observe([incident('1', -900, { status: 'triggered' })], T0 + 10 * S);
    assert.deepEqual(
      news.map((n) => n.kind === 'opened' && n.related),
      [true],
    );
    assert.equal(t.primary(T0 + 10 * S)?.reopened, true);
    assert.equal(t.primary(T0 + 10 * S)?.detectedAt, new Date(T0 + 10 * S).toISOString());
    // Later polls keep the reopening time, and its resolution is the all-clear.
    t.observe([incident('1', -900, { status: 'triggered' })], T0 + 15 * S);
    assert.equal(t.primary(T0 + 15 * S)?.detectedAt, new Date(T0 + 10 * S).toISOString());
    t.markCleared(T0 + 60 * S);
    t.observe([incident('1', -900, { status: 'resolved', resolvedAt: new Date(T0 + 200 * S).toISOString() })], T0 + 200 * S);
    assert.deepEqual(t.next(T0 + 200 * S), { action: 'finish', reason: 'all-clear' });
  });

  void it('keeps the fault in until the right top root cause has held for the settle time, then clears', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    assert.deepEqual(t.observe([], T0 + 5 * S), []);
    assert.equal(t.next(T0 + 5 * S).action, 'wait');
    const opened = t.observe([incident('7', 20, { topRootCause: top('cart', 'code-error') })], T0 + 25 * S);
    assert.deepEqual(
      opened.map((n) => n.kind),
      ['opened', 'top-root-cause'],
    );
    assert.deepEqual(opened[1], { kind: 'top-root-cause', incident: t.incidents()[0], right: false });
    assert.equal(t.next(T0 + 25 * S).action, 'wait');
    const right = t.observe([incident('7', 20, { topRootCause: top('cache', 'dependency-failure') })], T0 + 40 * S);
    assert.deepEqual(
      right.map((n) => n.kind === 'top-root-cause' && n.right),
      [true],
    );
    assert.equal(t.next(T0 + 90 * S).action, 'wait', '50 s of a right root cause is not yet the 60 s settle time');
    t.observe([incident('7', 20, { topRootCause: top('cache', 'dependency-failure') })], T0 + 100 * S);
    assert.deepEqual(t.next(T0 + 100 * S), { action: 'clear', reason: 'top root cause right for 60 s' });
  });

  void it('restarts the settle time when the top root cause turns wrong again', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    t.observe([incident('3', 10, { topRootCause: top('cache', 'dependency-failure') })], T0 + 10 * S);
    t.observe([incident('3', 10, { topRootCause: top('cart', 'saturation') })], T0 + 50 * S);
    t.observe([incident('3', 10, { topRootCause: top('cache', 'dependency-failure') })], T0 + 60 * S);
    assert.equal(t.next(T0 + 100 * S).action, 'wait');
    assert.equal(t.next(T0 + 120 * S).action, 'clear');
  });

  void it('clears when the fault time is over even if the root cause never turned right', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    t.observe([incident('3', 10, { topRootCause: top('cart', 'bad-deploy') })], T0 + 599 * S);
    assert.equal(t.next(T0 + 599 * S).action, 'wait');
    assert.deepEqual(t.next(T0 + 600 * S), { action: 'clear', reason: 'the fault ran its 600 s' });
  });

  void it('gives up after the detection limit without an incident about the fault, and then ends at once', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    // An incident on services the fault does not touch is a false incident, not a detection.
    const news = t.observe([incident('4', 30, { services: ['email'] })], T0 + 300 * S);
    assert.deepEqual(
      news.map((n) => n.kind === 'opened' && n.related),
      [false],
    );
    assert.deepEqual(t.next(T0 + 300 * S), { action: 'clear', reason: 'no incident within 300 s' });
    t.markCleared(T0 + 301 * S);
    assert.equal(t.next(T0 + 305 * S).action, 'finish');
    assert.deepEqual(
      t.incidents().map((i) => i.id),
      ['4'],
    );
  });

  void it('after clearing, waits for every incident about the fault to resolve, and reports each once', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    t.observe([incident('5', 10), incident('6', 15, { services: ['catalog'] })], T0 + 20 * S);
    t.markCleared(T0 + 120 * S);
    const first = t.observe([incident('5', 10, { status: 'resolved', resolvedAt: new Date(T0 + 200 * S).toISOString() }), incident('6', 15)], T0 + 200 * S);
    assert.deepEqual(
      first.map((n) => `${n.kind} ${n.incident.id}`),
      ['resolved 5'],
    );
    assert.equal(t.next(T0 + 200 * S).action, 'wait');
    const both = [incident('5', 10, { status: 'resolved' }), incident('6', 15, { status: 'resolved' })];
    assert.deepEqual(
      t.observe(both, T0 + 210 * S).map((n) => `${n.kind} ${n.incident.id}`),
      ['resolved 6'],
    );
    assert.deepEqual(t.observe(both, T0 + 215 * S), []);
    assert.deepEqual(t.next(T0 + 215 * S), { action: 'finish', reason: 'all-clear' });
  });

  void it('stops waiting for the all-clear after its limit', () => {
    const t = new LiveDrillTracker(cacheOutage, plan, T0, []);
    t.observe([incident('5', 10)], T0 + 20 * S);
    t.markCleared(T0 + 100 * S);
    assert.equal(t.next(T0 + 999 * S).action, 'wait');
    assert.deepEqual(t.next(T0 + 1000 * S), { action: 'finish', reason: 'no all-clear within 900 s of clearing' });
  });
});
