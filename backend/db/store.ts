import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  MssqlDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type SqliteDialectConfig,
  type Transaction,
} from 'kysely';
import * as Tarn from 'tarn';
import * as Tedious from 'tedious';
import type { Database } from './database.js';
import { Dialect, type DialectName } from './dialect.js';

/** A query handle (the database or an open transaction) with the dialect it speaks. */
export interface Tx {
  readonly db: Kysely<Database> | Transaction<Database>;
  readonly dialect: Dialect;
}

export interface Store extends Tx {
  readonly db: Kysely<Database>;
  /** Runs `work` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** The same store with a plugin on every query (used by tests to inject faults). */
  withPlugin(plugin: KyselyPlugin): Store;
  destroy(): Promise<void>;
  /** Where the data lives, without credentials: safe to log. */
  readonly description: string;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/mailbox-link.db';

function makeStore(db: Kysely<Database>, dialect: Dialect, description: string): Store {
  return {
    db,
    dialect,
    description,
    transaction: (work) => db.transaction().execute((trx) => work({ db: trx, dialect })),
    withPlugin: (plugin) => makeStore(db.withPlugin(plugin), dialect, description),
    destroy: () => db.destroy(),
  };
}

export function dialectOfUrl(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('mssql:') || url.startsWith('sqlserver:')) return 'mssql';
  throw new Error('DATABASE_URL must start with sqlite: or mssql://');
}

/**
 * Opens the database named by `url`:
 * - `sqlite:<path>` (relative to the working directory) or `sqlite::memory:`;
 * - `mssql://user:password@host:1433/database?encrypt=true&trustServerCertificate=false`.
 */
export function openStore(url: string = DEFAULT_DATABASE_URL): Store {
  const name = dialectOfUrl(url);
  return name === 'sqlite' ? openSqlite(url.slice('sqlite:'.length)) : openMssql(url);
}

/**
 * SQLite transactions take the write lock when they begin (`begin immediate`), not at their first
 * write. Every transaction here reads, then writes what it read (versions, existing links). With
 * Kysely's plain `begin` (deferred), when another connection — a second backend instance on the
 * same file — commits between that read and the first write, SQLite cannot upgrade the stale
 * read snapshot and fails at once with SQLITE_BUSY ("database is locked"): a 500 for a save that
 * should have waited its turn and then succeeded or got its 409. An immediate transaction waits
 * (busy_timeout) for the other writer to finish and then reads what it wrote.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

function openSqlite(path: string): Store {
  const memory = path === ':memory:' || path === '';
  const file = memory ? ':memory:' : resolve(path);
  if (!memory) mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  if (!memory) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return makeStore(db, new Dialect('sqlite'), `sqlite:${file}`);
}

export interface MssqlConnectionOptions {
  server: string;
  port: number;
  database: string;
  user: string;
  password: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  instanceName?: string;
}

export function parseMssqlUrl(url: string): MssqlConnectionOptions {
  const u = new URL(url.replace(/^sqlserver:/, 'mssql:'));
  const flag = (key: string, fallback: boolean) => {
    const v = u.searchParams.get(key);
    return v === null ? fallback : v === 'true' || v === '1' || v === 'yes';
  };
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname || !database) throw new Error('mssql DATABASE_URL needs a host and a database name');
  return {
    server: u.hostname,
    port: u.port ? Number(u.port) : 1433,
    database,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    encrypt: flag('encrypt', true),
    trustServerCertificate: flag('trustServerCertificate', false),
    instanceName: u.searchParams.get('instanceName') ?? undefined,
  };
}

function openMssql(url: string): Store {
  const o = parseMssqlUrl(url);
  const db = new Kysely<Database>({
    dialect: new MssqlDialect({
      tarn: { ...Tarn, options: { min: 0, max: 10 } },
      tedious: {
        ...Tedious,
        connectionFactory: () =>
          new Tedious.Connection({
            server: o.server,
            authentication: { type: 'default', options: { userName: o.user, password: o.password } },
            options: {
              database: o.database,
              port: o.instanceName ? undefined : o.port,
              instanceName: o.instanceName,
              encrypt: o.encrypt,
              trustServerCertificate: o.trustServerCertificate,
              // Times are stored in UTC (datetime2) and read back as UTC.
              useUTC: true,
            },
          }),
      },
    }),
  });
  return makeStore(db, new Dialect('mssql'), `mssql://${o.server}:${o.port}/${o.database}`);
}
