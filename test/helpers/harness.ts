import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import { sql } from 'kysely';
import { inject } from 'light-my-request';
import { createApp } from '../../backend/app.js';
import { issueSession, type NewSession } from '../../backend/auth/session.service.js';
import { testConfig, type Config } from '../../backend/config.js';
import type { DialectName } from '../../backend/db/dialect.js';
import { migrateToLatest } from '../../backend/db/migrate.js';
import { openStore, type Store } from '../../backend/db/store.js';
import { createLogger } from '../../backend/http/logging.js';
import type { Integration } from '../../backend/integration.js';
import { checkAnswer } from './contract.js';
import { followLinkPages } from './link-pages.js';

/** The dialects this run tests: SQLite always, SQL Server when `MSSQL_URL` names one. */
export function testDialects(): DialectName[] {
  return process.env.MSSQL_URL ? ['sqlite', 'mssql'] : ['sqlite'];
}

const TABLES = [
  'sync_conflict',
  'sync_cursor',
  'sync_item',
  'sync_mailbox',
  'superoffice_credential',
  'login_state',
  'session',
  'audit_log',
  'invite',
  'authorized_mailbox',
  'link',
  'tenant',
];
/** The key each table's rows are dumped in order of. */
const KEYS: Record<string, string[]> = {
  session: ['token_hash'],
  authorized_mailbox: ['tenant_id', 'mailbox_id'],
  login_state: ['state_hash'],
  superoffice_credential: ['tenant_id', 'associate_id'],
  sync_mailbox: ['tenant_id', 'mailbox_id'],
  sync_cursor: ['tenant_id', 'mailbox_id', 'kind'],
};

/** A migrated, empty database of the given dialect. SQL Server's is wiped first: use a scratch database. */
export async function freshStore(dialect: DialectName = 'sqlite'): Promise<Store> {
  if (dialect === 'sqlite') {
    const store = openStore('sqlite::memory:');
    await migrateToLatest(store);
    return store;
  }
  const url = process.env.MSSQL_URL;
  if (!url) throw new Error('MSSQL_URL is not set');
  const store = openStore(url);
  // sync_history: a database from before migration 008 (it references link, so it goes first).
  for (const table of ['sync_history', ...TABLES, 'kysely_migration', 'kysely_migration_lock']) {
    await sql`if object_id(${table}, 'U') is not null drop table ${sql.table(table)}`.execute(store.db);
  }
  await migrateToLatest(store);
  return store;
}

/** Every row of every table, in key order, as one string: equal strings mean equal databases. */
export async function dumpDatabase(store: Store): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    let query = store.db.selectFrom(table as 'link').selectAll();
    for (const key of KEYS[table] ?? ['id']) query = query.orderBy(key as 'id');
    out[table] = await query.execute();
  }
  return JSON.stringify(out);
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: any;
  text: string;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export const ADMIN: NewSession = { tenantId: 'Cust12345', associateId: 5, associateName: 'Ada Admin', isAdmin: true };
export const USER: NewSession = { tenantId: 'Cust12345', associateId: 6, associateName: 'Ulf User', isAdmin: false };
export const OTHER_ADMIN: NewSession = { tenantId: 'Cust99999', associateId: 5, associateName: 'Otto Other', isAdmin: true };

export interface Harness {
  store: Store;
  config: Config;
  /** Every log line the app wrote. */
  logs: string[];
  /** The clock the app reads; tests may move it. */
  now: { value: Date };
  token(session?: NewSession): Promise<string>;
  request(method: string, url: string, options?: RequestOptions): Promise<Reply>;
  /** The same app on a real HTTP server on loopback (for what inject does not show: compression on the wire). */
  listen(): Promise<{ url: string; close(): Promise<void> }>;
  /** The same app over another store, e.g. this database with a fault-injecting plugin. */
  withStore(store: Store): Harness;
  close(): Promise<void>;
}

export async function makeHarness(
  options: { dialect?: DialectName; store?: Store; config?: Partial<Config>; integration?: Integration | null; realClock?: boolean } = {},
): Promise<Harness> {
  const store = options.store ?? (await freshStore(options.dialect));
  // Tests against simulators use real time: tokens they issue expire by the wall clock.
  const now = { value: options.realClock ? new Date() : new Date('2026-11-25T09:00:00.000Z') };
  return build(store, testConfig(options.config), [], now, options.integration ?? null, options.realClock ?? false);
}

