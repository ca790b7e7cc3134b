// The process logger's redaction: a logged channel config or PagerDuty event never writes its
// credential (routing key, GenieKey, webhook URL, secret) to the log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger } from './logger.js';

test('channel credentials are redacted wherever a logged object carries them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-logger-'));
  try {
    const file = join(dir, 'vigil.log');
    const log = createLogger('info', file);
    const secrets = ['abcdefABCDEF0123456789abcdefABCD', 'eb243592-genie-key', 'https://hooks.slack.com/services/T/B/TOKEN', 'webhook-secret-0123456789'];
    log.info({ channel: { name: 'pager', type: 'pagerduty', routingKey: secrets[0] } }, 'a');
    log.info({ event: { routing_key: secrets[0], event_action: 'trigger' } }, 'b');
    log.info({ channel: { name: 'og', type: 'opsgenie', apiKey: secrets[1] } }, 'c');
    log.info({ channel: { name: 'team', type: 'webhook', url: secrets[2], secret: secrets[3] } }, 'd');
    const text = readFileSync(file, 'utf8');
    assert.equal(text.split('\n').filter(Boolean).length, 4);
    for (const s of secrets) assert.ok(!text.includes(s), `the log holds ${s}`);
    assert.match(text, /"name":"pager"/);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
});
