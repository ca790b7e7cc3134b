// Opens the one ClickHouse connection Vigil uses: the embedded chDB engine under the data
// directory by default, or a ClickHouse server/cluster by URL. Everything above speaks plain
// ClickHouse SQL through @clickhouse/client, so both paths run the same code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { createChdbConnection, type ChdbConnection } from 'chdb/connection';

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
  /**
   * Bulk insert of rows that all share one key order (rows from one of the row functions).
   * The fast path for telemetry; other writes use `ch.insert`.
   */
  insertRows(table: string, rows: readonly Record<string, unknown>[]): Promise<void>;
  /**
   * Inserts a ready JSONCompactEachRow body (one JSON array per line, in `columns` order) with
   * settings for this insert only (e.g. insert_deduplication_token). The write-ahead log's path.
   */
  insertBody(table: string, columns: readonly string[], body: Buffer, settings: Record<string, string | number>): Promise<void>;
  close(): Promise<void>;
}

// Settings every statement runs with: parse DateTime64 from integers as ticks, keep inserts
// synchronous (acknowledged = written), and let TTL drop whole parts cheaply.
const commonSettings = {
  date_time_input_format: 'best_effort',
  async_insert: 0,
  output_format_json_quote_64bit_integers: 0,
} as const;

type RowInserter = StoreClient['insertRows'];
type BodyInserter = StoreClient['insertBody'];

// Positional rows (JSONCompactEachRow) instead of keyed objects: the engine skips matching ~30
// keys per row and the payload is smaller (raw span insert 53k -> 66k rows/s in bench:ingest's
// setting). Column order comes from the first row, which is why rows must share one key order.
const columnsOf = (rows: readonly Record<string, unknown>[]): [string, ...string[]] => {
  const [first, ...rest] = Object.keys(rows[0]!);
  return [first!, ...rest];
};

const serverInserter =
  (ch: ClickHouseClient): RowInserter =>
  async (table, rows) => {
    if (!rows.length) return;
    await ch.insert({ table, values: rows.map((r) => Object.values(r)), columns: columnsOf(rows), format: 'JSONCompactEachRow' });
  };

// chDB's own insert takes the payload as one Buffer that its parser reads in place. Through
// @clickhouse/client the same rows are joined into a string, glued to the SQL and copied into
// the engine on the event loop: that path costs ~40% more CPU per row than the engine's insert.
const embeddedInserter =
  (connection: ChdbConnection): RowInserter =>
  async (table, rows) => {
    if (!rows.length) return;
    let body = '';
    for (const r of rows) body += JSON.stringify(Object.values(r)) + '\n';
    await connection.chdb.rawInsert({ table, values: Buffer.from(body), columns: columnsOf(rows), format: 'JSONCompactEachRow', settings: commonSettings });
  };

// Per-insert settings: rawInsert scopes them to the insert (clickhouse_settings through the
// embedded connection become session-wide SETs); over HTTP they are per request anyway.
const embeddedBodyInserter =
  (connection: ChdbConnection): BodyInserter =>
  async (table, columns, body, settings) => {
    if (!body.length) return;
    await connection.chdb.rawInsert({ table, values: body, columns, format: 'JSONCompactEachRow', settings: { ...commonSettings, ...settings } });
  };

const serverBodyInserter =
  (ch: ClickHouseClient): BodyInserter =>
  async (table, columns, body, settings) => {
    if (!body.length) return;
    await ch.insert({ table, values: Readable.from([body]), columns: columns as [string, ...string[]], format: 'JSONCompactEachRow', clickhouse_settings: settings });
  };

export async function openStore(location: StoreLocation): Promise<StoreClient> {
  const database = location.database ?? 'vigil';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name "${database}"`);
  let ch: ClickHouseClient;
  let insertRows: RowInserter;
  let insertBody: BodyInserter;
  const embedded = !location.clickhouseUrl;
  if (location.clickhouseUrl) {
    ch = createClient({ url: location.clickhouseUrl, clickhouse_settings: commonSettings, request_timeout: 60_000 });
    insertRows = serverInserter(ch);
    insertBody = serverBodyInserter(ch);
  } else {
    const path = join(location.dataDir, 'chdb');
    mkdirSync(path, { recursive: true });
    const chdb = createChdbConnection({ path });
    // chdb declares the Connection type of @clickhouse/client-common, which the client now bundles
    // as its own copy: same shape, different declarations, hence the cast.
    const connection = chdb as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
    ch = createClient({ connection, clickhouse_settings: commonSettings });
    insertRows = embeddedInserter(chdb);
    insertBody = embeddedBodyInserter(chdb);
  }
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  return {
    ch,
    database,
    embedded,
    insertRows,
    insertBody,
    close: () => ch.close(),
  };
}
