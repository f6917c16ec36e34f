import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql, type RawBuilder } from 'kysely';
import mssql from 'mssql';
import { applySqlFiles, mssqlConfig, readSqlFiles } from '../../../backend/db/apply-sql.js';
import { splitBatches } from '../../../backend/db/sql-batches.js';
import { readTime } from '../../../backend/db/dialect.js';
import { migrateToLatest } from '../../../backend/db/migrate.js';
import type { Store } from '../../../backend/db/store.js';
import { isUniqueViolation } from '../../../backend/http/errors.js';
import { findTenant } from '../../../backend/tenants/tenant.repository.js';
import { ADMIN, allLinks, dumpDatabase, makeHarness, newLink, seedHistory, type Harness } from '../../helpers/harness.js';

/**
 * The SQL Server path against a real server. It needs a scratch database (every table is dropped):
 *   MSSQL_URL="mssql://sa:Passw0rd!@localhost:1433/mailbox_link_test?encrypt=true&trustServerCertificate=true" npm run test:mssql
 * e.g. with `docker run -e ACCEPT_EULA=Y -e MSSQL_SA_PASSWORD='Passw0rd!' -p 1433:1433 mcr.microsoft.com/mssql/server:2022-latest`
 * and `create database mailbox_link_test`.
 */
const HOW_TO_RUN =
  'needs SQL Server: MSSQL_URL="mssql://sa:Passw0rd!@localhost:1433/mailbox_link_test?encrypt=true&trustServerCertificate=true" npm run test:mssql (a scratch database: its tables are dropped)';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const TENANT = ADMIN.tenantId;
const API = '/api/v1';
const TABLES = ['superoffice_credential', 'login_state', 'session', 'audit_log', 'invite', 'authorized_mailbox', 'sync_history', 'sync_conflict', 'sync_cursor', 'sync_item', 'sync_mailbox', 'link', 'tenant', 'kysely_migration', 'kysely_migration_lock'];

/** What a DBA would compare: columns, keys, indexes, foreign keys, checks, defaults, triggers. System-made names are left out. */
async function schemaOf(store: Store) {
  const rows = async (query: RawBuilder<unknown>) => (await query.execute(store.db)).rows;
  return {
    columns: await rows(sql`
      select t.name as tbl, c.name as col, ty.name as type, c.max_length, c.precision, c.scale,
             c.is_nullable, c.is_identity, dc.definition as default_value
      from sys.tables t
      join sys.columns c on c.object_id = t.object_id
      join sys.types ty on ty.user_type_id = c.user_type_id
      left join sys.default_constraints dc on dc.object_id = c.default_object_id
      where t.is_ms_shipped = 0
      order by t.name, c.column_id`),
    indexes: await rows(sql`
      select t.name as tbl, case when kc.is_system_named = 1 then '(system)' else i.name end as idx,
             i.type_desc, i.is_unique, i.is_primary_key, i.is_unique_constraint, ic.key_ordinal, c.name as col
      from sys.indexes i
      join sys.tables t on t.object_id = i.object_id
      join sys.index_columns ic on ic.object_id = i.object_id and ic.index_id = i.index_id
      join sys.columns c on c.object_id = ic.object_id and c.column_id = ic.column_id
      left join sys.key_constraints kc on kc.parent_object_id = i.object_id and kc.unique_index_id = i.index_id
      where t.is_ms_shipped = 0
      order by t.name, i.is_primary_key desc, idx, ic.key_ordinal`),
    foreignKeys: await rows(sql`
      select tp.name as tbl, cp.name as col, tr.name as ref_tbl, cr.name as ref_col,
             fk.delete_referential_action_desc as on_delete, fk.update_referential_action_desc as on_update,
             case when fk.is_system_named = 1 then '(system)' else fk.name end as name
      from sys.foreign_keys fk
      join sys.foreign_key_columns fkc on fkc.constraint_object_id = fk.object_id
      join sys.tables tp on tp.object_id = fk.parent_object_id
      join sys.columns cp on cp.object_id = fkc.parent_object_id and cp.column_id = fkc.parent_column_id
      join sys.tables tr on tr.object_id = fk.referenced_object_id
      join sys.columns cr on cr.object_id = fkc.referenced_object_id and cr.column_id = fkc.referenced_column_id
      order by tp.name, cp.name`),
    checks: await rows(sql`
      select t.name as tbl, cc.name, cc.definition
      from sys.check_constraints cc join sys.tables t on t.object_id = cc.parent_object_id
      order by t.name, cc.name`),
    triggers: (
      await rows(sql`
        select tr.name, t.name as tbl, tr.is_instead_of_trigger, m.uses_ansi_nulls, m.uses_quoted_identifier, m.definition
        from sys.triggers tr
        join sys.tables t on t.object_id = tr.parent_id
        join sys.sql_modules m on m.object_id = tr.object_id
        order by tr.name`)
    ).map((r) => {
      // The script's batch ends in ";"; the Migrator's statement does not.
      const row = r as { definition: string };
      return { ...row, definition: row.definition.trim().replace(/;$/, '') };
    }),
  };
}

