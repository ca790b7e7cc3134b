// A table's share of a WAL range split by day so no insert passes the engine's partitions-per-insert
// limit, with tokens that come out the same on every replay of the same bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeMetric, makeSpan } from '../../../test/support/records.js';
import { compactRows, metricRow, spanRow } from '../rows.js';
import { dayOf, daySpan, maxDaysPerInsert, planInserts, type TableShare } from './split.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1, 12);

function share(table: 'spans' | 'metric_points', rows: Record<string, unknown>[], withDays: boolean): TableShare {
  const { columns, body } = compactRows(rows);
  const half = body.indexOf('\n', body.length / 2) + 1;
  const col = table === 'spans' ? 'start_time' : 'time';
  return {
    table,
    qualified: `vigil.${table}`,
    columns: columns.join(','),
    bodies: [Buffer.from(body.slice(0, half)), Buffer.from(body.slice(half))],
    rows: rows.length,
    ...(withDays ? { days: daySpan(rows.map((r) => r[col] as number)) } : {}),
    token: 'w-1-0-99',
  };
}
const linesOf = (bodies: readonly Buffer[]): string[] => Buffer.concat(bodies).toString().split('\n').filter(Boolean);
const daysOf = (table: 'spans' | 'metric_points', bodies: readonly Buffer[]): Set<number> =>
  new Set(linesOf(bodies).map((l) => dayOf((JSON.parse(l) as number[])[table === 'spans' ? 0 : 9]!)));

test('rows within the limit stay one insert under the range token', () => {
  const rows = Array.from({ length: 200 }, (_v, i) => spanRow(makeSpan({ startTimeMs: T0 + (i % maxDaysPerInsert) * DAY })));
  for (const withDays of [true, false]) {
    const plan = planInserts(share('spans', rows, withDays));
    assert.equal(plan.length, 1);
    assert.equal(plan[0]!.token, 'w-1-0-99');
    assert.equal(plan[0]!.rows, 200);
  }
});

test('rows on 150 days become inserts of at most 50 days each, every row once, with tokens derived from the range', () => {
  for (const table of ['spans', 'metric_points'] as const) {
    const rows = Array.from({ length: 450 }, (_v, i) =>
      table === 'spans' ? spanRow(makeSpan({ startTimeMs: T0 + (i % 150) * DAY })) : metricRow(makeMetric({ timeMs: T0 + (i % 150) * DAY })),
    );
    for (const withDays of [true, false]) {
      const plan = planInserts(share(table, rows, withDays));
      assert.deepEqual(
        plan.map((p) => p.token),
        ['w-1-0-99-d0', 'w-1-0-99-d1', 'w-1-0-99-d2'],
      );
      for (const p of plan) {
        assert.ok(daysOf(table, p.bodies).size <= maxDaysPerInsert);
        assert.equal(p.rows, linesOf(p.bodies).length);
        assert.equal(p.bytes, Buffer.concat(p.bodies).length);
      }
      assert.deepEqual(plan.flatMap((p) => linesOf(p.bodies)).sort(), linesOf(share(table, rows, false).bodies).sort(), 'every row in exactly one insert');
      assert.deepEqual(planInserts(share(table, rows, withDays)), plan, 'a replay plans the same inserts');
    }
  }
});

test('a far-apart pair of days is still one insert: the limit counts days present, not the calendar between them', () => {
  const rows = [spanRow(makeSpan({ startTimeMs: T0 })), spanRow(makeSpan({ startTimeMs: T0 + 3650 * DAY }))];
  assert.equal(planInserts(share('spans', rows, true)).length, 1);
});
