// The redactor on real record shapes: every default rule in every place a span, log or metric
// point can carry it; custom rules; stable email hashes; clean batches returned untouched.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TelemetryBatch } from '../ingest/index.js';
import type { LogRecord, MetricPoint, Span } from '../model/index.js';
import { blankLog, blankMetric, blankSpan } from '../model/testing/records.js';
import { redactionConfigSchema, type RedactionConfig } from './config.js';
import { Redactor } from './redactor.js';

const config = (over: Record<string, unknown> = {}): RedactionConfig => redactionConfigSchema.parse(over);
const identity = { service: 'checkout', serviceVersion: '1.0.0', environment: 'production' };

function span(over: Partial<Span> = {}): Span {
  return blankSpan({
    ...identity,
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    name: 'POST /login',
    startTimeMs: 1,
    durationMs: 2,
    scopeName: 'test',
    httpMethod: 'POST',
    httpRoute: '/login',
    httpStatusCode: 200,
    userId: 'u-1',
    resourceAttributes: { 'service.name': 'checkout' },
    attributes: { 'http.route': '/login' },
    ...over,
  });
}

function log(over: Partial<LogRecord> = {}): LogRecord {
  return blankLog({ ...identity, timeMs: 1, observedTimeMs: 1, severityNumber: 9, severityText: 'INFO', body: 'user logged in', scopeName: 'test', ...over });
}

function metric(over: Partial<MetricPoint> = {}): MetricPoint {
  return blankMetric({
    ...identity,
    name: 'http.server.request.duration',
    unit: 's',
    type: 'histogram',
    temporality: 'delta',
    timeMs: 1,
    attributes: { 'http.route': '/login' },
    count: 1,
    sum: 1,
    ...over,
  });
}

const batch = (b: Partial<TelemetryBatch>): TelemetryBatch => ({ spans: [], logs: [], metrics: [], ...b });
const secretsIn = (value: unknown): string[] =>
  ['hunter2', 'xyz123abc', 's3cr3t', 'sessionid=42', 'eyJhbGciOi'].filter((s) => JSON.stringify(value).includes(s));

