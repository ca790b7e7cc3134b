// Drill scoring, shared by replay and live drills: which incidents belong to the fault, time to a
// correct top root cause read from the timeline, context completeness, and the whole result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentContext } from '../context/index.js';
import { getFault } from '../sim/index.js';
import { contextCompleteness, partitionIncidents, scoreDrill, timeToRootCause, triggeredAt } from './drill-score.js';
import type { IncidentDetail, IncidentListItem } from './drill-score.js';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const S = 1000;
const iso = (s: number): string => new Date(T0 + s * S).toISOString();
const newException = getFault('new-exception-deploy'); // truth: cart bad-deploy, arrives with a cart deploy

function item(id: string, atS: number, services: string[], more: Partial<IncidentListItem> = {}): IncidentListItem {
  return { id, title: `incident ${id}`, severity: 'high', status: 'triggered', services, detectedAt: iso(atS), startedAt: iso(atS), ...more };
}

function context(more: Partial<IncidentContext> = {}): IncidentContext {
  const range = { fromMs: T0, toMs: T0 + 60 * S };
  return {
    assembledAtMs: T0,
    onsetMs: T0,
    before: range,
    after: range,
    affectedEndpoints: [
      {
        service: 'cart',
        endpoint: 'POST /cart/items',
        before: { requests: 10, errorRate: 0, p95Ms: 20 },
        after: { requests: 10, errorRate: 0.3, p95Ms: 20 },
        summary: 'errors 0% → 30%',
      },
    ],
    errorGroups: [
      {
        service: 'cart',
        fingerprint: 'TypeError: …',
        exceptionType: 'TypeError',
        message: 'Cannot read properties',
        count: 3,
        sampleTraceId: 'a',
        firstSeenVersion: '1.1.0',
        firstSeenMs: T0,
      },
    ],
    exampleTraces: [
      { traceId: 'a', kind: 'failing', service: 'cart', endpoint: 'POST /cart/items', durationMs: 30, startTimeMs: T0, label: 'failing', url: '/x' },
    ],
    logs: [],
    changes: [
      {
        id: 'c1',
        service: 'cart',
        kind: 'deploy',
        timeMs: T0,
        version: '1.1.0',
        previousVersion: '1.0.0',
        environment: 'demo',
        commit: '',
        description: 'gift wrap',
        attributes: {},
        source: 'api',
      },
    ],
    affectedUsers: { count: 3, total: 30, percent: 10, sample: [] },
    entry: { services: ['frontend'], requests: 100, failed: 5, slow: 0, slowThresholdMs: 1000 },
    links: { traces: ['/t'], logs: ['/l'], metrics: ['/m'] },
    ...more,
  };
}

