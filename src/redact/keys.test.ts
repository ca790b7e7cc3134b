// Which attribute keys count as secret: the default words, header attributes, custom keys, and the
// harmless keys that merely contain a secret word (token counts) and must stay readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyWords, SecretKeyMatcher } from './keys.js';

test('splits keys into lowercase words at separators and camelCase', () => {
  assert.deepEqual(keyWords('http.request.header.X-Api-Key'), ['http', 'request', 'header', 'x', 'api', 'key']);
  assert.deepEqual(keyWords('passwordHash'), ['password', 'hash']);
  assert.deepEqual(keyWords('APIKey'), ['api', 'key']);
  assert.deepEqual(keyWords('gen_ai.usage.input_tokens'), ['gen', 'ai', 'usage', 'input', 'tokens']);
});

const defaultRuleCases = [
  {
    name: 'the default rules catch credentials, header attributes and key-like names in any case',
    secret: true,
    keys: [
      'authorization',
      'Authorization',
      'cookie',
      'set-cookie',
      'http.request.header.authorization',
      'http.request.header.cookie',
      'http.response.header.set-cookie',
      'http.request.header.proxy-authorization',
      'password',
      'db.password',
      'DB_PASSWORD',
      'user.passwordHash',
      'passwd',
      'client_secret',
      'aws.secret.access.key',
      'api_key',
      'apiKey',
      'x-api-key',
      'APIKEY',
      'access_token',
      'auth-token',
      'session.token',
      'csrfToken',
      'private_key',
    ],
  },
  {
    name: 'harmless keys that contain a secret word stay readable',
    secret: false,
    keys: [
      'tokens_used',
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.output_tokens',
      'llm.token_count.prompt',
      'token_type',
      'http.route',
      'enduser.id',
      'passwordless_login',
      'cookies_enabled',
      'db.query.text',
      'keyboard.layout',
      'monkey',
      'api.version',
      'session.id',
    ],
  },
];

for (const { name, secret, keys } of defaultRuleCases)
  test(name, () => {
    const matcher = new SecretKeyMatcher(true, []);
    for (const key of keys) assert.equal(matcher.isSecret(key), secret, key);
  });

test('custom keys match their words in a row, defaults can be switched off', () => {
  const keys = new SecretKeyMatcher(false, ['ssn', 'credit_card']);
  assert.equal(keys.isSecret('customer.ssn'), true);
  assert.equal(keys.isSecret('payment.creditCard.number'), true);
  assert.equal(keys.isSecret('credit.limit'), false);
  assert.equal(keys.isSecret('password'), false, 'defaults off');
  assert.equal(new SecretKeyMatcher(false, []).empty, true);
});
