// The shared contract of ContextQueries: one small hand-written dataset and the answers every
// implementation (in-memory, ClickHouse) must give. Call it from each implementation's test file.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChangeEvent, LogRecord, Span } from '../../model/index.js';
import { blankLog, blankSpan, changeAt } from '../../model/testing/records.js';
import type { ContextData } from '../memory.js';
import type { ContextQueries } from '../types.js';

/** 2026-01-01T12:00:00Z; the data sits in [t, t + 10 min), the onset at t + 5 min. */
export const contractT = 1_767_268_800_000;
const t = contractT;
const min = 60_000;
const range = { fromMs: t, toMs: t + 10 * min };
const onsetMs = t + 5 * min;

let spanSeq = 0;
function span(traceId: string, service: string, fields: Partial<Span>): Span {
  spanSeq += 1;
  return blankSpan({
    service,
    serviceVersion: 'v1',
    environment: 'production',
    traceId: traceId.padStart(32, '0'),
    spanId: spanSeq.toString(16).padStart(16, '0'),
    name: 'op',
    startTimeMs: t,
    durationMs: 10,
    scopeName: 'contract',
    httpStatusCode: 200,
    ...fields,
  });
}

function log(service: string, timeMs: number, severityNumber: number, body: string): LogRecord {
  return blankLog({
    service,
    serviceVersion: 'v1',
    environment: 'production',
    timeMs,
    observedTimeMs: timeMs,
    severityNumber,
    severityText: severityNumber >= 17 ? 'ERROR' : 'INFO',
    body,
    scopeName: 'contract',
  });
}

function change(id: string, service: string, timeMs: number): ChangeEvent {
  return changeAt({ id, service, timeMs, version: id });
}

const get = (service: string, trace: string, at: number, ms: number, user: string, extra: Partial<Span> = {}): Span =>
  span(trace, service, { name: 'GET /x', httpMethod: 'GET', httpRoute: '/x', startTimeMs: t + at, durationMs: ms, userId: user, ...extra });
const post = (trace: string, at: number, ms: number, extra: Partial<Span> = {}): Span =>
  span(trace, 'b', { name: 'POST /y', httpMethod: 'POST', httpRoute: '/y', startTimeMs: t + at, durationMs: ms, serviceVersion: 'v2', ...extra });
const timeout = (ms: number): Partial<Span> => ({
  statusCode: 'error',
  statusMessage: `db timeout after ${ms} ms`,
  exceptionType: 'TimeoutError',
  exceptionMessage: `db timeout after ${ms} ms`,
});

/**
 * a (entry) calls b. Traces 2 and 5 fail in both (5 also slow), trace 6 fails only in b, trace 3
 * is slow and successful, trace 4 is outside the range.
 */
export function contractData(): ContextData {
  const failed = { statusCode: 'error' as const, httpStatusCode: 502, statusMessage: 'upstream failed' };
  const spans: Span[] = [
    get('a', '1', 6 * min, 100, 'u1'),
    post('1', 6 * min + 5, 50),
    get('a', '2', 6 * min + 1000, 300, 'u2', failed),
    post('2', 6 * min + 1005, 250, { httpStatusCode: 500, ...timeout(5000) }),
    get('a', '3', 7 * min, 900, 'u3'),
    post('3', 7 * min + 5, 850),
    get('a', '4', -min, 80, 'u4'),
    get('a', '5', 8 * min, 5010, 'u2', failed),
    post('5', 8 * min + 5, 5001, { httpStatusCode: 500, ...timeout(5001) }),
    get('a', '6', 9 * min, 50, 'u5'),
    post('6', 9 * min + 5, 40, { httpStatusCode: 500, ...timeout(40) }),
  ];
  const logs: LogRecord[] = [
    log('b', t + min, 9, 'job started id=1'),
    log('b', t + 6 * min, 9, 'job started id=2'),
    log('b', t + 6 * min + 1000, 17, 'boom 17'),
    log('b', t + 8 * min, 17, 'boom 18'),
    log('c', t + 6 * min, 17, 'other service'),
  ];
  const changes = [change('b-in', 'b', t + 2 * min), change('c-in', 'c', t + 2 * min), change('b-out', 'b', t - 30 * min)];
  return { spans, logs, changes };
}

