import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import {
  Kysely,
  SqliteQueryCompiler,
  type CompiledQuery,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { appendAudit, auditActors, pageAudit, type Actor } from '../../../backend/audit/audit.repository.js';
import { auditCsv } from '../../../backend/audit/audit.service.js';
import { endSession, issueSession, purgeExpiredSessions, verifySession } from '../../../backend/auth/session.service.js';
import type { Database } from '../../../backend/db/database.js';
import { recordingDialect } from '../../../backend/db/ddl-script.js';
import { Dialect } from '../../../backend/db/dialect.js';
import type { Store } from '../../../backend/db/store.js';
import { ApiError } from '../../../backend/http/errors.js';
import { SaveLinksBody, type NewLink } from '../../../backend/links/link.schemas.js';
import {
  linkedUsersPage,
  listLinkedUsers,
  previewRemoval,
  removeLinks,
  saveAddedLinks,
  saveLinkOptions,
} from '../../../backend/links/link.service.js';
import { ensureTenant } from '../../../backend/tenants/tenant.repository.js';
import { purgeLinks, restoreLinks } from '../../../backend/links/removed-link.service.js';
import { updateSyncSettings } from '../../../backend/tenants/tenant.service.js';
import { releaseBreaker, requestSync } from '../../../backend/sync-admin/sync-admin.service.js';
import { createLoginState } from '../../../backend/auth/login-state.repository.js';
import type { Integration } from '../../../backend/integration.js';
import { completeAdminConsent } from '../../../backend/microsoft/consent.service.js';
import { settleAcceptedLink } from '../../../backend/invites/accept-link.js';
import { listInvites } from '../../../backend/invites/invite.service.js';
import * as alertRepo from '../../../backend/alerts/alert.repository.js';
import { alertSettings } from '../../../backend/alerts/alert.service.js';
import type { InviteRow } from '../../../backend/db/database.js';
import { SecretBox } from '../../../backend/security/secret-box.js';
import { claimMailboxes, fencedWrite, LeaseLost, recordPassTimes, releaseMailboxLease, renewMailboxLease } from '../../../backend/sync/lease.service.js';
import * as diary from '../../../backend/sync/diary/item.repository.js';
import { ignoreProblems, unignoreProblems } from '../../../backend/health/health.service.js';
import { grantsOfTenant, linksWithSyncState } from '../../../backend/health/health.repository.js';
import { ADMIN, makeHarness, newLink } from '../../helpers/harness.js';
import * as explainRepo from '../../../backend/explain/explain.repository.js';
import { proposeBalance, rankLoad } from '../../../backend/ranks/ranks.service.js';
import { recordPassLoad } from '../../../backend/sync/load.repository.js';
import { exportPage } from '../../../backend/links/link-csv.repository.js';

/**
 * Every repository and service query as SQL Server would receive it, without a server: the app's
 * Kysely runs with MssqlAdapter + MssqlQueryCompiler over a driver that records each statement and
 * answers plausibly. test/backend/db/mssql-live.test.ts runs the same flows on a real server.
 */

const SQL_SERVER_MAX_PARAMS = 2100;
/** `insert … values` takes at most 1,000 rows on SQL Server. */
const SQL_SERVER_MAX_VALUES_ROWS = 1000;
/** SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32. */
const SQLITE_MAX_PARAMS = 32766;

const TENANT = 'Cust12345';
const ACTOR: Actor = { tenantId: TENANT, associateId: 5, associateName: 'Ada Admin', requestId: 'req-1' };
const NOW = new Date('2026-11-25T09:00:00.000Z');

type Answer = Partial<QueryResult<unknown>> | undefined;

/** Kysely's operation nodes are plain objects: find the first node of `kind` anywhere below `node`. */
function findNode(node: unknown, kind: string): Record<string, unknown> | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if ((node as { kind?: unknown }).kind === kind) return node as Record<string, unknown>;
  for (const value of Object.values(node)) {
    const found = findNode(value, kind);
    if (found) return found;
  }
  return undefined;
}

/** The values of the statement's `in (…)` list. */
function inList(query: CompiledQuery): readonly unknown[] {
  return (findNode(query.query, 'PrimitiveValueListNode')?.values as unknown[] | undefined) ?? [];
}

/** Rows an `insert … values` statement carries. */
function insertedRows(query: CompiledQuery): number {
  const values = findNode(query.query, 'ValuesNode')?.values as unknown[] | undefined;
  return values?.length ?? 0;
}

/** The first table a statement names. */
function tableOf(query: CompiledQuery): string {
  return /\b(?:from|into|update)\s+["[](\w+)/i.exec(query.sql)?.[1] ?? '';
}

function kindOf(query: CompiledQuery): string {
  return query.query.kind;
}

/**
 * A store whose statements are recorded. `answer` may return canned rows for a statement; otherwise
 * inserts report their row count, updates one row, deletes as many rows as their `in` list names.
 */
function recordingStore(answer: (q: CompiledQuery) => Answer = () => undefined) {
  const log: CompiledQuery[] = [];
  const respond = async (q: CompiledQuery): Promise<QueryResult<unknown>> => {
    log.push(q);
    const canned = answer(q);
    const affected =
      kindOf(q) === 'InsertQueryNode' ? insertedRows(q) : inList(q).length || 1;
    return {
      rows: canned?.rows ?? [],
      numAffectedRows: canned?.numAffectedRows ?? (kindOf(q) === 'SelectQueryNode' ? undefined : BigInt(affected)),
    };
  };
  const dialect = new Dialect('mssql');
  const make = (db: Kysely<Database>): Store => ({
    db,
    dialect,
    description: 'mssql (recorded)',
    // Kysely's own transaction path; the recording driver's begin/commit are no-ops.
    transaction: (work) => db.transaction().execute((trx) => work({ db: trx, dialect })),
    withPlugin: (plugin) => make(db.withPlugin(plugin)),
    destroy: () => db.destroy(),
  });
  return { store: make(new Kysely<Database>({ dialect: recordingDialect('mssql', respond) })), log };
}

/** Words allowed outside delimited identifiers, literals and parameters. Anything else is a bare identifier. */
const KEYWORDS = new Set(
  `select from where and or not in is null insert into values update set delete as top order by asc desc
   left inner join on group having count coalesce exists offset fetch next rows only output inserted deleted
   distinct case when then else end with updlock readpast rowlock dateadd millisecond sysutcdatetime sum like escape max`.split(/\s+/),
);

/** What every statement the app sends to SQL Server must satisfy. */
function assertSqlServerSafe(log: readonly CompiledQuery[]): void {
  assert.ok(log.length > 0, 'statements were recorded');
  for (const q of log) {
    assert.ok(q.parameters.length < SQL_SERVER_MAX_PARAMS, `${q.parameters.length} parameters: ${q.sql.slice(0, 120)}`);
    assert.doesNotMatch(q.sql, /\breturning\b/i, 'SQL Server has no returning (it has output)');
    assert.doesNotMatch(q.sql, /\blimit\b/i, 'SQL Server has no limit (it has top / offset … fetch)');
    if (kindOf(q) === 'InsertQueryNode') assert.ok(insertedRows(q) <= SQL_SERVER_MAX_VALUES_ROWS, 'at most 1,000 rows per insert');
    // Every identifier is delimited. Kysely 0.28's MssqlQueryCompiler writes "x" (valid under
    // QUOTED_IDENTIFIER ON, tedious's default); [x] is accepted too.
    const bare = q.sql
      .replace(/"(?:[^"]|"")*"|\[(?:[^\]]|\]\])*\]|'(?:[^']|'')*'|@\d+|\b\d+\b/g, ' ')
      .match(/[A-Za-z_]\w*/g)
      ?.filter((word) => !KEYWORDS.has(word.toLowerCase()));
    assert.deepEqual(bare ?? [], [], `undelimited identifiers in: ${q.sql.slice(0, 200)}`);
  }
}