async function dropAll(store: Store): Promise<void> {
  for (const table of TABLES) {
    await sql`if object_id(${table}, 'U') is not null drop table ${sql.table(table)}`.execute(store.db);
  }
}

/** Runs the committed scripts as sqlcmd would: batch by batch, split on GO lines. */
async function runDbaScripts(store: Store): Promise<void> {
  const dir = join(root, 'sql', 'mssql');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    for (const batch of splitBatches(readFileSync(join(dir, file), 'utf8'))) await sql.raw(batch).execute(store.db);
  }
}

/** SQL Server error numbers of a failure; Kysely passes several errors of one request on as an array. */
function errorNumbers(err: unknown): unknown[] {
  const errors = Array.isArray(err) ? err : err instanceof AggregateError ? err.errors : [err];
  return errors.map((e) => (e as { number?: unknown })?.number);
}

if (!process.env.MSSQL_URL) {
  test('SQL Server live suite', { skip: HOW_TO_RUN }, () => {});
} else {
  describe('SQL Server live suite (MSSQL_URL)', () => {
    let h: Harness;
    let token: string;

    before(async () => {
      h = await makeHarness({ dialect: 'mssql' }); // drops and re-creates every table
      token = await h.token();
    });
    after(async () => {
      await h?.close();
    });

    test('saves 2,500 links in one request; the same batch again changes nothing', async () => {
      const links = Array.from({ length: 2500 }, (_, i) => newLink(i + 1));
      const first = await h.request('POST', `${API}/links`, { token, body: { links } });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.created.length, 2500);
      const again = await h.request('POST', `${API}/links`, { token, body: { links } });
      assert.equal(again.status, 200, again.text);
      assert.deepEqual([again.body.created.length, again.body.unchanged.length], [0, 2500]);
      // Three pages (1,000 a page) on SQL Server: top, the keyset after the cursor, the index.
      const list = await allLinks(h, token);
      assert.equal(list.length, 2500);
      assert.equal(new Set(list.map((l) => l.id)).size, 2500);
      assert.deepEqual(
        { diary: list[0].diary, historyCount: list[0].historyCount, version: list[0].version },
        { diary: true, historyCount: 0, version: 1 },
      );
    });

    test('options are saved with the loaded version; a stale version gets 409 and changes nothing', async () => {
      const [link] = (await h.request('GET', `${API}/links`, { token })).body.links;
      const change = { id: link.id, diary: false, task: true, contact: false, rank: 7, expectedVersion: link.version };
      const saved = await h.request('PATCH', `${API}/links`, { token, body: { changes: [change] } });
      assert.equal(saved.status, 200, saved.text);
      assert.deepEqual([saved.body.updated[0].version, saved.body.updated[0].rank], [link.version + 1, 7]);

      const beforeStale = await dumpDatabase(h.store);
      const stale = await h.request('PATCH', `${API}/links`, { token, body: { changes: [{ ...change, rank: 9 }] } });
      assert.equal(stale.status, 409, stale.text);
      assert.equal(stale.body.error.code, 'VersionConflict');
      assert.equal(await dumpDatabase(h.store), beforeStale);
    });

    test('removal deletes the links with their mappings (sync_item)', async () => {
      const links = (await h.request('GET', `${API}/links`, { token })).body.links;
      const ids: string[] = [links[1].id, links[2].id];
      await seedHistory(h.store, TENANT, ids[0]!, 3000);
      await seedHistory(h.store, TENANT, ids[1]!, 5);
      const preview = await h.request('POST', `${API}/links/removal-preview`, { token, body: { ids } });
      assert.equal(preview.status, 200, preview.text);
      assert.deepEqual([preview.body.links, preview.body.historyRows], [2, 3005]);
      const removed = await h.request('POST', `${API}/links/removal`, { token, body: { ids } });
      assert.equal(removed.status, 200, removed.text);
      assert.equal(removed.body.removed.historyRows, 3005);
      const left = await h.store.db
        .selectFrom('sync_item')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant_id', '=', TENANT)
        .where('associate_id', 'in', [links[1].associateId, links[2].associateId])
        .executeTakeFirstOrThrow();
      assert.equal(Number(left.n), 0);
      const gone = await h.request('POST', `${API}/links/removal-preview`, { token, body: { ids } });
      assert.equal(gone.status, 404);
    });

    test('audit pages newest first and is append-only', async () => {
      const page1 = await h.request('GET', `${API}/audit?limit=2`, { token });
      assert.equal(page1.status, 200, page1.text);
      const [a, b] = page1.body.entries;
      assert.ok(a.id > b.id, 'newest first');
      assert.equal(page1.body.nextBefore, b.id);
      const page2 = await h.request('GET', `${API}/audit?limit=2&before=${b.id}`, { token });
      assert.equal(page2.body.entries.length, 2);
      assert.ok(page2.body.entries.every((e: { id: number }) => e.id < b.id));
      const one = await h.request('GET', `${API}/audit?limit=50&entityId=${a.entityId}`, { token });
      assert.ok(one.body.entries.every((e: { entityId: string }) => e.entityId === a.entityId));

      // The instead-of trigger throws 50001 for any update or delete.
      await assert.rejects(h.store.db.updateTable('audit_log').set({ action: 'x' }).execute(), (err) => errorNumbers(err).includes(50001));
      await assert.rejects(h.store.db.deleteFrom('audit_log').execute(), (err) => errorNumbers(err).includes(50001));
    });

    test('unique constraints back the in-code checks (a duplicate row is a unique violation)', async () => {
      const existing = await h.store.db.selectFrom('link').selectAll().where('tenant_id', '=', TENANT).executeTakeFirstOrThrow();
      const sameAssociate = { ...existing, id: randomUUID(), mailbox_id: randomUUID() };
      const sameMailbox = { ...existing, id: randomUUID(), associate_id: 999_999 };
      for (const row of [sameAssociate, sameMailbox, existing]) {
        await assert.rejects(h.store.db.insertInto('link').values(row).execute(), (err) => {
          assert.ok(isUniqueViolation(err), `a unique violation: ${String(err)}`);
          return true;
        });
      }
    });

    test('times keep their milliseconds (bound as text, not as a legacy datetime)', async () => {
      const at = new Date('2026-11-25T09:00:00.001Z');
      await h.store.db.updateTable('tenant').set({ updated_at: h.store.dialect.time(at) }).where('id', '=', TENANT).execute();
      assert.equal(readTime((await findTenant(h.store, TENANT))!.updated_at), at.toISOString());
    });

    test('the DBA script builds the schema the migrations build; then the app migrates nothing', async () => {
      const migrated = await schemaOf(h.store);
      assert.ok(migrated.triggers.length === 1 && migrated.checks.length >= 5);

      await dropAll(h.store);
      await runDbaScripts(h.store);
      assert.deepEqual(await schemaOf(h.store), migrated);
      assert.deepEqual(await migrateToLatest(h.store), []);
      const { rows: recorded } = await sql<{ timestamp: string }>`select [timestamp] from [kysely_migration]`.execute(h.store.db);
      assert.ok(recorded.length > 0);
      for (const r of recorded) assert.ok(!Number.isNaN(new Date(r.timestamp).getTime()), `timestamp ${r.timestamp}`);

      // And the app works on it.
      const fresh = await h.token();
      const saved = await h.request('POST', `${API}/links`, { token: fresh, body: { links: [newLink(1)] } });
      assert.equal(saved.status, 201, saved.text);
    });

    describe('npm run db:apply-sql (the mssql package, batch by batch)', () => {
      const sqlDir = join(root, 'sql', 'mssql');
      const cli = join(root, 'dist', 'scripts', 'apply-sql.js');
      const files = readdirSync(sqlDir).filter((f) => f.endsWith('.sql')).sort();
      let pool: mssql.ConnectionPool;
      const recorded = async () => (await sql<{ name: string }>`select [name] from [kysely_migration] order by [name]`.execute(h.store.db)).rows.map((r) => r.name);

      before(async () => {
        pool = await new mssql.ConnectionPool(mssqlConfig(process.env.MSSQL_URL!)).connect();
      });
      after(async () => {
        await pool?.close();
      });

      test('builds the schema db:migrate builds; after either path the other applies nothing', async () => {
        await dropAll(h.store);
        await migrateToLatest(h.store);
        const migrated = await schemaOf(h.store);
        assert.deepEqual(await applySqlFiles(pool, readSqlFiles(sqlDir)), { applied: [], skipped: files });

        await dropAll(h.store);
        assert.deepEqual(await applySqlFiles(pool, readSqlFiles(sqlDir)), { applied: files, skipped: [] });
        assert.deepEqual(await schemaOf(h.store), migrated);
        assert.deepEqual(await recorded(), readSqlFiles(sqlDir).map((f) => f.migration));
        assert.deepEqual(await applySqlFiles(pool, readSqlFiles(sqlDir)), { applied: [], skipped: files });
        assert.deepEqual(await migrateToLatest(h.store), []);
      });

      test('a failing batch stops the run, naming file and batch; its script is rolled back, the ones before stay; a rerun finishes', async () => {
        const scratch = mkdtempSync(join(tmpdir(), 'apply-sql-live-'));
        try {
          for (const f of files) writeFileSync(join(scratch, f), readFileSync(join(sqlDir, f)));
          const broken = readFileSync(join(sqlDir, '003_invites.sql'), 'utf8').replace(
            'alter table [tenant] add [invite_subject] nvarchar(300);',
            'select [x] from [no_such_table];',
          );
          writeFileSync(join(scratch, '003_invites.sql'), broken);
          await dropAll(h.store);
          const failed = spawnSync(process.execPath, [cli, '--dir', scratch], { encoding: 'utf8' });
          assert.equal(failed.status, 1, failed.stderr);
          assert.match(failed.stderr, /^003_invites\.sql, batch 8 of 18 \(line 36\) failed: .*no_such_table.*Nothing of 003_invites\.sql was applied\./m);
          const password = decodeURIComponent(new URL(process.env.MSSQL_URL!).password);
          if (password) assert.ok(!failed.stderr.includes(password), 'no password in the output');
          assert.deepEqual(await recorded(), ['20261125_001_initial', '20261125_002_superoffice_signin']);
          const { rows } = await sql<{ n: number | null }>`select col_length('tenant', 'invite_sender_address') as n`.execute(h.store.db);
          assert.equal(rows[0]!.n, null, 'the batches before the failing one were rolled back with it');

          const rerun = spawnSync(process.execPath, [cli], { encoding: 'utf8' });
          assert.equal(rerun.status, 0, rerun.stderr);
          assert.match(rerun.stdout, /^001_initial\.sql: already applied/m);
          assert.match(rerun.stdout, /^003_invites\.sql: applied 18 batches/m);
          assert.deepEqual(await migrateToLatest(h.store), []);
        } finally {
          rmSync(scratch, { recursive: true, force: true });
        }
      });
    });
  });
}
