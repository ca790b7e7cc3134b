// The pre-check must let through every value a default rule would change (else a secret is
// stored), and should stop the harmless values ingest is made of (else it buys no speed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayHoldDefaultSecret } from './trigger.js';
import { applyValueRules, DEFAULT_VALUE_RULES } from './values.js';

const words = [
  'password',
  'PASSWORD',
  'Password',
  'passwd',
  'pwd',
  'db_password',
  'secret',
  'client_secret',
  'Secret',
  'token',
  'access_token',
  'TOKEN',
  'api_key',
  'API-KEY',
  'apikey',
  'apiKey',
  'private_key',
  'privateKey',
  'authorization',
  'Authorization',
  'proxy-authorization',
  'cookie',
  'Set-Cookie',
  'COOKIE',
];
const separators = ['=', ': ', ':', ' = ', '\t:\t', '": "', '":"', "': '", "'='", '   =   '];
const values = ['hunter2', '"hunter 2"', "'hunter2'", 'Basic Ym9iOmh1bnRlcjI=', 'a'];

function examples(): string[] {
  const out: string[] = [];
  for (const w of words) for (const sep of separators) for (const v of values) out.push(`${w}${sep}${v}`, `x ${w}${sep}${v} y`, `{"${w}${sep}${v}}`);
  out.push(
    'calling with Bearer xyz123abcdef',
    'bearer abcdefghijkl',
    'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_DEF-1',
    'postgres://app:hunter2@db.internal:5432/shop',
    'redis://:hunter2@cache:6379',
    "ALTER USER app WITH PASSWORD 'hunter2'",
    'alter user app password "hunter2"',
    "CREATE USER app IDENTIFIED BY 'hunter2'",
    "create user app identified\tby\t'x'",
    'GET /cb?code=1&access_token=xyz123abc&state=2',
    'pwd=x',
    "by 'x'",
  );
  return out;
}

test('every value a default rule changes passes the pre-check', () => {
  let changed = 0;
  for (const text of examples()) {
    if (applyValueRules(DEFAULT_VALUE_RULES, text) === text) continue;
    changed++;
    assert.equal(mayHoldDefaultSecret(text), true, text);
  }
  assert.ok(changed > 1000, `the examples exercise the rules (${changed} changed)`);
  assert.equal(applyValueRules(DEFAULT_VALUE_RULES, 'pwd=x'), 'pwd=[REDACTED]', 'the shortest text a rule changes is MIN_SECRET_LENGTH long');
});

test('harmless values stop at the pre-check', () => {
  for (const text of [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    'https://shop.example.com/api/products/12?ref=home&page=3',
    "SELECT id, total FROM orders WHERE customer_id = $1 AND status = 'paid' ORDER BY created_at DESC",
    'order 1234 placed by user-12 total=45.10 items=3 shipping=standard',
    'used tokens=812 of 4096, tokens_used: 3',
    'payment 17 failed: connection timeout after 30000 ms',
    '2026-12-06T01:02:03Z',
    'application/json',
    '200',
    '',
  ]) {
    assert.equal(mayHoldDefaultSecret(text), false, text);
    assert.equal(applyValueRules(DEFAULT_VALUE_RULES, text), text);
  }
});