function figures(t: TestContext, label: string, log: readonly CompiledQuery[]): void {
  const max = Math.max(...log.map((q) => q.parameters.length));
  t.diagnostic(`${label}: ${log.length} statements, at most ${max} parameters in one`);
}

/** `count` valid links as the API hands them to the service (defaults applied, ids lower-cased). */
function newLinks(count: number, from = 1): NewLink[] {
  return SaveLinksBody.parse({ links: Array.from({ length: count }, (_, i) => newLink(from + i)) }).links;
}

/** A stored link row as SQL Server's driver returns it: `bit` as boolean, `datetime2` as Date. */
function linkRow(id: string, n: number, version = 1) {
  return {
    id,
    tenant_id: TENANT,
    associate_id: n,
    associate_name: `Associate ${n}`,
    mailbox_id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    mailbox_address: `user${n}@contoso.example`,
    sync_diary: true,
    sync_task: true,
    sync_contact: true,
    rank: 1,
    version,
    created_by: 5,
    created_at: new Date('2026-11-01T00:00:00.000Z'),
    updated_by: 5,
    updated_at: new Date('2026-11-01T00:00:00.000Z'),
  };
}

const linkId = (n: number) => `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Answers `select … from link where id in (…)` with a row per id, and history counts of 2 per link. */
function linksExist(version = 1) {
  return (q: CompiledQuery): Answer => {
    if (kindOf(q) !== 'SelectQueryNode') return undefined;
    const ids = inList(q) as string[];
    // SQL Server hands `count(*)` back as a number; readInt also copes with bigint strings.
    if (/inner join "sync_item"/.test(q.sql)) return { rows: ids.map((id) => ({ link_id: id, n: 2 })) };
    if (tableOf(q) === 'link') return { rows: ids.map((id) => linkRow(id, Number.parseInt(id.slice(-12), 16), version)) };
    return undefined;
  };
}

describe('SQL Server: every query compiles to T-SQL within its limits', () => {
  test('saveAddedLinks with 10,000 new links', async (t) => {
    const { store, log } = recordingStore();
    const result = await saveAddedLinks(store, ACTOR, newLinks(10_000), NOW);
    assert.equal(result.created.length, 10_000);
    assertSqlServerSafe(log);
    figures(t, 'save 10,000 links', log);

    const lookups = log.filter((q) => kindOf(q) === 'SelectQueryNode' && /from "link"/.test(q.sql));
    assert.equal(lookups.length, 20, 'associates and mailboxes looked up 1,000 at a time');
    // The tenant's mode decides whether the answer carries authorizations (application mode: no lookup).
    assert.equal(log.filter((q) => kindOf(q) === 'SelectQueryNode' && /from "tenant"/.test(q.sql)).length, 1);
    for (const q of lookups) assert.ok(inList(q).length <= 1000);

    const linkInserts = log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'link');
    assert.ok(linkInserts.length > 1, 'spread over several statements');
    assert.equal(linkInserts.reduce((n, q) => n + insertedRows(q), 0), 10_000);
    figures(t, '  of which link inserts', linkInserts);
    const auditInserts = log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'audit_log');
    assert.ok(auditInserts.length > 1);
    assert.equal(auditInserts.reduce((n, q) => n + insertedRows(q), 0), 10_000);
    figures(t, '  of which audit inserts', auditInserts);
    // SQL Server's driver binds booleans as bit, not SQLite's 0/1; times go as zone-less ISO text
    // with milliseconds (a JS Date would be bound as legacy `datetime` and lose them).
    assert.equal(linkInserts[0]!.parameters.filter((p) => typeof p === 'boolean').length, 3 * insertedRows(linkInserts[0]!));
    assert.ok(linkInserts[0]!.parameters.some((p) => typeof p === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/.test(p)));
    assert.ok(!linkInserts[0]!.parameters.some((p) => p instanceof Date));
  });

  test('saveLinkOptions: versioned updates, 409 on a stale version or a lost race', async (t) => {
    const changes = Array.from({ length: 2500 }, (_, i) => ({
      id: linkId(i + 1),
      diary: false,
      task: true,
      contact: true,
      rank: 7,
      expectedVersion: 1,
    }));
    const { store, log } = recordingStore(linksExist());
    const result = await saveLinkOptions(store, ACTOR, changes, NOW);
    assert.equal(result.updated.length, 2500);
    assert.equal(result.updated[0]!.version, 2);
    assertSqlServerSafe(log);
    figures(t, 'options for 2,500 links', log);
    const updates = log.filter((q) => kindOf(q) === 'UpdateQueryNode');
    assert.equal(updates.length, 3, 'links given the same values are updated 1,000 ids at a time');
    assert.equal(updates.reduce((n, q) => n + inList(q).length, 0), 2500);
    assert.match(updates[0]!.sql, /^update "link" set .* where "tenant_id" = @\d+ and "version" = @\d+ and "id" in \(/);

    const stale = recordingStore(linksExist(2));
    await assert.rejects(saveLinkOptions(stale.store, ACTOR, changes.slice(0, 3), NOW), (err: unknown) => {
      assert.ok(err instanceof ApiError && err.status === 409 && err.code === 'VersionConflict');
      return true;
    });
    assert.ok(stale.log.every((q) => kindOf(q) === 'SelectQueryNode'), 'a stale version writes nothing');

    // Another writer committed between the read and the update: the update matches no row.
    const race = recordingStore((q) => (kindOf(q) === 'UpdateQueryNode' ? { numAffectedRows: 0n } : linksExist()(q)));
    await assert.rejects(saveLinkOptions(race.store, ACTOR, changes.slice(0, 3), NOW), (err: unknown) => {
      assert.ok(err instanceof ApiError && err.status === 409);
      return true;
    });
  });

  test('previewRemoval and removeLinks with 10,000 ids', async (t) => {
    const ids = Array.from({ length: 10_000 }, (_, i) => linkId(i + 1));
    const previewed = recordingStore(linksExist());
    const preview = await previewRemoval(previewed.store, TENANT, ids);
    assert.equal(preview.links, 10_000);
    assert.equal(preview.historyRows, 20_000);
    assertSqlServerSafe(previewed.log);
    figures(t, 'preview removal of 10,000 links', previewed.log);
    assert.match(
      previewed.log.at(-1)!.sql,
      /^select "l"\."id" as "link_id", count\(\*\) as "n" from "link" as "l" inner join "sync_item" as "i" on .*"i"\."associate_id" = "l"\."associate_id" and "i"\."mailbox_id" = "l"\."mailbox_id" where .* group by "l"\."id"$/,
    );

    const { store, log } = recordingStore(linksExist());
    const removed = await removeLinks(store, ACTOR, ids, NOW);
    assert.equal(removed.links, 10_000);
    assertSqlServerSafe(log);
    figures(t, 'remove 10,000 links', log);
    const deletes = log.filter((q) => kindOf(q) === 'DeleteQueryNode');
    assert.equal(deletes.length, 40);
    // What the synchronizer keeps of a slice goes with its links, matched through the link rows
    // (so before them), 1,000 link ids per statement.
    deletes.forEach((q, i) => assert.equal(tableOf(q), ['sync_item', 'sync_conflict', 'sync_cursor', 'link'][i % 4]));
    for (const q of deletes) assert.ok(inList(q).length <= 1000);
    assert.match(deletes[0]!.sql, /^delete from "sync_item" where "tenant_id" = @1 and exists \(select "l"\."id" from "link" as "l" where "l"\."tenant_id" = @2 and "l"\."id" in \(.*\) and "l"\."associate_id" = "sync_item"\."associate_id" and "l"\."mailbox_id" = "sync_item"\."mailbox_id"\)$/);
    assert.equal(deletes.filter((q) => tableOf(q) === 'link').reduce((n, q) => n + inList(q).length, 0), 10_000);
    const audit = log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'audit_log');
    assert.equal(audit.reduce((n, q) => n + insertedRows(q), 0), 10_000);

    // Someone removed a link meanwhile: fewer rows deleted than asked, so everything rolls back.
    const raced = recordingStore((q) =>
      kindOf(q) === 'DeleteQueryNode' && tableOf(q) === 'link' ? { numAffectedRows: BigInt(inList(q).length - 1) } : linksExist()(q),
    );
    await assert.rejects(removeLinks(raced.store, ACTOR, ids.slice(0, 5), NOW), (err: unknown) => err instanceof ApiError && err.status === 404);
  });

  test('listLinkedUsers: the links with their items in sync per kind, then the tenant sync rows and per-kind status; SQL Server types read', async () => {
    const { store, log } = recordingStore((q) => {
      if (kindOf(q) !== 'SelectQueryNode') return undefined;
      if (q.sql.includes('from "link" as "l"')) return { rows: [{ ...linkRow(linkId(1), 1), sync_task: false, items_appointment: 2, items_task: 0, items_contact: 1 }] };
      if (q.sql.includes('from "sync_kind_status"')) {
        return { rows: [{ mailbox_id: linkRow(linkId(1), 1).mailbox_id, kind: 'appointment', state: 'breaker', last_pass_at: new Date('2026-11-25T08:00:00.000Z'), last_success_at: new Date('2026-11-24T08:00:00.000Z'), last_created: 4, last_updated: 0, last_deleted: 0, last_conflicts: 0, last_error: 'The pass would have deleted 25 of 40 appointments.' }] };
      }
      return {
        rows: [
          {
            mailbox_id: linkRow(linkId(1), 1).mailbox_id,
            sync_state: 'breaker',
            sync_leased: 0,
            sync_last_pass_at: new Date('2026-11-25T08:00:00.000Z'),
            sync_last_success_at: new Date('2026-11-24T08:00:00.000Z'),
            sync_next_due_at: new Date('2026-11-25T08:05:00.000Z'),
            sync_last_created: 0,
            sync_last_updated: 2,
            sync_last_deleted: 0,
            sync_last_conflicts: 1,
            sync_last_error: null,
            sync_breaker_detail: 'The pass would have deleted 25 of 40 appointments.',
          },
        ],
      };
    });
    const links = await listLinkedUsers(store, TENANT);
    assertSqlServerSafe(log);
    assert.equal(log.length, 3);
    for (const kind of ['appointment', 'task', 'contact']) {
      assert.match(log[0]!.sql, new RegExp(`\\(select count\\(\\*\\) as "n" from "sync_item" as "i" where "i"."tenant_id" = "l"."tenant_id" and "i"."associate_id" = "l"."associate_id" and "i"."mailbox_id" = "l"."mailbox_id" and "i"."state" = @\\d+ and "i"."kind" = @\\d+\\) as "items_${kind}"`));
    }
    assert.match(log[1]!.sql, /from "sync_mailbox" as "m" where "m"\."tenant_id" = @\d+$/);
    assert.match(log[2]!.sql, /from "sync_kind_status" as "k" where "k"\."tenant_id" = @\d+$/);
    // The live lease is judged by the database's clock.
    assert.match(log[1]!.sql, /case when \("m"\."lease_owner" is not null and "m"\."lease_expires_at" > dateadd\(millisecond, @\d+, sysutcdatetime\(\)\)\) then 1 else 0 end as "sync_leased"/);
    assert.match(log[0]!.sql, /left join "authorized_mailbox" as "a"/);
    assert.deepEqual(
      { task: links[0]!.task, diary: links[0]!.diary, historyCount: links[0]!.historyCount, createdAt: links[0]!.createdAt },
      { task: false, diary: true, historyCount: 3, createdAt: '2026-11-01T00:00:00.000Z' },
    );
    const { kinds, ...sync } = links[0]!.sync;
    assert.deepEqual(sync, {
      state: 'breaker',
      lastSuccessAt: '2026-11-24T08:00:00.000Z',
      nextDueAt: '2026-11-25T08:05:00.000Z',
      itemsInSync: 3,
      lastPass: { created: 0, updated: 2, deleted: 0, conflicts: 1 },
      message: 'The pass would have deleted 25 of 40 appointments.',
    });
    assert.deepEqual(kinds, {
      diary: { state: 'breaker', itemsInSync: 2, lastSuccessAt: '2026-11-24T08:00:00.000Z', lastPass: { created: 4, updated: 0, deleted: 0, conflicts: 0 }, message: 'The pass would have deleted 25 of 40 appointments.' },
      task: { state: 'off', itemsInSync: 0, lastSuccessAt: null, lastPass: null, message: null },
      contact: { state: 'pending', itemsInSync: 1, lastSuccessAt: null, lastPass: null, message: null },
    });
  });

  test('linkedUsersPage: top limit+1 after the cursor key, the sync rows of the page\'s mailboxes 1,000 at a time', async () => {
    const rows = Array.from({ length: 1501 }, (_, i) => ({ ...linkRow(linkId(i + 2), i + 2), items_appointment: 0, items_task: 0, items_contact: 0 }));
    const { store, log } = recordingStore((q) => (kindOf(q) === 'SelectQueryNode' && q.sql.includes('from "link" as "l"') ? { rows } : undefined));
    const first = await linkedUsersPage(store, TENANT, { limit: 1500 });
    assertSqlServerSafe(log);
    assert.equal(first.links.length, 1500);
    assert.ok(first.nextCursor, 'a full page and one more: another page follows');
    assert.match(log[0]!.sql, /^select top\(1501\) /);
    assert.match(log[0]!.sql, /order by "l"\."associate_name", "l"\."id"$/);
    assert.doesNotMatch(log[0]!.sql, /"associate_name" >/, 'the first page starts at the beginning');
    const statuses = log.slice(1);
    assert.deepEqual(statuses.map((q) => inList(q).length), [1000, 501, 1000, 501], 'SQL Server takes at most 1,000 values in one in-list here');
    for (const q of statuses.slice(0, 2)) assert.match(q.sql, /where "m"\."tenant_id" = @\d+ and "m"\."mailbox_id" in \(/);
    for (const q of statuses.slice(2)) assert.match(q.sql, /where "k"\."tenant_id" = @\d+ and "k"\."mailbox_id" in \(/);

    log.length = 0;
    await linkedUsersPage(store, TENANT, { limit: 1500, cursor: first.nextCursor! });
    assert.match(log[0]!.sql, /and \("l"\."associate_name" > @\d+ or \("l"\."associate_name" = @\d+ and "l"\."id" > @\d+\)\)/);
    const last = rows[1499]!;
    assert.deepEqual(log[0]!.parameters.slice(-3), [last.associate_name, last.associate_name, last.id], 'the key of the page\'s last link');
  });

  test('pageAudit pages with top, and appendAudit batches within limits', async () => {
    const { store, log } = recordingStore((q) =>
      kindOf(q) === 'SelectQueryNode'
        ? {
            rows: [
              {
                id: '42', // bigint comes back as a string
                tenant_id: TENANT,
                actor_associate_id: 5,
                actor_name: 'Ada Admin',
                action: 'link.created',
                entity_type: 'link',
                entity_id: linkId(1),
                before_json: null,
                after_json: '{"rank":1}',
                request_id: 'req-1',
                created_at: NOW,
              },
            ],
          }
        : undefined,
    );
    const entries = await pageAudit(store, TENANT, { limit: 50, before: 100, entityId: linkId(1) });
    assert.deepEqual(entries[0]!.id, 42);
    assert.equal(entries[0]!.at, NOW.toISOString());
    assert.deepEqual(entries[0]!.after, { rank: 1 });
    await pageAudit(store, TENANT, { limit: 500 });
    assert.match(log[0]!.sql, /^select top\(50\) \* from "audit_log" where "tenant_id" = @1 and "id" < @2 and "entity_id" = @3 order by "id" desc$/);
    assert.match(log[1]!.sql, /^select top\(500\) \* from "audit_log" where "tenant_id" = @1 order by "id" desc$/);

    const many = Array.from({ length: 5000 }, (_, i) => ({ action: 'x', entityType: 'link', entityId: linkId(i), before: null, after: { i } }));
    await appendAudit(store, ACTOR, many, NOW);
    assertSqlServerSafe(log);
  });

  test('sessions: issue, verify, end, purge', async () => {
    const session = { tenant_id: TENANT, associate_id: 5, associate_name: 'Ada Admin', is_admin: true, expires_at: new Date('2026-11-25T17:00:00.000Z') };
    const { store, log } = recordingStore((q) => (kindOf(q) === 'SelectQueryNode' && tableOf(q) === 'session' ? { rows: [session] } : undefined));
    const { token } = await issueSession(store, ADMIN, 480, NOW);
    assert.deepEqual(log.map((q) => [kindOf(q), tableOf(q)]), [
      ['SelectQueryNode', 'tenant'],
      ['InsertQueryNode', 'tenant'],
      ['InsertQueryNode', 'session'],
      // Who administers the tenant, as this sign-in says (the alerts' recipients).
      ['UpdateQueryNode', 'superoffice_admin'],
      ['DeleteQueryNode', 'session'],
    ]);
    const verified = await verifySession(store, token, NOW);
    assert.deepEqual(verified, { tenantId: TENANT, associateId: 5, associateName: 'Ada Admin', isAdmin: true, expiresAt: '2026-11-25T17:00:00.000Z' });
    assert.match(log.at(-1)!.sql, /^select "tenant_id", .* from "session" where "token_hash" = @1 and "expires_at" > @2$/);
    assert.equal(await verifySession(store, 'not-a-token', NOW), null);
    assert.equal(log.length, 6, 'a malformed token is refused without a query');
    await endSession(store, token);
    assert.match(log.at(-1)!.sql, /^delete from "session" where "token_hash" = @1$/);
    assert.equal(await purgeExpiredSessions(store, NOW), 1);
    assert.match(log.at(-1)!.sql, /^delete from "session" where "expires_at" <= @1$/);
    assertSqlServerSafe(log);
  });

  test('admin consent: the login state with the verified approver, then the tenant and its audit', async () => {
    const box = SecretBox.fromSetting(Buffer.alloc(32, 7).toString('base64'));
    const approver = { entraTenantId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9', oid: '0c9e7a55-3f21-4d6b-8e40-9a1b2c3d4e5f', name: 'Kari Nordmann' };
    const pendingRow = {
      tenant_id: TENANT,
      associate_id: 5,
      associate_name: 'Ada Admin',
      nonce: 'n',
      code_verifier_sealed: null,
      entra_tenant_id: approver.entraTenantId,
      entra_oid: approver.oid,
      entra_name: approver.name,
    };
    const { store, log } = recordingStore((q) => {
      if (kindOf(q) !== 'SelectQueryNode') return undefined;
      if (tableOf(q) === 'login_state') return { rows: [pendingRow] };
      if (tableOf(q) === 'tenant') return { rows: [{ entra_tenant_id: null, admin_consent_oid: null, admin_consent_name: null, version: 3 }] };
      return undefined;
    });
    const state = await createLoginState(store, box, { purpose: 'admin_consent', tenantId: TENANT, nonce: 'n', verifier: null, actor: { associateId: 5, name: 'Ada Admin' }, approver }, NOW);
    assert.match(log[0]!.sql, /^insert into "login_state" \(.*"entra_tenant_id", "entra_oid", "entra_name".*\) values/);
    const done = await completeAdminConsent(store, { box } as Integration, { admin_consent: 'True', tenant: approver.entraTenantId.toUpperCase(), state }, 'req-1', NOW);
    assert.deepEqual(done, { tenantId: TENANT, entraTenantId: approver.entraTenantId });
    assert.deepEqual(log.map((q) => [kindOf(q), tableOf(q)]), [
      ['InsertQueryNode', 'login_state'],
      ['DeleteQueryNode', 'login_state'],
      ['SelectQueryNode', 'login_state'],
      ['DeleteQueryNode', 'login_state'],
      ['SelectQueryNode', 'tenant'],
      ['UpdateQueryNode', 'tenant'],
      ['InsertQueryNode', 'audit_log'],
    ]);
    const update = log[5]!;
    assert.match(update.sql, /^update "tenant" set "entra_tenant_id" = @1, "admin_consent_at" = @2, "admin_consent_oid" = @3, "admin_consent_name" = @4, "entra_organization_name" = @5, "version" = @6/);
    assert.deepEqual(update.parameters.slice(0, 6), [approver.entraTenantId, '2026-11-25T09:00:00.000', approver.oid, approver.name, null, 4]);
    assertSqlServerSafe(log);
  });

  test('sync leases: the claim is one statement with top, row-lock hints and output; renew, release and fenced writes check owner and epoch', async () => {
    const claimed = {
      tenant_id: TENANT,
      mailbox_id: '00000000-0000-4000-8000-000000000001',
      lease_owner: 'host/1/ab',
      lease_epoch: 3,
      lease_expires_at: NOW,
      next_due_at: NOW,
      last_pass_at: null,
      state: 'pending',
      last_error: null,
      created_at: NOW,
    };
    const { store, log } = recordingStore((q) => (kindOf(q) === 'RawNode' ? { rows: [claimed] } : undefined));
    const allRanks = Array.from({ length: 99 }, (_, i) => i + 1);
    const [mailbox] = await claimMailboxes(store, 'host/1/ab', allRanks, 50, 60_000);
    assert.deepEqual([mailbox!.epoch, mailbox!.leaseExpiresAt], [3, NOW.toISOString()]);
    assert.deepEqual(log.map(kindOf), ['InsertQueryNode', 'RawNode']);
    // New links get their row; a concurrent worker's identical insert (2627) is not an error.
    assert.match(log[0]!.sql, /^insert into "sync_mailbox" \(.*\) select "l"\."tenant_id", "l"\."mailbox_id", .* from "link" as "l" where not exists/);
    const claim = log[1]!.sql.replace(/\s+/g, ' ');
    assert.match(
      claim,
      /^update "sync_mailbox" set "lease_owner" = @1, "lease_epoch" = "sync_mailbox"\."lease_epoch" \+ 1, "lease_expires_at" = dateadd\(millisecond, @2, sysutcdatetime\(\)\), "next_due_at" = dateadd\(millisecond, @3, sysutcdatetime\(\)\) output "inserted"\."tenant_id", "inserted"\."mailbox_id", .* from \( select top \(@4\) "c"\."tenant_id", "c"\."mailbox_id" from "sync_mailbox" as "c" with \(updlock, readpast, rowlock\) inner join "link" as "l" on .* where "l"\."rank" in \(@5, .*\) .* order by "c"\."next_due_at" \) as "due" where "due"\."tenant_id" = "sync_mailbox"\."tenant_id" and "due"\."mailbox_id" = "sync_mailbox"\."mailbox_id"\s*$/,
    );
    assert.deepEqual(log[1]!.parameters.slice(0, 5), ['host/1/ab', 60_000, 60_000, 50, 1]);
    assert.equal(log[1]!.parameters.length, 4 + 99 + 2, 'owner, lease, n, 99 ranks and the clock');

    const lease = { tenantId: TENANT, mailboxId: claimed.mailbox_id, owner: 'host/1/ab', epoch: 3 };
    const fence = /where "tenant_id" = @\d+ and "mailbox_id" = @\d+ and "lease_owner" = @\d+ and "lease_epoch" = @\d+$/;
    assert.equal(await renewMailboxLease(store, lease, 60_000), true);
    assert.match(log.at(-1)!.sql, /^update "sync_mailbox" set "lease_expires_at" = dateadd\(millisecond, @1, sysutcdatetime\(\)\) where /);
    assert.match(log.at(-1)!.sql, fence);
    await fencedWrite(store, lease, (tx) => recordPassTimes(tx, lease, 300_000));
    assert.match(log.at(-2)!.sql, /^update "sync_mailbox" set "lease_epoch" = @1 where /, 'the fence first, in the same transaction');
    assert.match(log.at(-2)!.sql, fence);
    assert.match(log.at(-1)!.sql, /^update "sync_mailbox" set "last_pass_at" = dateadd\(millisecond, @1, sysutcdatetime\(\)\), "next_due_at" = dateadd/);
    assert.match(log.at(-1)!.sql, fence);
    assert.equal(await releaseMailboxLease(store, lease, { error: 'SuperOffice is down', dueInMs: 300_000 }), true);
    assert.match(log.at(-1)!.sql, /^update "sync_mailbox" set "lease_owner" = @1, "lease_expires_at" = @2, "state" = @3, "last_error" = @4, "next_due_at" = dateadd/);
    assert.match(log.at(-1)!.sql, fence);
    assertSqlServerSafe(log);

    // The lease was taken over: the fence matches no row, and nothing after it is sent.
    const lost = recordingStore((q) => (kindOf(q) === 'UpdateQueryNode' ? { numAffectedRows: 0n } : undefined));
    await assert.rejects(fencedWrite(lost.store, lease, (tx) => recordPassTimes(tx, lease, 1)), LeaseLost);
    assert.equal(lost.log.length, 1);
    assert.equal(await renewMailboxLease(lost.store, lease, 1000), false);
    assert.equal(await releaseMailboxLease(lost.store, lease), false);
  });

  test('diary pass: mapping, cursor, conflicts and status queries, id lists chunked under 2,100 parameters', async (t) => {
    const MAILBOX = '00000000-0000-4000-8000-000000000001';
    const { store, log } = recordingStore((q) => (kindOf(q) === 'UpdateQueryNode' && tableOf(q) === 'sync_cursor' ? { numAffectedRows: 0n } : undefined));
    await diary.findPassContext(store, TENANT, MAILBOX);
    assert.match(log.at(-1)!.sql, /^select .* from "link" as "l" inner join "tenant" as "t" on .* inner join "sync_mailbox" as "m" on .* where "l"\."tenant_id" = @1 and "l"\."mailbox_id" = @2$/);
    await diary.listItems(store, TENANT, MAILBOX, 'appointment');
    const intents: diary.NewItem[] = Array.from({ length: 2500 }, (_, i) => ({
      tenant_id: TENANT,
      associate_id: 7,
      mailbox_id: MAILBOX,
      kind: 'appointment',
      so_id: i + 1,
      graph_id: null,
      origin: 'superoffice',
      state: 'pending',
      op_id: `op-${i}`,
      op_started_at: store.dialect.time(NOW),
    }));
    const before = log.length;
    await diary.insertItems(store, intents, NOW);
    const inserts = log.slice(before);
    assert.ok(inserts.length >= 3, `2,500 intents in ${inserts.length} statements`);
    assert.equal(inserts.reduce((n, q) => n + insertedRows(q), 0), 2500);
    const ids = Array.from({ length: 2500 }, (_, i) => i + 1);
    for (const run of [
      () => diary.findItemsByOps(store, TENANT, MAILBOX, intents.map((r) => r.op_id!)),
      () => diary.setItemsState(store, TENANT, MAILBOX, ids, 'out_of_window', NOW),
      () => diary.deleteItems(store, TENANT, MAILBOX, ids),
    ]) {
      const from = log.length;
      await run();
      assert.equal(log.length - from, 3, 'ids 1,000 at a time');
    }
    await diary.updateItem(store, TENANT, MAILBOX, 42, { graph_id: 'AAMkAD=', state: 'active', so_hash: 'a'.repeat(64) }, NOW);
    assert.match(log.at(-1)!.sql, /^update "sync_item" set .* where "tenant_id" = @\d+ and "mailbox_id" = @\d+ and "id" = @\d+$/);
    await diary.findCursor(store, TENANT, MAILBOX, 'appointment');
    // No cursor yet: the update finds no row, the insert follows (both dialects, no merge).
    await diary.saveCursor(store, TENANT, MAILBOX, 'appointment', { deltaLink: 'https://graph/delta?$deltatoken=x', windowStart: NOW.toISOString(), windowEnd: NOW.toISOString(), soWatermark: null, lastReconcileAt: NOW.toISOString() }, NOW);
    assert.deepEqual(log.slice(-2).map((q) => [kindOf(q), tableOf(q)]), [['UpdateQueryNode', 'sync_cursor'], ['InsertQueryNode', 'sync_cursor']]);
    await diary.insertConflicts(store, Array.from({ length: 1500 }, () => ({ tenant_id: TENANT, associate_id: 7, mailbox_id: MAILBOX, kind: 'appointment' as const, so_id: 1, graph_id: 'g', field: 'subject', base_value: 'a', superoffice_value: 'b', outlook_value: 'c', winner: 'superoffice' as const })), NOW);
    const lease = { tenantId: TENANT, mailboxId: MAILBOX, owner: 'host/1/ab', epoch: 3 };
    await diary.recordPassOutcome(store, lease, { state: 'in_sync', lastError: null, dueInMs: 300_000, success: { created: 1, updated: 2, deleted: 0, conflicts: 0 }, breakerDetail: null, clearBreakerRelease: true });
    assert.match(log.at(-1)!.sql, /^update "sync_mailbox" set "state" = @1, "last_error" = @2, "last_pass_at" = dateadd\(millisecond, @3, sysutcdatetime\(\)\), "next_due_at" = dateadd/);
    assert.match(log.at(-1)!.sql, /where "tenant_id" = @\d+ and "mailbox_id" = @\d+ and "lease_owner" = @\d+ and "lease_epoch" = @\d+$/);
    assertSqlServerSafe(log);
    figures(t, 'diary pass queries', log);
  });

  test('Sync now and Resume with 1,000 links: chunked reads, a scoped enrollment, due by the database clock, one audit row each', async (t) => {
    const ids = Array.from({ length: 1000 }, (_, i) => linkId(i + 1));
    const target = (id: string, state: string) => ({ ...linkRow(id, Number.parseInt(id.slice(-12), 16)), state, breaker_detail: state === 'breaker' ? 'would delete 30' : null });
    const answering = (state: string) => (q: CompiledQuery): Answer => {
      if (kindOf(q) !== 'SelectQueryNode') return undefined;
      if (/left join "sync_mailbox" as "m"/.test(q.sql)) return { rows: (inList(q) as string[]).map((id) => target(id, state)) };
      if (tableOf(q) === 'tenant') return { rows: [{ mode: 'application' }] };
      return undefined;
    };
    const run = recordingStore(answering('in_sync'));
    assert.deepEqual(await requestSync(run.store, ACTOR, ids, NOW), { requested: 1000 });
    assertSqlServerSafe(run.log);
    figures(t, 'Sync now, 1,000 links', run.log);
    assert.deepEqual(run.log.slice(0, 4).map((q) => [kindOf(q), tableOf(q)]), [
      ['SelectQueryNode', 'link'],
      ['SelectQueryNode', 'tenant'],
      ['InsertQueryNode', 'sync_mailbox'],
      ['UpdateQueryNode', 'sync_mailbox'],
    ]);
    const audit = run.log.slice(4);
    assert.ok(audit.every((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'audit_log'));
    // Only this tenant's selected links are enrolled; due now is the server's clock, not ours.
    assert.match(run.log[2]!.sql, /^insert into "sync_mailbox" \(.*\) select .* from "link" as "l" where "l"\."tenant_id" = @\d+ and "l"\."id" in \(.*\) and not exists/);
    assert.match(run.log[3]!.sql, /^update "sync_mailbox" set "next_due_at" = dateadd\(millisecond, @1, sysutcdatetime\(\)\) where "tenant_id" = @2 and "mailbox_id" in \(/);
    assert.equal(audit.reduce((n, q) => n + insertedRows(q), 0), 1000, 'one audit row per link');

    const release = recordingStore(answering('breaker'));
    assert.deepEqual(await releaseBreaker(release.store, ACTOR, ids, NOW), { released: 1000 });
    assertSqlServerSafe(release.log);
    const update = release.log.find((q) => kindOf(q) === 'UpdateQueryNode')!;
    assert.match(update.sql, /^update "sync_mailbox" set "breaker_released_at" = dateadd\(millisecond, @1, sysutcdatetime\(\)\), "state" = @2, "next_due_at" = dateadd\(millisecond, @3, sysutcdatetime\(\)\) where "tenant_id" = @4 and "state" = @5 and "mailbox_id" in \(/);
    // A pass changed one meanwhile: fewer rows than asked, the transaction rolls back.
    const raced = recordingStore((q) => (kindOf(q) === 'UpdateQueryNode' ? { numAffectedRows: 999n } : answering('breaker')(q)));
    await assert.rejects(releaseBreaker(raced.store, ACTOR, ids, NOW), (err: unknown) => err instanceof ApiError && err.code === 'SyncNotStopped');
  });

  test('tenant sync settings: one versioned update and its audit row', async () => {
    const row = { id: TENANT, version: 4, sync_window_past_days: 30, sync_window_future_days: 120, sync_conflict_winner: 'superoffice', sync_time_zone: 'Europe/Oslo' };
    const { store, log } = recordingStore((q) => (kindOf(q) === 'SelectQueryNode' && tableOf(q) === 'tenant' ? { rows: [row] } : undefined));
    await updateSyncSettings(store, ACTOR, { expectedVersion: 4, windowPastDays: 7, windowFutureDays: 60, conflictWinner: 'outlook', timeZone: 'UTC' }, NOW);
    assertSqlServerSafe(log);
    assert.match(log[1]!.sql, /^update "tenant" set "sync_window_past_days" = @1, "sync_window_future_days" = @2, "sync_conflict_winner" = @3, "sync_time_zone" = @4, "version" = @5, "updated_at" = @6 where "id" = @7 and "version" = @8$/);
    assert.deepEqual(log[1]!.parameters, [7, 60, 'outlook', 'UTC', 5, '2026-11-25T09:00:00.000', TENANT, 4]);
    assert.equal(tableOf(log[2]!), 'audit_log');
  });

  test('invites: the list with its authorization and link in one statement; an accept linking at once', async () => {
    const listed = recordingStore();
    await listInvites(listed.store, TENANT, NOW);
    assertSqlServerSafe(listed.log);
    assert.equal(listed.log.length, 1);
    assert.match(listed.log[0]!.sql, /left join "authorized_mailbox" as "a" .* left join "link" as "l" /);
    assert.match(listed.log[0]!.sql, /case when "a"\."invite_id" = "i"\."id" then "a"\."revoked_at" else @?\d*\s*(null)?\s*end as "auth_revoked_at"/);

    const invite = {
      id: 'inv-1', tenant_id: TENANT, associate_id: 7, associate_name: 'Bo Berg', email: 'bo@x.example', token_hash: 'h', created_by: 5,
      created_by_name: 'Ada Admin', created_at: NOW, expires_at: NOW, sent_at: null, accepted_at: null, accepted_mailbox_id: null, revoked_at: null,
      delivery: 'email', allow_other_mailbox: false, send_error: null, accept_nonce: null, link_on_accept: true, accept_outcome: null, accept_outcome_detail: null,
    } as InviteRow;
    const { store, log } = recordingStore();
    await store.transaction((tx) => settleAcceptedLink(tx, invite, { id: '00000000-0000-4000-8000-000000000007', address: 'bo@x.example' }, 'req-1', NOW));
    assertSqlServerSafe(log);
    assert.deepEqual(log.map((q) => [kindOf(q), tableOf(q)]), [
      ['SelectQueryNode', 'link'],
      ['SelectQueryNode', 'link'],
      ['SelectQueryNode', 'link'],
      ['SelectQueryNode', 'link'],
      ['InsertQueryNode', 'link'],
      ['InsertQueryNode', 'audit_log'],
      // The new link's authorization (the tenant's mode, then the mailbox's consent).
      ...log.slice(6, -1).map((q) => [kindOf(q), tableOf(q)]),
      ['UpdateQueryNode', 'invite'],
    ]);
    assert.ok(log.slice(6, -1).every((q) => kindOf(q) === 'SelectQueryNode'), 'only reads between the audit row and the outcome');
    assert.deepEqual(log.at(-1)!.parameters.slice(0, 2), ['linked', null]);
  });

  test('ensureTenant: a concurrent first sign-in (unique violation 2627) is not an error', async () => {
    // What tedious throws for a primary key violation.
    const violation = Object.assign(new Error('Violation of PRIMARY KEY constraint'), { number: 2627 });
    const { store, log } = recordingStore((q) => {
      if (kindOf(q) === 'InsertQueryNode') throw violation;
      return undefined;
    });
    await ensureTenant(store, TENANT, NOW);
    assert.deepEqual(log.map(kindOf), ['SelectQueryNode', 'InsertQueryNode']);
    assertSqlServerSafe(log);

    const other = recordingStore((q) => {
      if (kindOf(q) === 'InsertQueryNode') throw Object.assign(new Error('boom'), { number: 547 });
      return undefined;
    });
    await assert.rejects(ensureTenant(other.store, TENANT, NOW), /boom/);

    // An existing tenant: one read, no write.
    const existing = recordingStore(() => ({ rows: [{ id: TENANT }] }));
    await ensureTenant(existing.store, TENANT, NOW);
    assert.equal(existing.log.length, 1);
  });

  test('health: the report\'s reads, and Ignore / Stop ignoring 1,000 keys in chunks with one audit row each', async (t) => {
    const reads = recordingStore();
    await linksWithSyncState(reads.store, TENANT);
    await grantsOfTenant(reads.store, TENANT);
    assertSqlServerSafe(reads.log);
    assert.match(reads.log[0]!.sql, /from "link" as "l" left join "sync_mailbox" as "m" on "m"\."tenant_id" = "l"\."tenant_id" and "m"\."mailbox_id" = "l"\."mailbox_id" where "l"\."tenant_id" = @1/);
    assert.match(reads.log[1]!.sql, /case when "grant_sealed" is null then 0 else 1 end as "has_grant" from "authorized_mailbox" where "tenant_id" = @1$/);

    const ids = Array.from({ length: 1000 }, (_, i) => linkId(i + 1));
    const keys = ids.map((id) => `sync_error:${id}`);
    const ignore = recordingStore((q) => (kindOf(q) === 'SelectQueryNode' && tableOf(q) === 'link' ? { rows: (inList(q) as string[]).map((id) => linkRow(id, Number.parseInt(id.slice(-12), 16))) } : undefined));
    assert.deepEqual(await ignoreProblems(ignore.store, ACTOR, keys, NOW), { ignored: 1000 });
    assertSqlServerSafe(ignore.log);
    figures(t, 'Ignore, 1,000 keys', ignore.log);
    const inserted = ignore.log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'health_ignore').reduce((n, q) => n + insertedRows(q), 0);
    assert.equal(inserted, 1000);
    const audit = ignore.log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'audit_log').reduce((n, q) => n + insertedRows(q), 0);
    assert.equal(audit, 1000);

    const remove = recordingStore((q) => {
      if (kindOf(q) === 'SelectQueryNode' && tableOf(q) === 'health_ignore') return { rows: (inList(q) as string[]).map((k) => ({ problem_key: k })) };
      if (kindOf(q) === 'DeleteQueryNode') return { numAffectedRows: BigInt(inList(q).length) };
      return undefined;
    });
    assert.deepEqual(await unignoreProblems(remove.store, ACTOR, keys, NOW), { unignored: 1000 });
    assertSqlServerSafe(remove.log);
  });

  test('Undo: a removal copied, restored and purged 1,000 links per statement, by INSERT … SELECT', async (t) => {
    const ids = Array.from({ length: 2500 }, (_, i) => linkId(i + 1));
    const { store, log } = recordingStore(linksExist());
    await removeLinks(store, ACTOR, ids, NOW);
    assertSqlServerSafe(log);
    const copies = log.filter((q) => kindOf(q) === 'InsertQueryNode' && /^insert into "removed_/.test(q.sql));
    assert.equal(copies.length, 3 * 4, 'link, mappings, conflicts, cursors per slice of 1,000');
    for (const q of copies) {
      assert.match(q.sql, /^insert into "removed_\w+" \(.*\) select /);
      assert.ok(inList(q).length <= 1000);
    }

    // Removed, not linked again: restore reads them, checks the live links, moves them back.
    const removedRow = (id: string) => ({ ...linkRow(id, Number.parseInt(id.slice(-12), 16)), removed_at: NOW, removed_by: 5, removed_by_name: 'Ada Admin', action_id: null, items: 4, conflicts: 0 });
    const answer = (q: CompiledQuery): Answer => {
      if (kindOf(q) !== 'SelectQueryNode') return undefined;
      const list = inList(q) as string[];
      if (/from "removed_link" as "r"/.test(q.sql)) return { rows: list.map(removedRow) };
      if (tableOf(q) === 'link' && /"id" in \(/.test(q.sql)) return { rows: list.map((id) => linkRow(id, Number.parseInt(id.slice(-12), 16))) };
      return { rows: [] };
    };
    const restored = recordingStore(answer);
    const back = await restoreLinks(restored.store, ACTOR, ids, NOW);
    assert.equal(back.restored.length, 2500);
    assertSqlServerSafe(restored.log);
    figures(t, 'restore 2,500 links', restored.log);
    const inserts = restored.log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) !== 'audit_log');
    assert.deepEqual(inserts.slice(0, 4).map(tableOf), ['link', 'sync_item', 'sync_conflict', 'sync_cursor']);
    assert.equal(inserts.length, 12);

    const purged = recordingStore(answer);
    const gone = await purgeLinks(purged.store, ACTOR, ids, NOW);
    assert.deepEqual(gone.purged, { links: 2500, historyRows: 10_000 });
    assertSqlServerSafe(purged.log);
    const deletes = purged.log.filter((q) => kindOf(q) === 'DeleteQueryNode');
    assert.equal(deletes.length, 12);
    for (const q of deletes) assert.ok(inList(q).length <= 1000);
  });

  test('the audit view: filtered pages with top and parameters, the actors grouped, the export a page at a time', async () => {
    const row = (id: number) => ({ id: String(id), tenant_id: TENANT, actor_associate_id: 7, actor_name: 'Bo', action: 'link.removed', entity_type: 'link', entity_id: linkId(id), before_json: null, after_json: null, request_id: null, created_at: NOW });
    // The export reads pages of 1,000: two full pages, then a short one.
    let pages = 0;
    const { store, log } = recordingStore((q) => {
      if (!/from "audit_log"/.test(q.sql)) return undefined;
      if (/group by/.test(q.sql)) return { rows: [{ actor_associate_id: 7, actor_name: 'Bo', last: '9' }, { actor_associate_id: 7, actor_name: 'Bo Berg', last: '12' }] };
      pages += 1;
      const n = pages <= 2 ? 1000 : 3;
      const top = 5000 - (pages - 1) * 1000;
      return { rows: Array.from({ length: n }, (_, i) => row(top - i)) };
    });
    const since = Date.parse('2026-12-01T00:00:00.000Z');
    const until = Date.parse('2026-12-04T00:00:00.000Z');
    await pageAudit(store, TENANT, { limit: 50, before: 100, actor: 7, action: 'link.removed', category: 'tenant', since, until });
    assert.equal(
      log[0]!.sql,
      'select top(50) * from "audit_log" where "tenant_id" = @1 and "id" < @2 and "actor_associate_id" = @3 and "action" = @4 and "created_at" >= @5 and "created_at" < @6' +
        ` and ("action" like @7 escape '\\') and not ("action" like @8 escape '\\') order by "id" desc`,
    );
    assert.deepEqual(log[0]!.parameters, [TENANT, 100, 7, 'link.removed', '2026-12-01T00:00:00.000', '2026-12-04T00:00:00.000', 'tenant.%', 'tenant.microsoft\\_consent%']);
    await pageAudit(store, TENANT, { limit: 10, category: 'other' });
    assert.match(log[1]!.sql, /^select top\(10\) \* from "audit_log" where "tenant_id" = @1 and not \(\("action" like @2 escape '\\'\) or \("action" like @3 escape '\\'\) or .*\) order by "id" desc$/);
    assert.ok(log[1]!.parameters.includes('link.%') && log[1]!.parameters.includes('alerts.%'));

    assert.deepEqual(await auditActors(store, TENANT), [{ associateId: 7, name: 'Bo Berg' }], 'under the name of the newest entry');
    assert.match(log[2]!.sql, /^select "actor_associate_id", "actor_name", max\("id"\) as "last" from "audit_log" where "tenant_id" = @1 group by "actor_associate_id", "actor_name"$/);

    log.length = 0;
    pages = 0;
    const chunks: string[] = [];
    for await (const c of auditCsv(store, TENANT, { category: 'links' })) chunks.push(c);
    assert.equal(chunks.length, 3);
    assert.deepEqual(log.map((q) => /^select top\((\d+)\)/.exec(q.sql)?.[1]), ['1000', '1000', '1000']);
    assert.deepEqual(log.map((q) => (q.sql.includes('"id" < @2') ? q.parameters[1] : null)), [null, 4001, 3001], 'keyset: each page before the last id of the one before');
    assertSqlServerSafe(log);
  });

  test("alerts: a day's claim with 3,000 new and 3,000 gone problems, its lease and deliveries, the settings view", async (t) => {
    const { store, log } = recordingStore();
    const keys = Array.from({ length: 3000 }, (_, i) => `mailbox_disabled:link-${i}`);
    await store.transaction(async (tx) => {
      await alertRepo.forgetReported(tx, TENANT, keys);
      await alertRepo.addReported(tx, TENANT, keys, NOW);
      await alertRepo.insertDigest(tx, TENANT, '2026-11-25', '[]', 3000, [{ channel: 'mail:5', address: 'kari@nordlys.example' }, { channel: 'webhook', address: 'https://hooks.example/x' }], NOW);
    });
    await alertRepo.openDigests(store, NOW);
    await alertRepo.takeLease(store, TENANT, '2026-11-25', 'owner', NOW, 600_000);
    await alertRepo.setDeliveries(store, TENANT, '2026-11-25', [{ channel: 'webhook', state: 'sending', attempt: true }, { channel: 'mail:5', state: 'failed', error: 'x' }], NOW);
    await alertRepo.releaseLease(store, TENANT, '2026-11-25', 'owner', true, NOW);
    await alertSettings(store, TENANT);
    assert.ok(log.some((q) => /^select top\(1\) .* from "alert_digest"/.test(q.sql) || /^select top \(1\)/.test(q.sql)), 'the latest digest with top, not limit');
    figures(t, 'alerts claim', log);
    assertSqlServerSafe(log);
  });
});

/** Compiles each query SQLite runs (a plugin sees the tree just before it is compiled) to count its parameters. */
class SqliteCompileRecorder implements KyselyPlugin {
  readonly compiled: CompiledQuery[] = [];
  readonly #compiler = new SqliteQueryCompiler();
  transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
    this.compiled.push(this.#compiler.compileQuery(node, queryId));
    return node;
  }
  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

describe('SQLite: the same 10,000-link save', () => {
  test('runs in statements within SQLite’s parameter limit', async (t) => {
    const harness = await makeHarness();
    const recorder = new SqliteCompileRecorder();
    const recorded = harness.withStore(harness.store.withPlugin(recorder));
    const token = await recorded.token();
    const reply = await recorded.request('POST', '/api/v1/links', { token, body: { links: Array.from({ length: 10_000 }, (_, i) => newLink(i + 1)) } });
    assert.equal(reply.status, 201, reply.text);
    assert.equal(reply.body.created.length, 10_000);

    const log = recorder.compiled;
    figures(t, 'SQLite save 10,000 links', log);
    for (const q of log) assert.ok(q.parameters.length <= SQLITE_MAX_PARAMS, `${q.parameters.length} parameters`);
    const linkInserts = log.filter((q) => kindOf(q) === 'InsertQueryNode' && tableOf(q) === 'link');
    assert.ok(linkInserts.length > 1);
    assert.equal(linkInserts.reduce((n, q) => n + insertedRows(q), 0), 10_000);
    const stored = await harness.store.db.selectFrom('link').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(stored.n), 10_000);
    await harness.close();
  });
});

describe("SQL Server: Why didn't this sync?'s reads", () => {
  test('the link, mappings and conflicts of 3,000 ids chunked under 2,100 parameters, the kind status', async () => {
    const { store, log } = recordingStore();
    await explainRepo.findExplainLink(store, TENANT, '11111111-1111-4111-8111-111111111111');
    const soIds = Array.from({ length: 3000 }, (_, i) => i + 1);
    const graphIds = soIds.map((i) => `g${i}`);
    await explainRepo.findMappings(store, TENANT, 'mbx', 'appointment', soIds, graphIds);
    await explainRepo.findConflicts(store, TENANT, 'mbx', 'appointment', soIds);
    await explainRepo.findKindStatus(store, TENANT, 'mbx', 'task');
    assertSqlServerSafe(log);
    assert.match(log[0]!.sql, /^select .* from "link" as "l" left join "sync_mailbox" as "m"/);
    const chunks = Math.ceil(3000 / store.dialect.maxInList);
    assert.ok(chunks > 1);
    assert.equal(log.filter((q) => tableOf(q) === 'sync_item').length, 2 * chunks, 'each id list in chunks');
    assert.equal(log.filter((q) => tableOf(q) === 'sync_conflict').length, chunks);
  });
});

describe('SQL Server: Server Rank balancing', () => {
  test('the ranks view, the proposal and a pass load write compile to T-SQL; the load of an hour is updated, else inserted and old hours pruned', async () => {
    const MAILBOX = '00000000-0000-4000-8000-000000000001';
    const { store, log } = recordingStore((q) => {
      if (kindOf(q) === 'UpdateQueryNode' && tableOf(q) === 'sync_load') return { numAffectedRows: 0n };
      if (kindOf(q) === 'SelectQueryNode' && tableOf(q) === 'tenant') return { rows: [{ mode: 'application' }] };
      return undefined;
    });
    await rankLoad(store, TENANT, NOW);
    assert.match(log[0]!.sql, /^select .* \(select count\(\*\) as "n" from "sync_item" as "i" where "i"\."tenant_id" = "l"\."tenant_id" .*\) as "items" from "link" as "l" where "l"\."tenant_id" = @\d+ order by "l"\."id"$/);
    assert.match(log[1]!.sql, /^select "mailbox_id", sum\("requests"\) as "requests", sum\("throttled"\) as "throttled" from "sync_load" where "tenant_id" = @1 and "hour_start" >= @2 group by "mailbox_id"$/);
    assert.equal(log[1]!.parameters[1], '2026-11-24T10:00:00.000', 'the last 24 hours, as SQL Server binds a time');
    await proposeBalance(store, TENANT, { ranks: [1, 2] }, NOW);
    const from = log.length;
    await recordPassLoad(store, TENANT, MAILBOX, { requests: 5, throttled: 1, items: 2 }, NOW);
    assert.deepEqual(log.slice(from).map((q) => [kindOf(q), tableOf(q)]), [['UpdateQueryNode', 'sync_load'], ['InsertQueryNode', 'sync_load'], ['DeleteQueryNode', 'sync_load']]);
    assert.match(log[from]!.sql, /^update "sync_load" set "passes" = "passes" \+ @1, "requests" = "requests" \+ @2, "throttled" = "throttled" \+ @3, "items" = "items" \+ @4 where/);
    assertSqlServerSafe(log);
  });
});

describe('SQL Server: the CSV export', () => {
  test('a page of links in list order after the last one, with top and a keyset, never an offset', async () => {
    const { store, log } = recordingStore();
    await store.transaction(async (tx) => {
      await exportPage(tx, TENANT, null, 1000);
      await exportPage(tx, TENANT, { name: "O'Hara, Åse", id: linkId(7) }, 1000);
    });
    assertSqlServerSafe(log);
    const pages = log.filter((q) => tableOf(q) === 'link');
    assert.equal(pages.length, 2);
    for (const q of pages) assert.match(q.sql, /^select top\(1000\) "l"\.\*, .* left join "authorized_mailbox" as "a" .* order by "l"\."associate_name", "l"\."id"$/);
    assert.match(pages[1]!.sql, /\("l"\."associate_name" > @2 or \("l"\."associate_name" = @3 and "l"\."id" > @4\)\)/);
    assert.deepEqual(pages[1]!.parameters, [TENANT, "O'Hara, Åse", "O'Hara, Åse", linkId(7)]);
  });
});