function build(
  store: Store,
  config: Config,
  logs: string[],
  now: { value: Date },
  integration: Integration | null = null,
  realClock = false,
): Harness {
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const clock = realClock ? () => new Date() : () => now.value;
  const handler = createApp({ store, config, logger, clock, integration }).callback();
  return {
    store,
    config,
    logs,
    now,
    async token(session = ADMIN) {
      return (await issueSession(store, session, config.sessionTtlMinutes, clock())).token;
    },
    async request(method, url, { token, body, raw, headers = {} } = {}) {
      const h: Record<string, string> = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload: string | Buffer | undefined = raw;
      if (payload === undefined && body !== undefined) {
        payload = JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      const res = await inject(handler, { method: method as 'GET', url, headers: h, payload });
      let parsed: unknown = undefined;
      try {
        parsed = res.body ? JSON.parse(res.body) : undefined;
      } catch {
        parsed = undefined;
      }
      const type = String(res.headers['content-type'] ?? '');
      checkAnswer(method, url, res.statusCode, type, type.startsWith('text/csv') ? res.body : parsed);
      return { status: res.statusCode, headers: res.headers, body: parsed, text: res.body };
    },
    async listen() {
      const server = createServer(handler);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return {
        url,
        close: () => {
          server.closeAllConnections();
          return new Promise<void>((resolve) => server.close(() => resolve()));
        },
      };
    },
    withStore(other) {
      return build(other, config, logs, now, integration, realClock);
    },
    close: () => store.destroy(),
  };
}

/** Every linked user of the caller's tenant, following GET /api/v1/links page by page (`nextCursor`). */
export function allLinks(h: Harness, token: string, limit?: number): Promise<any[]> {
  return followLinkPages((query) => h.request('GET', `/api/v1/links${query}`, { token }), limit);
}

let counter = 0;
/** A distinct, valid new link for tests: associate n ↔ mailbox n. */
export function newLink(n: number = ++counter, extra: Record<string, unknown> = {}) {
  const hex = n.toString(16).padStart(12, '0');
  return {
    associateId: n,
    associateName: `Associate ${n}`,
    mailboxId: `00000000-0000-4000-8000-${hex}`,
    mailboxAddress: `user${n}@contoso.example`,
    ...extra,
  };
}

/**
 * Writes `count` mapping rows (`sync_item`, the link's items in sync when `state` is `active`)
 * for a link, as the synchronizer would.
 */
export async function seedHistory(
  store: Store,
  tenantId: string,
  linkId: string,
  count: number,
  from = 1,
  state: 'active' | 'pending' | 'out_of_window' | 'detached' | 'error' = 'active',
): Promise<void> {
  const link = await store.db.selectFrom('link').select(['associate_id', 'mailbox_id']).where('tenant_id', '=', tenantId).where('id', '=', linkId).executeTakeFirstOrThrow();
  const at = store.dialect.time(new Date('2026-11-01T00:00:00.000Z'));
  const rows = Array.from({ length: count }, (_, i) => ({
    tenant_id: tenantId,
    associate_id: link.associate_id,
    mailbox_id: link.mailbox_id,
    kind: (['appointment', 'task', 'contact'] as const)[i % 3]!,
    so_id: from + i,
    graph_id: `AAMkAG${linkId.slice(0, 8)}-${from + i}`,
    origin: 'superoffice' as const,
    state,
    so_updated_at: at,
    graph_change_key: `ck-${from + i}`,
    created_at: at,
    updated_at: at,
  }));
  const per = store.dialect.rowsPerStatement(12);
  for (let i = 0; i < rows.length; i += per) await store.db.insertInto('sync_item').values(rows.slice(i, i + per)).execute();
}

/**
 * Items in sync for every link of the tenant, `perLink` each, as the synchronizer would write
 * them (cf. seedHistory), in one INSERT … SELECT (SQLite): seedHistory per link would take
 * 10,000 round trips.
 */
export async function seedHistoryBulk(store: Store, tenantId: string, perLink: number): Promise<number> {
  const at = new Date('2026-11-01T00:00:00.000Z').toISOString();
  await sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${perLink})
    insert into sync_item
      (tenant_id, associate_id, mailbox_id, kind, so_id, graph_id, origin, state, so_updated_at, graph_change_key, created_at, updated_at)
    select l.tenant_id, l.associate_id, l.mailbox_id,
      case n.i % 3 when 1 then 'appointment' when 2 then 'task' else 'contact' end,
      n.i, 'AAMkAG' || substr(l.id, 1, 8) || '-' || n.i, 'superoffice', 'active', ${at}, 'ck-' || n.i, ${at}, ${at}
    from link l cross join n
    where l.tenant_id = ${tenantId}`.execute(store.db);
  const row = await store.db
    .selectFrom('sync_item')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** What {@link suiteHarness} gives a suite: the harness and sessions of its three usual callers. */
export interface Suite {
  h: Harness;
  /** An administrator of `ADMIN.tenantId`, a non-administrator of it, an administrator of `OTHER_ADMIN.tenantId`. */
  admin: string;
  user: string;
  other: string;
}

/** One harness for the enclosing `describe`, made before its tests and closed after them. */
export function suiteHarness(options: Parameters<typeof makeHarness>[0] = {}): Suite {
  const suite = {} as Suite;
  before(async () => {
    suite.h = await makeHarness(options);
    [suite.admin, suite.user, suite.other] = [await suite.h.token(ADMIN), await suite.h.token(USER), await suite.h.token(OTHER_ADMIN)];
  });
  after(() => suite.h.close());
  return suite;
}

/**
 * Asserts that `send` is refused with `status` and `code`, in the error envelope, and that the
 * database did not change. Returns the error.
 */
export async function refusedBy(h: Harness, status: number, code: string, send: () => Promise<Reply>): Promise<{ code: string; message: string; details: any[] }> {
  const before = await dumpDatabase(h.store);
  const res = await send();
  assert.equal(res.status, status, res.text);
  assert.equal(res.body.error.code, code);
  assert.equal(typeof res.body.error.message, 'string');
  assert.ok(Array.isArray(res.body.error.details));
  assert.equal(await dumpDatabase(h.store), before, 'the database changed');
  return res.body.error;
}
