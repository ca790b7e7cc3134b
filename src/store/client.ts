// Opens the one ClickHouse connection Vigil uses: the embedded chDB engine under the data
// directory by default, or a ClickHouse server/cluster by URL. Everything above speaks plain
// ClickHouse SQL through @clickhouse/client, so both paths run the same code.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { Session } from 'chdb';
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
   * Inserts a ready JSONCompactEachRow body (one JSON array per line, in `columns` order) with
   * settings for this insert only (e.g. insert_deduplication_token). The write-ahead log's path.
   */
  insertBody(table: string, columns: readonly string[], body: Buffer, settings: Record<string, string | number>): Promise<void>;
  close(): Promise<void>;
}

// Settings every statement runs with: parse DateTime64 from integers as ticks, keep inserts
// synchronous (the WAL checkpoint advances only once an insert is written), and let TTL drop
// whole parts cheaply.
const commonSettings = {
  date_time_input_format: 'best_effort',
  async_insert: 0,
  output_format_json_quote_64bit_integers: 0,
} as const;

type BodyInserter = StoreClient['insertBody'];

// Server settings for the embedded engine. ClickHouse sizes its thread pools for a dedicated
// server (up to 100–128 threads each for part cleaning, IO and prefetch, and up to 1,000 idle
// threads kept for reuse); embedded, it shares one small machine with Vigil, and every thread it
// keeps holds a stack and allocator caches (~15 MB for the ~120 that part cleaning alone spawns).
// These bound the pools Vigil's workload touches; none of them limits a query's own parallelism.
export const EMBEDDED_ENGINE_ARGS: readonly string[] = [
  '--max_thread_pool_free_size=16',
  '--max_parts_cleaning_thread_pool_size=4',
  '--parts_killer_pool_size=4',
  '--snapshot_cleaner_pool_size=4',
  '--max_active_parts_loading_thread_pool_size=8',
  '--max_outdated_parts_loading_thread_pool_size=4',
  '--max_io_thread_pool_size=16',
  '--threadpool_local_fs_reader_pool_size=16',
  '--threadpool_writer_pool_size=16',
  '--prefetch_threadpool_pool_size=16',
  '--load_marks_threadpool_pool_size=8',
  '--max_prefixes_deserialization_thread_pool_size=8',
  '--max_format_parsing_thread_pool_size=16',
];

// chDB's own insert reads the Buffer in place (through @clickhouse/client the body is glued to
// the SQL and copied on the event loop: ~40% more CPU per row) and scopes `settings` to this
// insert, whereas clickhouse_settings through the embedded connection become session-wide SETs
// (a stale deduplication token would drop the next insert). Over HTTP settings are per request.
const embeddedBodyInserter =
  (connection: ChdbConnection): BodyInserter =>
  async (table, columns, body, settings) => {
    if (!body.length) return;
    await connection.chdb.rawInsert({ table, values: body, columns, format: 'JSONCompactEachRow', settings: { ...commonSettings, ...settings } });
  };

// The body goes to the server as it is. Not through ch.insert: for JSON formats it takes an
// object-mode stream and JSON-encodes each item, so a Buffer became {"type":"Buffer","data":[…]}
// and the server refused every row.
const serverBodyInserter =
  (ch: ClickHouseClient): BodyInserter =>
  async (table, columns, body, settings) => {
    if (!body.length) return;
    const query = `INSERT INTO ${table} (${columns.join(', ')}) FORMAT JSONCompactEachRow`;
    const { stream } = await ch.exec({ query, values: Readable.from([body], { objectMode: false }), clickhouse_settings: settings });
    stream.resume();
    await finished(stream);
  };

export async function openStore(location: StoreLocation): Promise<StoreClient> {
  const database = location.database ?? 'vigil';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) throw new Error(`invalid database name "${database}"`);
  let ch: ClickHouseClient;
  let insertBody: BodyInserter;
  let engine: Session | undefined;
  const embedded = !location.clickhouseUrl;
  if (location.clickhouseUrl) {
    // The client's own logger prints every failed request's error to the console, and a refused
    // insert's error quotes the rows: Vigil logs failures itself, scrubbed (store/wal/refusal.ts).
    ch = createClient({ url: location.clickhouseUrl, clickhouse_settings: commonSettings, request_timeout: 60_000, log: { level: ClickHouseLogLevel.OFF } });
    insertBody = serverBodyInserter(ch);
  } else {
    const path = join(location.dataDir, 'chdb');
    mkdirSync(path, { recursive: true, mode: 0o700 });
    // The first connection to a data directory starts the process's one engine, with its server
    // settings; the client's connection below joins that engine (same path).
    engine = new Session(path, { connectionArgs: EMBEDDED_ENGINE_ARGS });
    const chdb = createChdbConnection({ path });
    // chdb declares the Connection type of @clickhouse/client-common, which the client now bundles
    // as its own copy: same shape, different declarations, hence the cast.
    const connection = chdb as unknown as NonNullable<Parameters<typeof createClient>[0]>['connection'];
    ch = createClient({ connection, clickhouse_settings: commonSettings });
    insertBody = embeddedBodyInserter(chdb);
  }
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  return {
    ch,
    database,
    embedded,
    insertBody,
    close: async () => {
      await ch.close();
      engine?.close();
    },
  };
}
