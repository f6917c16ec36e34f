import {
  DEFAULT_MIGRATION_LOCK_TABLE,
  DEFAULT_MIGRATION_TABLE,
  Kysely,
  MIGRATION_LOCK_ID,
  MssqlAdapter,
  MssqlIntrospector,
  MssqlQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  sql,
  type CompiledQuery,
  type CreateTableBuilder,
  type DatabaseConnection,
  type Dialect as KyselyDialect,
  type Driver,
  type Migration,
  type QueryCompiler,
  type QueryResult,
  type RawBuilder,
} from 'kysely';
import type { DialectName } from './dialect.js';
import { migrations } from './migrate.js';

/**
 * The reviewed DDL scripts (`sql/<dialect>/NNN_name.sql`) are compiled from the migrations, never
 * written by hand: each migration's `up()` runs against a Kysely whose driver only records SQL.
 */

/** Answers one compiled statement in place of a database. */
export type Responder = (query: CompiledQuery) => QueryResult<unknown> | Promise<QueryResult<unknown>>;

/** A driver that never connects: every statement goes to `respond`; transactions are no-ops. */
export class RecordingDriver implements Driver {
  constructor(private readonly respond: Responder) {}
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    const respond = this.respond;
    return {
      executeQuery: async <R>(query: CompiledQuery) => (await respond(query)) as QueryResult<R>,
      streamQuery: async function* <R>(): AsyncIterableIterator<QueryResult<R>> {
        throw new Error('the recording driver does not stream');
      },
    };
  }
  async beginTransaction(): Promise<void> {}
  async commitTransaction(): Promise<void> {}
  async rollbackTransaction(): Promise<void> {}
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

/** The adapter and compiler of `name` (the ones the app runs, by default) over a RecordingDriver. */
export function recordingDialect(
  name: DialectName,
  respond: Responder,
  compiler: () => QueryCompiler = name === 'mssql' ? () => new MssqlQueryCompiler() : () => new SqliteQueryCompiler(),
): KyselyDialect {
  return {
    createAdapter: () => (name === 'mssql' ? new MssqlAdapter() : new SqliteAdapter()),
    createDriver: () => new RecordingDriver(respond),
    createQueryCompiler: compiler,
    createIntrospector: (db) => (name === 'mssql' ? new MssqlIntrospector(db) : new SqliteIntrospector(db)),
  };
}

/**
 * SQL Server's own `[quoting]` for the DBA script: Kysely's `"quoting"` needs QUOTED_IDENTIFIER ON,
 * which sqlcmd leaves OFF unless run with -I.
 */
class BracketMssqlQueryCompiler extends MssqlQueryCompiler {
  protected override getLeftIdentifierWrapper(): string {
    return '[';
  }
  protected override getRightIdentifierWrapper(): string {
    return ']';
  }
  protected override sanitizeIdentifier(identifier: string): string {
    return identifier.replaceAll(']', ']]');
  }
}

export interface SqlScript {
  /** The migration it is compiled from, e.g. `20261125_001_initial`. */
  migration: string;
  /** File name under `sql/<dialect>/`, e.g. `001_initial.sql`. */
  file: string;
  text: string;
}

/** The script of every migration for `dialect`, in the order the Migrator runs them (name order). */
export async function migrationScripts(dialect: DialectName): Promise<SqlScript[]> {
  const all = migrations(dialect);
  const names = Object.keys(all).sort();
  const scripts: SqlScript[] = [];
  for (const [index, name] of names.entries()) {
    const statements = await compileMigration(dialect, name, all[name]!);
    scripts.push({ migration: name, file: scriptFileName(name, index), text: render(dialect, name, statements) });
  }
  return scripts;
}

/** `20261125_001_initial` → `001_initial.sql`; the number must match the migration's position. */
function scriptFileName(migration: string, index: number): string {
  const seq = String(index + 1).padStart(3, '0');
  const match = /^\d{8}_(\d{3})_(\w+)$/.exec(migration);
  if (!match || match[1] !== seq) {
    throw new Error(`migration ${migration} must be named <yyyymmdd>_${seq}_<name> (it runs as number ${seq})`);
  }
  return `${seq}_${match[2]}.sql`;
}