export function contextQueriesContract(name: string, make: (data: ContextData) => Promise<ContextQueries>): void {
  void describe(`ContextQueries contract: ${name}`, () => {
    let queries: ContextQueries;
    const q = async (): Promise<ContextQueries> => (queries ??= await make(contractData()));

    void test('endpoint stats count server requests, errors (error status or 5xx) and p95, busiest first', async () => {
      const stats = await (await q()).endpointStats({ services: ['a', 'b'], ...range, limit: 10 });
      assert.deepEqual(stats.map((s) => [s.service, s.method, s.route, s.requests, s.errors]).sort(), [
        ['a', 'GET', '/x', 5, 2],
        ['b', 'POST', '/y', 5, 3],
      ]);
      // Exact or interpolated quantiles both land in the top sample's interval.
      const a = stats.find((s) => s.service === 'a')!;
      assert.ok(a.p95Ms >= 900 && a.p95Ms <= 5010, `p95 ${a.p95Ms}`);
      assert.equal((await (await q()).endpointStats({ services: ['a', 'b'], ...range, limit: 1 })).length, 1);
    });

    void test('error groups merge messages that differ only in numbers and keep the exception type', async () => {
      const groups = await (await q()).errorGroups({ services: ['b'], ...range, limit: 10 });
      assert.equal(groups.length, 1);
      const g = groups[0]!;
      assert.equal(g.fingerprint, 'TimeoutError: db timeout after <num> ms');
      assert.equal(g.exceptionType, 'TimeoutError');
      assert.equal(g.count, 3);
      assert.equal(g.firstSeenVersion, 'v2');
      assert.equal(g.firstSeenMs, t + 6 * min + 1005);
      assert.ok(['2', '5', '6'].includes(g.sampleTraceId.replace(/^0+/, '')));
    });

    void test('example traces: failing, slow and successful, healthy and error-free', async () => {
      const ids = async (kind: 'failing' | 'slow' | 'healthy', extra: { minDurationMs?: number; maxDurationMs?: number } = {}): Promise<string[]> =>
        (await (await q()).exampleTraces({ services: ['a', 'b'], ...range, kind, limit: 5, ...extra })).map((e) => e.traceId.replace(/^0+/, ''));
      assert.deepEqual(await ids('failing'), ['2', '5', '6']);
      assert.deepEqual(await ids('slow', { minDurationMs: 500 }), ['3']);
      assert.deepEqual(await ids('healthy', { maxDurationMs: 200 }), ['1']);
    });

    void test('affected users are those on traces failing in the services, out of all users through them', async () => {
      const users = await (await q()).affectedUsers({ services: ['b'], ...range, limit: 10, userAttribute: 'enduser.id' });
      assert.deepEqual({ ...users, sample: [...users.sample].sort() }, { affected: 2, total: 4, sample: ['u2', 'u5'] });
    });

    void test('entry traffic counts requests, failures and successful slow ones', async () => {
      const entry = { services: ['a'], ...range, slowMs: 500, usual: [], minRequests: 3, limit: 5 };
      assert.deepEqual(await (await q()).entryTraffic(entry), { requests: 5, failed: 2, slow: 1, slowed: 0, slowedEndpoints: [] });
    });

    void test('entry traffic judges each endpoint by its own usual p95: slow beyond twice it, slowed when half its successes exceed it', async () => {
      // GET /x after the onset: 100, 900 and 50 ms succeed, 300 and 5,010 ms fail.
      const entry = (p95Ms: number, minRequests = 3) =>
        q().then((x) =>
          x.entryTraffic({ services: ['a'], ...range, slowMs: 10_000, usual: [{ service: 'a', method: 'GET', route: '/x', p95Ms }], minRequests, limit: 5 }),
        );
      assert.deepEqual(await entry(40), { requests: 5, failed: 2, slow: 2, slowed: 5, slowedEndpoints: ['GET /x'] });
      assert.deepEqual(await entry(90), { requests: 5, failed: 2, slow: 1, slowed: 5, slowedEndpoints: ['GET /x'] });
      assert.deepEqual(await entry(90, 4), { requests: 5, failed: 2, slow: 1, slowed: 0, slowedEndpoints: [] }, 'too few successful requests to judge');
      assert.deepEqual(await entry(400), { requests: 5, failed: 2, slow: 1, slowed: 0, slowedEndpoints: [] }, 'one of three beyond the usual p95');
    });

    void test('log templates count lines before and after the onset', async () => {
      const templates = await (await q()).logTemplates({ services: ['b'], ...range, onsetMs, limit: 10 });
      const byTemplate = Object.fromEntries(templates.map((x) => [x.template, [x.before, x.after, x.maxSeverity]]));
      assert.deepEqual(byTemplate, { 'job started id=<num>': [1, 1, 9], 'boom <num>': [0, 2, 17] });
      assert.match(templates.find((x) => x.template === 'boom <num>')!.sample.body, /^boom 1[78]$/);
    });

    void test('changes are those of the services in the range, oldest first', async () => {
      const changes = await (await q()).changes({ services: ['b'], ...range, limit: 10 });
      assert.deepEqual(
        changes.map((c) => c.id),
        ['b-in'],
      );
    });
  });
}
