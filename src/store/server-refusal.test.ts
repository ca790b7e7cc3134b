// Against a ClickHouse server (here a stand-in speaking its HTTP protocol): the WAL's bodies reach
// it as they were logged, with the range's token; a refused insert's error quotes the row, and the
// writer still classifies it by its code and quarantines it, no byte of the row reaching the
// console (the client's own logger) or Vigil's log.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeSpan } from '../../test/support/records.js';
import { createLogger } from '../logger.js';
import { openStore, type StoreClient } from './client.js';
import { TelemetryWriter } from './writer.js';

let server: Server;
let dir: string;
let inserts = 0;
/** When set, the stand-in takes inserts and records them instead of refusing them. */
let accepted: Array<{ query: string; token: string | null; body: string }> | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-server-refusal-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? body;
      if (!/^INSERT/i.test(query)) return void res.end('');
      inserts++;
      if (accepted) {
        accepted.push({ query, token: new URL(req.url ?? '/', 'http://x').searchParams.get('insert_deduplication_token'), body });
        return void res.end('');
      }
      // As a server words a parse error: the rejected text is quoted back.
      res.writeHead(500, { 'X-ClickHouse-Exception-Code': '27' });
      res.end(
        `Code: 27. DB::Exception: Cannot parse input: expected ',' before: '${body.slice(0, 300)}': (at row 1)\n: Row 1: parsed text: "${body}". (CANNOT_PARSE_INPUT_ASSERTION_FAILED) (version 24.8.1.1)\n`,
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
after(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

test('the logged body reaches the server as it is, under the range token', async () => {
  accepted = [];
  const store = await openStore({ dataDir: dir, clickhouseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  try {
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 1_000, maxRowsPerFlush: 1_000, walDir: join(dir, 'wal-ok') });
    const spans = [makeSpan({ name: 'GET /a' }), makeSpan({ name: 'GET /b' })];
    await writer.write({ spans, logs: [], metrics: [] });
    await writer.sync();
    await writer.stop();
    assert.equal(accepted.length, 1);
    const [insert] = accepted;
    assert.match(insert!.query, /^INSERT INTO vigil\.spans \(start_time, trace_id, .*\) FORMAT JSONCompactEachRow$/);
    assert.match(insert!.token ?? '', /-spans$/);
    assert.deepEqual(
      insert!.body
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as unknown[])[4]),
      ['GET /a', 'GET /b'],
    );
  } finally {
    accepted = undefined;
    inserts = 0;
    await store.close();
  }
});

test('a refusal quoting the row is quarantined by its code, and the row reaches neither the console nor the log', async () => {
  const store: StoreClient = await openStore({ dataDir: dir, clickhouseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
  const logFile = join(dir, 'vigil.log');
  const printed: string[] = [];
  // Whatever the client library prints goes through the console: capture it all.
  const out = globalThis.console as unknown as Record<string, (...args: unknown[]) => void>;
  const originals = Object.fromEntries(['error', 'warn', 'log', 'info', 'debug', 'trace'].map((k) => [k, out[k]!]));
  for (const k of Object.keys(originals)) out[k] = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    const writer = await TelemetryWriter.open(store, {
      maxQueuedRows: 1_000,
      maxRowsPerFlush: 1_000,
      walDir: join(dir, 'wal'),
      log: createLogger('info', logFile),
    });
    await writer.write({ spans: [makeSpan({ userId: 'SECRET-user-0815' })], logs: [], metrics: [] });
    await writer.sync();
    assert.deepEqual([writer.getStats().quarantinedInserts, inserts], [1, 5], 'refused five times, then quarantined');
    await writer.stop();
  } finally {
    Object.assign(out, originals);
    await store.close();
  }
  assert.ok(!printed.join('\n').includes('SECRET-user-0815'), `the console got the row:\n${printed.join('\n').slice(0, 500)}`);
  const logged = readFileSync(logFile, 'utf8');
  assert.match(logged, /"code":27/);
  assert.ok(!logged.includes('SECRET-user-0815'), 'the log got the row');
});
