// The log's two formats: readable lines on a terminal (or --log-format text), JSON lines otherwise
// (or --log-format json); redaction holds in both; the incident lines an operator reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident, IncidentUpdate } from './incidents/index.js';
import { formatLogLine } from './log-text.js';
import { createLogger, type LogFormat } from './logger.js';
import { incidentLogRecord, logIncidentUpdates } from './pipeline/incident-log.js';

function capture(format: LogFormat, isTTY: boolean): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const out = { isTTY, write: (text: string) => lines.push(text) };
  return { lines, log: createLogger('info', undefined, format, out) };
}

describe('log format', () => {
  it('auto: text lines on a terminal, JSON lines when the output is not one', () => {
    const tty = capture('auto', true);
    tty.log.info({ port: 8080 }, 'listening');
    assert.match(tty.lines[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}listening {2}port=8080\n$/);
    const pipe = capture('auto', false);
    pipe.log.info({ port: 8080 }, 'listening');
    const record = JSON.parse(pipe.lines[0] ?? '') as Record<string, unknown>;
    assert.equal(record.msg, 'listening');
    assert.equal(record.port, 8080);
    assert.equal(record.level, 30);
  });

  it('text and json force their format whatever the output is', () => {
    const text = capture('text', false);
    text.log.warn('disk slow');
    assert.match(text.lines[0] ?? '', / WARN {2}disk slow\n$/);
    const json = capture('json', true);
    json.log.warn('disk slow');
    assert.equal((JSON.parse(json.lines[0] ?? '') as { msg: string }).msg, 'disk slow');
  });

  it('the level filters both formats, and secrets are redacted before either is written', () => {
    for (const format of ['text', 'json'] as const) {
      const c = capture(format, false);
      c.log.debug('hidden');
      c.log.info({ channel: { name: 'pager', routingKey: 'R0UTING-KEY-0123456789' } }, 'channel ready');
      assert.equal(c.lines.length, 1, format);
      assert.ok(!c.lines[0]?.includes('R0UTING-KEY'), `${format}: ${c.lines[0]}`);
      assert.match(c.lines[0] ?? '', /\[redacted\]/);
    }
  });

  it('text: plain words bare, others quoted or JSON, an error with its message on the line and its stack below', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 50,
        time: Date.UTC(2026, 11, 6, 4, 30, 12, 123),
        app: 'vigil',
        msg: 'insert failed',
        table: 'spans',
        rows: 12,
        note: 'two words',
        tags: ['a'],
        err: { type: 'Error', message: 'socket hang up', stack: 'Error: socket hang up\n    at insert (store.js:1:1)' },
      }),
    );
    assert.equal(
      line,
      '2026-12-06T04:30:12.123Z ERROR insert failed  table=spans rows=12 note="two words" tags=["a"] err="Error: socket hang up"\n    at insert (store.js:1:1)\n',
    );
    assert.equal(formatLogLine('not json'), 'not json\n');
  });
});

function update(event: IncidentUpdate['event'], over: Partial<Incident> = {}, actor?: string): IncidentUpdate {
  const incident = {
    id: '7',
    title: 'checkout errors',
    status: 'triggered',
    severity: 'high',
    severityReason: '15% of checkout fails',
    services: ['payment', 'checkout'],
    ...over,
  } as Incident;
  return { incident, event, newTimeline: [{ atMs: 0, kind: 'state', text: event, ...(actor ? { actor } : {}) }] };
}

describe('incident log lines', () => {
  it('one info line when an incident opens, reopens, changes severity or resolves; none for signals or notes', () => {
    assert.deepEqual(incidentLogRecord(update('opened')), {
      msg: 'incident opened',
      fields: { incident: '7', severity: 'high', status: 'triggered', services: 'payment,checkout', title: 'checkout errors', reason: '15% of checkout fails' },
    });
    assert.equal(incidentLogRecord(update('reopened'))?.msg, 'incident reopened');
    assert.equal(incidentLogRecord(update('severity-changed', { severity: 'critical' }))?.fields.severity, 'critical');
    const resolved = incidentLogRecord(update('resolved', { status: 'resolved' }, 'ann'));
    assert.equal(resolved?.msg, 'incident resolved');
    assert.equal(resolved?.fields.actor, 'ann');
    assert.equal(resolved?.fields.reason, undefined);
    for (const quiet of ['signal-added', 'note', 'notification', 'root-cause'] as const) assert.equal(incidentLogRecord(update(quiet)), undefined, quiet);
  });

  it('reach the log as readable lines on a terminal', () => {
    const c = capture('text', true);
    logIncidentUpdates(c.log, [update('signal-added'), update('opened'), update('resolved', { status: 'resolved' })]);
    assert.equal(c.lines.length, 2);
    assert.match(
      c.lines[0] ?? '',
      / INFO {2}incident opened {2}incident=7 severity=high status=triggered services=payment,checkout title="checkout errors" reason="15% of checkout fails"\n$/,
    );
    assert.match(c.lines[1] ?? '', / INFO {2}incident resolved {2}incident=7 /);
  });
});