describe('default rules', () => {
  const r = new Redactor(config());

  test('redact secret span, resource, event and link attributes whole, keeping harmless ones', () => {
    const s = span({
      resourceAttributes: { 'service.name': 'checkout', 'db.password': 'hunter2' },
      attributes: {
        'http.request.header.authorization': 'Bearer xyz123abc',
        'http.request.header.cookie': 'sessionid=42',
        'gen_ai.usage.input_tokens': '812',
        'http.route': '/login',
      },
      events: [{ timeMs: 1, name: 'login', attributes: { api_key: 's3cr3t', step: 'verify' } }],
      links: [{ traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), attributes: { access_token: 'xyz123abc' } }],
    });
    const out = r.redactBatch(batch({ spans: [s] })).spans[0]!;
    assert.deepEqual(secretsIn(out), []);
    assert.equal(out.attributes['http.request.header.authorization'], '[REDACTED]');
    assert.equal(out.attributes['gen_ai.usage.input_tokens'], '812');
    assert.equal(out.resourceAttributes['service.name'], 'checkout');
    assert.equal(out.events[0]!.attributes.step, 'verify');
    assert.deepEqual(secretsIn(s), ['hunter2', 'xyz123abc', 's3cr3t', 'sessionid=42'], "the caller's span is not modified");
  });

  test('redact only the secret part of bodies, messages, SQL and URLs', () => {
    const cases: Array<[string, string]> = [
      ['login failed for bob password=hunter2 retry=1', 'login failed for bob password=[REDACTED] retry=1'],
      ['{"user":"bob","password":"hunter2","n":1}', '{"user":"bob","password":"[REDACTED]","n":1}'],
      ["{'client_secret': 's3cr3t'}", "{'client_secret': '[REDACTED]'}"],
      ['GET /cb?code=1&access_token=xyz123abc&state=2', 'GET /cb?code=1&access_token=[REDACTED]&state=2'],
      ['authorization: Basic Ym9iOmh1bnRlcjI=', 'authorization: [REDACTED]'],
      ['Cookie: sessionid=42; theme=dark', 'Cookie: [REDACTED]'],
      ['calling with Bearer xyz123abcdef', 'calling with Bearer [REDACTED]'],
      ['postgres://app:hunter2@db.internal:5432/shop', 'postgres://app:[REDACTED]@db.internal:5432/shop'],
      ["ALTER USER app WITH PASSWORD 'hunter2'", "ALTER USER app WITH PASSWORD '[REDACTED]'"],
      ["CREATE USER app IDENTIFIED BY 'hunter2'", "CREATE USER app IDENTIFIED BY '[REDACTED]'"],
      ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-1 rejected', 'token [REDACTED] rejected'],
      ['used tokens=812 of 4096, tokens_used: 3', 'used tokens=812 of 4096, tokens_used: 3'],
    ];
    for (const [input, expected] of cases) assert.equal(r.redactText(input), expected, input);
  });

  test('reach log bodies, log attributes, exception fields, status messages and span names', () => {
    const out = r.redactBatch(
      batch({
        spans: [
          span({
            name: 'GET /reset?password=hunter2',
            statusMessage: 'bad password=hunter2',
            exceptionMessage: 'auth failed: password=hunter2',
            exceptionStacktrace: 'Error: password=hunter2\n  at x',
            events: [{ timeMs: 1, name: 'exception', attributes: { 'exception.message': 'auth failed: password=hunter2' } }],
          }),
        ],
        logs: [
          log({
            body: 'connecting password=hunter2',
            attributes: { 'http.request.header.authorization': 'Bearer xyz123abc', 'db.query.text': "SET PASSWORD 's3cr3t'" },
            exceptionMessage: 'password=hunter2',
            resourceAttributes: { api_key: 's3cr3t' },
          }),
        ],
      }),
    );
    assert.deepEqual(secretsIn(out), []);
    assert.equal(out.logs[0]!.body, 'connecting password=[REDACTED]');
    assert.equal(out.spans[0]!.name, 'GET /reset?password=[REDACTED]');
    assert.equal(out.spans[0]!.events[0]!.attributes['exception.message'], 'auth failed: password=[REDACTED]');
  });

  test('reach metric point and resource attributes', () => {
    const out = r.redactBatch(
      batch({
        metrics: [metric({ attributes: { 'http.route': '/login', api_key: 's3cr3t' }, resourceAttributes: { 'host.name': 'h1', 'db.password': 'hunter2' } })],
      }),
    );
    assert.deepEqual(secretsIn(out), []);
    assert.equal(out.metrics[0]!.attributes['http.route'], '/login');
  });

  test('return a clean batch as the very same objects', () => {
    const b = batch({ spans: [span(), span()], logs: [log()], metrics: [metric()] });
    const out = r.redactBatch(b);
    assert.equal(out, b);
    // A changed record is copied; its clean neighbours and shared maps are kept by reference.
    const dirty = batch({ spans: [span(), span({ statusMessage: 'password=hunter2' })] });
    const res = r.redactBatch(dirty);
    assert.notEqual(res.spans, dirty.spans);
    assert.equal(res.spans[0], dirty.spans[0]);
    assert.equal(res.spans[1]!.attributes, dirty.spans[1]!.attributes);
  });

  test('remember recent values per key without mixing up their results', () => {
    const fresh = (text: string): string => [...text].join(''); // a new string, as each decoded request brings
    const sequence = [
      'a=1',
      'password=hunter2',
      'b=2',
      'c=3',
      'd=4',
      'e=5',
      'password=hunter2',
      'a=1',
      'x'.repeat(300) + ' password=hunter2',
      'x'.repeat(300) + ' password=hunter2',
    ];
    for (let round = 0; round < 3; round++) {
      for (const value of sequence) {
        const out = r.redactAttribute('url.query', fresh(value));
        assert.equal(out, value.replace('hunter2', '[REDACTED]'), value);
        assert.equal(r.redactBatch(batch({ spans: [span({ name: fresh(value) })] })).spans[0]!.name, value.replace('hunter2', '[REDACTED]'));
      }
    }
  });

  test('redact a resource map shared by many records once, and consistently', () => {
    const shared = { 'service.name': 'checkout', 'db.password': 'hunter2' };
    const out = r.redactBatch(
      batch({ spans: [span({ resourceAttributes: shared }), span({ resourceAttributes: shared })], logs: [log({ resourceAttributes: shared })] }),
    );
    assert.equal(out.spans[0]!.resourceAttributes, out.spans[1]!.resourceAttributes);
    assert.equal(out.logs[0]!.resourceAttributes['db.password'], '[REDACTED]');
  });
});

