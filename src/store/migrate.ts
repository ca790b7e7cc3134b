// Applies pending migrations in order and sets retention TTLs. Retention is re-applied at every
// start, so changing it in vigil.yaml takes effect; in event-clock mode no TTL is set because
// ages are measured against the data's own watermark, never the wall clock.
import type { StoreClient } from './client.js';
import { migrations, retentionTables, type RetentionDays } from './schema.js';

/** Applies every pending migration (or those up to `upTo`: tests of an upgrade start from an older schema). */
export async function migrate(store: StoreClient, options: { upTo?: number } = {}): Promise<number[]> {
  const { ch, database: db } = store;
  await ch.command({
    query: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (id UInt32, name String, applied_at DateTime DEFAULT now())
      ENGINE = ReplacingMergeTree ORDER BY id`,
  });
  const rs = await ch.query({ query: `SELECT id FROM ${db}.schema_migrations FINAL`, format: 'JSONEachRow' });
  const done = new Set((await rs.json<{ id: number }>()).map((r) => Number(r.id)));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.id) || m.id > (options.upTo ?? Infinity)) continue;
    for (const statement of m.statements(db)) await ch.command({ query: statement });
    await ch.insert({ table: `${db}.schema_migrations`, values: [{ id: m.id, name: m.name }], format: 'JSONEachRow' });
    applied.push(m.id);
  }
  return applied;
}

export async function applyRetention(store: StoreClient, retention: RetentionDays | null): Promise<void> {
  const { ch, database: db } = store;
  for (const t of retentionTables) {
    const query = retention
      ? `ALTER TABLE ${db}.${t.table} MODIFY TTL toDateTime(${t.column}) + INTERVAL ${Math.floor(retention[t.setting])} DAY`
      : `ALTER TABLE ${db}.${t.table} REMOVE TTL`;
    try {
      await ch.command({ query });
    } catch (err) {
      // REMOVE TTL on a table that never had one is an error in ClickHouse; nothing to do then.
      if (retention || !/TTL/i.test(String(err))) throw err;
    }
  }
}
