import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Tx } from './store.js';

/**
 * Every difference between the two SQL dialects lives here, so repositories stay one code path.
 */
export type DialectName = 'sqlite' | 'mssql';

/**
 * Parameters one statement may carry. SQL Server refuses more than 2,100; SQLite (3.32+) allows
 * 32,766. Both keep a margin for the parameters a statement adds besides the batch.
 */
const PARAM_BUDGET: Record<DialectName, number> = { mssql: 2000, sqlite: 30000 };

export class Dialect {
  constructor(readonly name: DialectName) {}

  /** How many rows of `columnsPerRow` values fit in one statement (SQL Server also caps `values` at 1,000 rows). */
  rowsPerStatement(columnsPerRow: number): number {
    const byParams = Math.max(1, Math.floor(PARAM_BUDGET[this.name] / columnsPerRow));
    return this.name === 'mssql' ? Math.min(1000, byParams) : byParams;
  }

  /** How many values fit in one `in (…)` list. */
  get maxInList(): number {
    return this.name === 'mssql' ? 1000 : 10000;
  }

  /**
   * A time as this dialect binds it. SQLite stores ISO-8601 text. SQL Server gets ISO text
   * without the zone (UTC by convention), which it converts to `datetime2(3)` exactly; a JS `Date`
   * would be sent as the legacy `datetime` type and lose milliseconds (1/300 s precision).
   */
  time(value: Date): string {
    return this.name === 'sqlite' ? value.toISOString() : value.toISOString().slice(0, 23);
  }

  bool(value: boolean): number | boolean {
    return this.name === 'sqlite' ? (value ? 1 : 0) : value;
  }

  /** First `n` rows: `limit` in SQLite, `top` in SQL Server (which has no `limit`). */
  limit<DB, TB extends keyof DB, O>(
    query: SelectQueryBuilder<DB, TB, O>,
    n: number,
  ): SelectQueryBuilder<DB, TB, O> {
    return this.name === 'mssql' ? query.top(n) : query.limit(n);
  }

  /**
   * The database's own clock, in the form this dialect stores times. Leases are judged by it, so
   * workers on hosts whose clocks disagree still agree on who holds a mailbox.
   */
  now(): RawBuilder<string> {
    return this.nowPlus(0);
  }

  /** The database's clock plus `ms` milliseconds. */
  nowPlus(ms: number): RawBuilder<string> {
    const whole = Math.round(ms);
    return this.name === 'mssql'
      ? sql<string>`dateadd(millisecond, ${whole}, sysutcdatetime())`
      : sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`${whole / 1000} seconds`})`;
  }

  /**
   * A claim of rows as a queue (raw statements only, where Kysely has no table hints). SQL Server:
   * `top (n)` after `select`, the hints after the table (lock the rows taken until the statement
   * ends, skip rows another claim has locked instead of waiting), `output inserted.…` before
   * `from`. SQLite: `limit n` at the end of the select, `returning …` at the end; its single
   * writer (`begin immediate`) serializes claims without hints.
   */
  claim(columns: readonly string[]) {
    const mssql = this.name === 'mssql';
    const none = sql``;
    return {
      top: (n: number) => (mssql ? sql`top (${n})` : none),
      hints: mssql ? sql`with (updlock, readpast, rowlock)` : none,
      limit: (n: number) => (mssql ? none : sql`limit ${n}`),
      output: mssql ? sql`output ${sql.join(columns.map((c) => sql.ref(`inserted.${c}`)))}` : none,
      returning: mssql ? none : sql`returning ${sql.join(columns.map((c) => sql.ref(c)))}`,
    };
  }
}

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export function readTime(value: string | Date): string;
export function readTime(value: string | Date | null): string | null;
export function readTime(value: string | Date | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  // SQLite hands back exactly what we stored (toISOString); parse only anything else.
  return ISO_UTC.test(value) ? value : new Date(value).toISOString();
}

export function readBool(value: number | boolean | bigint): boolean {
  return value === true || value === 1 || value === 1n;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Counts and `bigint` ids: SQL Server's driver returns `bigint` as a string. */
export function readInt(value: number | string | bigint): number {
  return Number(value);
}

/**
 * Runs `query` once per slice of `values` small enough for one statement's `in (…)` list and
 * concatenates the rows (duplicates in `values` are dropped first).
 */
export async function inChunks<V, R>(tx: Tx, values: readonly V[], query: (slice: V[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const slice of chunk([...new Set(values)], tx.dialect.maxInList)) out.push(...(await query(slice)));
  return out;
}
