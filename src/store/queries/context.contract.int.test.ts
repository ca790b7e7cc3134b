// The shared ContextQueries contract run against ClickHouse (chDB). Its own file because chDB
// allows one engine per process and the other int test opens a store of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { contextQueriesContract } from '../../context/testing/contract.js';
import { insertChanges, migrate, openStore, TelemetryWriter, type StoreClient } from '../index.js';
import { ClickHouseContextQueries } from './context.js';

void describe('ClickHouseContextQueries', () => {
  let dir: string | undefined;
  let store: StoreClient | undefined;

  after(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  contextQueriesContract('clickhouse', async (data) => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-ctx-contract-'));
    store = await openStore({ dataDir: dir });
    await migrate(store);
    const writer = await TelemetryWriter.open(store, { maxQueuedRows: 100_000, maxRowsPerFlush: 100_000, walDir: join(dir, 'wal') });
    await writer.write({ spans: [...data.spans], logs: [...data.logs], metrics: [] });
    await writer.stop();
    await insertChanges(store, [...data.changes]);
    return new ClickHouseContextQueries(store);
  });
});
