// Opens the one ClickHouse connection Vigil uses: the embedded chDB engine under the data
// directory by default, or a ClickHouse server/cluster by URL. Everything above speaks plain
// ClickHouse SQL through @clickhouse/client, so both paths run the same code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';

export interface StoreLocation {
  /** Data directory for the embedded engine (ignored when clickhouseUrl is set). */
  dataDir: string;
  /** e.g. http://user:pass@host:8123 — a ClickHouse server instead of embedded chDB. */
  clickhouseUrl?: string;
  /** Database name (created if missing). */
  database?: string;
}

export interface StoreClient {
  ch: ClickHouseClient;
  database: string;
  embedded: boolean;
  close(): Promise<void>;
}

// Settings every statement runs with: parse DateTime64 from integers as ticks, keep inserts
// synchronous (acknowledged = written), and let TTL drop whole parts cheaply.
const commonSettings = {
  date_time_input_format: 'best_effort',
  async_insert: 0,
  output_format_json_quote_64bit_integers: 0,
} as const;

export async function openStore(location: StoreLocation): Promise<StoreClient> {
  const database = location.database ?? 'vigil';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name "${database}"`);
  let ch: ClickHouseClient;
  const embedded = !location.clickhouseUrl;
  if (location.clickhouseUrl) {
    ch = createClient({ url: location.clickhouseUrl, clickhouse_settings: commonSettings, request_timeout: 60_000 });
  } else {
    const path = join(location.dataDir, 'chdb');
    mkdirSync(path, { recursive: true });
    // chdb declares the Connection type of @clickhouse/client-common, which the client now bundles
    // as its own copy: same shape, different declarations, hence the cast.
    const connection = createChdbConnection({ path }) as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
    ch = createClient({ connection, clickhouse_settings: commonSettings });
  }
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  return {
    ch,
    database,
    embedded,
    close: () => ch.close(),
  };
}
