// Builds parameterised WHERE clauses: every user value goes in as a bound parameter, never into
// the SQL text, so explore filters cannot inject SQL. Also the keyset cursors that page searches.
import type { StoreClient } from '../client.js';

export class SqlFilter {
  readonly clauses: string[] = [];
  readonly params: Record<string, unknown> = {};
  private n = 0;

  /** Adds `expr` with `{p:type}` placeholders replaced by fresh bound parameters. */
  add(expr: string, values: Array<{ type: string; value: unknown }>): this {
    let i = 0;
    const sql = expr.replace(/\?/g, () => {
      const v = values[i++];
      if (!v) throw new Error(`missing value for placeholder in ${expr}`);
      const name = `p${this.n++}`;
      this.params[name] = v.value;
      return `{${name}:${v.type}}`;
    });
    this.clauses.push(sql);
    return this;
  }

  eq(column: string, value: string | undefined, type = 'String'): this {
    return value === undefined || value === '' ? this : this.add(`${column} = ?`, [{ type, value }]);
  }

  where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** `attr.key=value` style filters on a Map column. */
export function addAttributeFilters(filter: SqlFilter, column: string, attrs: Record<string, string> | undefined): void {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    filter.add(`${column}[?] = ?`, [
      { type: 'String', value: key },
      { type: 'String', value },
    ]);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export const encodeCursor = (parts: Array<string | number>): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

/** What each part of a keyset cursor must be: a safe integer, a decimal UInt64, or text. */
export type CursorPart = 'int' | 'uint64' | 'text';

/**
 * Decodes a cursor this API returned and checks each part against the query's key, so a forged
 * or mangled cursor is an InvalidCursorError (400 at the API), never a failing query (500).
 */
export function decodeCursor(cursor: string | undefined, shape: readonly CursorPart[]): Array<string | number> | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw new InvalidCursorError();
  const parts = parsed as unknown[];
  if (!shape.every((kind, i) => cursorPartFits(kind, parts[i]))) throw new InvalidCursorError();
  return parts as Array<string | number>;
}

function cursorPartFits(kind: CursorPart, part: unknown): boolean {
  if (kind === 'int') return typeof part === 'number' && Number.isSafeInteger(part);
  if (kind === 'uint64') return typeof part === 'string' && /^\d{1,20}$/.test(part) && BigInt(part) < 2n ** 64n;
  return typeof part === 'string' && part.length <= 1000;
}

/** The bound-parameter type each cursor part is compared as. */
const cursorPartTypes: Record<CursorPart, string> = { int: 'Int64', uint64: 'UInt64', text: 'String' };

/** The key a search is ordered by (descending) and resumed after: its SQL tuple and each part's kind. */
export interface PageKey {
  sql: string;
  parts: readonly CursorPart[];
}

/** How one search reads a page: `select` orders by the key descending and ends in `LIMIT {limit:UInt32}`. */
export interface KeysetRead<Row, T> {
  key: PageKey;
  select: (where: string) => string;
  item: (row: Row) => T;
  /** The key of a row, as the cursor that resumes after it. */
  cursorOf: (row: Row) => Array<string | number>;
}

/**
 * One page of a keyset-paged search. It asks for one row more than the limit, so a next cursor is
 * given only when there is a further page, and resumes strictly after the cursor's key, so a page
 * never drops or repeats rows that share a time.
 */
export async function keysetPage<Row, T>(
  store: StoreClient,
  filter: SqlFilter,
  page: { cursor?: string; limit: number },
  read: KeysetRead<Row, T>,
): Promise<Page<T>> {
  const { key } = read;
  const cursor = decodeCursor(page.cursor, key.parts);
  if (cursor) {
    filter.add(
      `${key.sql} < (${cursor.map(() => '?').join(', ')})`,
      cursor.map((value, i) => ({ type: cursorPartTypes[key.parts[i]!], value })),
    );
  }
  const rs = await store.ch.query({ query: read.select(filter.where()), query_params: { ...filter.params, limit: page.limit + 1 }, format: 'JSONEachRow' });
  const rows = await rs.json<Row>();
  const last = rows.length > page.limit ? rows[page.limit - 1] : undefined;
  return { items: rows.slice(0, page.limit).map(read.item), nextCursor: last ? encodeCursor(read.cursorOf(last)) : undefined };
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this API returned');
  }
}