describe('configuration', () => {
  test('custom keys and patterns apply, with groups in the replacement', () => {
    const r = new Redactor(
      config({
        keys: ['ssn'],
        patterns: [
          { name: 'card', regex: '\\b(\\d{4})[ -]?\\d{4}[ -]?\\d{4}[ -]?(\\d{4})\\b', replacement: '$1-****-****-$2' },
          { name: 'iban', regex: 'de\\d{20}', ignoreCase: true },
        ],
      }),
    );
    const out = r.redactBatch(
      batch({ logs: [log({ body: 'paid with 4111 1111 1111 1234 from DE89370400440532013000', attributes: { 'customer.ssn': '123-45-6789' } })] }),
    ).logs[0]!;
    assert.equal(out.body, 'paid with 4111-****-****-1234 from [REDACTED]');
    assert.equal(out.attributes['customer.ssn'], '[REDACTED]');
  });

  test('defaults: false keeps only the custom rules; enabled: false stores everything as sent', () => {
    const onlyCustom = new Redactor(config({ defaults: false, keys: ['ssn'] }));
    assert.equal(onlyCustom.redactText('password=hunter2'), 'password=hunter2');
    assert.equal(onlyCustom.redactAttribute('ssn', '1'), '[REDACTED]');
    const off = new Redactor(config({ enabled: false, keys: ['ssn'], hashEmails: true }));
    assert.equal(off.noop, true);
    const b = batch({ logs: [log({ body: 'password=hunter2' })] });
    assert.equal(off.redactBatch(b), b);
  });

  test('hashEmails replaces each address by a stable keyed hash, user ids included', () => {
    const salt = 'a-salt-of-sixteen-chars';
    const r = new Redactor(config({ hashEmails: true }), { emailSalt: salt });
    const hashed = r.redactText('Ann@Example.com');
    assert.match(hashed, /^email:[0-9a-f]{16}$/);
    assert.equal(new Redactor(config({ hashEmails: true }), { emailSalt: salt }).redactText('ann@example.com'), hashed, 'same salt, any case: same hash');
    assert.notEqual(new Redactor(config({ hashEmails: true }), { emailSalt: 'another-salt-16-chars' }).redactText('ann@example.com'), hashed);
    const out = r.redactBatch(
      batch({
        spans: [span({ userId: 'ann@example.com', attributes: { 'enduser.id': 'ann@example.com', 'user.id': 'ann@example.com' } })],
        logs: [log({ body: 'mail sent to ann@example.com and bob@example.org' })],
      }),
    );
    const s = out.spans[0]!;
    assert.deepEqual([s.userId, s.attributes['enduser.id'], s.attributes['user.id']], [hashed, hashed, hashed]);
    assert.match(out.logs[0]!.body, /^mail sent to email:[0-9a-f]{16} and email:[0-9a-f]{16}$/);
    assert.equal(new Redactor(config()).redactText('ann@example.com'), 'ann@example.com', 'off by default');
  });

  test('a custom secret key on the user attribute redacts the lifted user id too', () => {
    const r = new Redactor(config({ keys: ['enduser.id'] }));
    assert.equal(r.redactBatch(batch({ spans: [span({ userId: 'u-9', attributes: { 'enduser.id': 'u-9' } })] })).spans[0]!.userId, '[REDACTED]');
  });
});
