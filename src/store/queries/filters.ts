// Builds parameterised WHERE clauses: every user value goes in as a bound parameter, never into
// the SQL text, so explore filters cannot inject SQL.

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

export function decodeCursor(cursor: string | undefined): Array<string | number> | undefined {
  if (!cursor) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string' || typeof p === 'number')) return parsed;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this API returned');
  }
}