/** Kysely's bookkeeping tables, created exactly as its Migrator does (see migrator.js). */
function bookkeepingTables(db: Kysely<any>): CreateTableBuilder<string, never>[] {
  return [
    db.schema
      .createTable(DEFAULT_MIGRATION_TABLE)
      .addColumn('name', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('timestamp', 'varchar(255)', (col) => col.notNull()),
    db.schema
      .createTable(DEFAULT_MIGRATION_LOCK_TABLE)
      .addColumn('id', 'varchar(255)', (col) => col.notNull().primaryKey())
      .addColumn('is_locked', 'integer', (col) => col.notNull().defaultTo(0)),
  ];
}

/** `insert … select <row> where not exists (<row with that key>)`: rerunning it changes nothing. */
function insertIfMissing(db: Kysely<any>, table: string, row: Record<string, RawBuilder<unknown>>, key: string, keyValue: string) {
  return db
    .insertInto(table)
    .columns(Object.keys(row))
    .expression(
      db
        .selectNoFrom(Object.entries(row).map(([column, value]) => value.as(column)))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom(table).select(sql.lit(1).as('found')).where(key, '=', sql.lit(keyValue)))),
        ),
    );
}

async function compileMigration(dialect: DialectName, name: string, migration: Migration): Promise<string[]> {
  const mssql = dialect === 'mssql';
  const statements: string[] = [];
  const record: Responder = (query) => {
    // A script cannot bind values, and a migration that reads data cannot be scripted.
    if (query.parameters.length > 0) {
      throw new Error(`migration ${name} binds parameters (use sql.lit or sql.raw): ${query.sql}`);
    }
    if (query.query.kind === 'SelectQueryNode') throw new Error(`migration ${name} reads data: ${query.sql}`);
    statements.push(query.sql);
    return { rows: [] };
  };
  const db = new Kysely<any>({
    dialect: recordingDialect(dialect, record, mssql ? () => new BracketMssqlQueryCompiler() : undefined),
  });
  try {
    if (mssql) {
      // The app's connections (tedious) run with both ON; a trigger keeps the settings it was created with.
      await sql`set ansi_nulls on`.execute(db);
      await sql`set quoted_identifier on`.execute(db);
    }
    for (const table of bookkeepingTables(db)) {
      if (mssql) {
        // SQL Server has no `create table if not exists`.
        const { table: node } = table.toOperationNode();
        await sql`if object_id(${sql.lit(node.table.identifier.name)}, 'U') is null ${sql.raw(table.compile().sql)}`.execute(db);
      } else {
        await table.ifNotExists().execute();
      }
    }
    await insertIfMissing(
      db,
      DEFAULT_MIGRATION_LOCK_TABLE,
      { id: sql.lit(MIGRATION_LOCK_ID), is_locked: sql.lit(0) },
      'id',
      MIGRATION_LOCK_ID,
    ).execute();

    await migration.up(db);

    // The row the Migrator writes after `up()`; the timestamp is ISO-8601 UTC text, as it writes it.
    const now = mssql ? sql`convert(varchar(23), sysutcdatetime(), 126) + 'Z'` : sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
    await insertIfMissing(db, DEFAULT_MIGRATION_TABLE, { name: sql.lit(name), timestamp: now }, 'name', name).execute();
  } finally {
    await db.destroy();
  }
  return statements.map(formatCreateTable);
}

/** One column or constraint per line in `create table`, for the reviewer; other statements as compiled. */
export function formatCreateTable(statement: string): string {
  const create = /\bcreate table (if not exists )?\S+ \(/i.exec(statement);
  if (!create || !statement.endsWith(')')) return statement;
  const start = create.index + create[0].length;
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let from = start;
  for (let i = start; i < statement.length - 1; i++) {
    const c = statement[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '[') quote = ']';
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(statement.slice(from, i).trim());
      from = i + 1;
    }
  }
  parts.push(statement.slice(from, -1).trim());
  // A guard (`if … is null`) before `create table` gets a line of its own.
  const guard = statement.slice(0, create.index).trim();
  return `${guard ? `${guard}\n` : ''}${create[0]}\n  ${parts.join(',\n  ')}\n)`;
}

function render(dialect: DialectName, migration: string, statements: string[]): string {
  const header = [
    `-- Generated by \`npm run sql:generate\` from migration ${migration} (backend/db/migrations/${migration}.ts).`,
    '-- Do not edit by hand: change the migrations, run `npm run sql:generate` and commit the result.',
    '-- Run the files of this folder in order on an empty database; the app (migrations on start)',
    '-- then finds them applied and creates nothing. Stop at the first error.',
    ...(dialect === 'mssql'
      ? ['-- e.g. sqlcmd -b -S <server> -d <database> -i <file>   (batches are separated by GO)']
      : ['-- e.g. sqlite3 data/mailbox-link.db < <file>']),
  ];
  const terminator = dialect === 'mssql' ? ';\nGO\n' : ';\n';
  return `${header.join('\n')}\n\n${statements.map((s) => s + terminator).join('\n')}`;
}