void describe('drill scoring', () => {
  void it('counts incidents on the fault’s services opened between onset and 5 minutes after clearing as the fault’s, oldest first', () => {
    const incidents = [item('3', 200, ['frontend']), item('2', 30, ['cart']), item('1', -10, ['cart']), item('4', 30, ['email']), item('5', 900, ['cart'])];
    const { related, others } = partitionIncidents(newException, incidents, { onsetMs: T0, clearMs: T0 + 300 * S });
    assert.deepEqual(
      related.map((i) => i.id),
      ['2', '3'],
    );
    assert.deepEqual(
      others.map((i) => i.id),
      ['1', '4', '5'],
    );
  });

  void it('takes the time to a correct top root cause from the first root-cause timeline entry naming the truth', () => {
    const detail: IncidentDetail = {
      ...item('2', 30, ['cart']),
      timeline: [
        { at: iso(30), kind: 'state', text: 'opened' },
        { at: iso(31), kind: 'root-cause', text: '…', data: { service: 'cart', rootCauseKind: 'code-error', score: 0.5 } },
        { at: iso(75), kind: 'root-cause', text: '…', data: { service: 'cart', rootCauseKind: 'bad-deploy', score: 0.9 } },
        { at: iso(90), kind: 'root-cause', text: '…', data: { service: 'cart', rootCauseKind: 'bad-deploy', score: 0.9 } },
      ],
    };
    assert.equal(timeToRootCause(detail, newException.truth, T0), 75 * S);
    assert.equal(timeToRootCause({ ...detail, timeline: detail.timeline?.slice(0, 2) }, newException.truth, T0), undefined);
  });

  void it('counts a right top root cause a reopened incident carries from its first episode as right from the reopening', () => {
    const detail: IncidentDetail = {
      ...item('1', 40, ['cart']),
      timeline: [
        { at: iso(-900), kind: 'state', text: 'Opened: …', data: { status: 'triggered' } },
        { at: iso(-899), kind: 'root-cause', text: '…', data: { service: 'cart', rootCauseKind: 'bad-deploy' } },
        { at: iso(-300), kind: 'state', text: 'All clear: …', data: { status: 'resolved', allClear: true } },
        { at: iso(40), kind: 'state', text: 'Reopened: …', data: { status: 'triggered' } },
        { at: iso(50), kind: 'root-cause', text: '…', data: { service: 'cache', rootCauseKind: 'saturation' } },
      ],
    };
    assert.equal(triggeredAt(detail, T0), T0 + 40 * S);
    assert.equal(timeToRootCause(detail, newException.truth, T0), 40 * S);
    assert.equal(timeToRootCause(detail, getFault('cache-outage').truth, T0), undefined, 'cache saturation is not the cache outage’s dependency-failure');
  });

  void it('measures context completeness over the sections the incident’s signals and the fault call for', () => {
    const base: IncidentDetail = { ...item('2', 30, ['cart']), signals: [{ kind: 'new-exception', status: 'firing' }] };
    // new-exception is an error and a log signal: endpoints, traces, traffic, links, error groups, logs, changes.
    const full = contextCompleteness({ ...base, context: context() }, newException);
    assert.deepEqual(full.missing, ['logs']);
    assert.equal(full.completeness, 6 / 7);
    const bare = contextCompleteness({ ...base, context: context({ exampleTraces: [], changes: [] }) }, newException);
    assert.deepEqual(bare.missing, ['example traces', 'logs', 'changes']);
    const none = contextCompleteness({ ...base, context: null }, newException);
    assert.equal(none.completeness, 0);
    // Latency only: no error or log sections are expected.
    const latency = contextCompleteness({ ...base, signals: [{ kind: 'latency', status: 'firing' }], context: context() }, getFault('cache-outage'));
    assert.deepEqual(latency, { completeness: 1, missing: [] });
  });

  void it('scores detection, root cause, severity, context, false incidents, duplicates and all-clear in one result', () => {
    const incidents = [item('2', 30, ['cart']), item('3', 60, ['cart']), item('4', 40, ['email'])];
    const primary: IncidentDetail = {
      ...item('2', 30, ['cart'], { status: 'resolved', resolvedAt: iso(700), severity: 'critical' }),
      rootCauses: [
        { service: 'cart', kind: 'bad-deploy', score: 0.9, explanation: '' },
        { service: 'cart', kind: 'code-error', score: 0.5, explanation: '' },
      ],
      timeline: [{ at: iso(45), kind: 'root-cause', text: '', data: { service: 'cart', rootCauseKind: 'bad-deploy' } }],
      signals: [{ kind: 'latency', status: 'recovered' }],
      context: context(),
    };
    const r = scoreDrill(newException, incidents, primary, { mode: 'live', onsetMs: T0, clearMs: T0 + 300 * S, spans: 0, wallMs: 800 * S });
    assert.deepEqual(r, {
      fault: 'new-exception-deploy',
      mode: 'live',
      truth: { rootService: 'cart', rootKind: 'bad-deploy' },
      detected: true,
      timeToDetectMs: 30 * S,
      timeToRootCauseMs: 45 * S,
      incidentTitle: 'incident 2',
      severity: 'critical',
      topRootCause: { service: 'cart', kind: 'bad-deploy' },
      rcaAt1: true,
      rcaAt3: true,
      contextCompleteness: 1,
      contextMissing: [],
      falseIncidents: 1,
      falseIncidentTitles: ['incident 4'],
      duplicates: 1,
      duplicateIncidents: ['incident 3 (opened 2026-11-30T12:01:00.000Z)'],
      timeToAllClearMs: 400 * S,
      spans: 0,
      replayWallMs: 800 * S,
    });
    const missed = scoreDrill(newException, [], undefined, { mode: 'replay', onsetMs: T0, clearMs: T0, spans: 5, wallMs: 1 });
    assert.equal(missed.detected, false);
    assert.equal(missed.timeToDetectMs, undefined);
  });
});
