import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { migrations } from '../../../backend/db/migrate.js';
import { openStore } from '../../../backend/db/store.js';

/*
 * Migration 009: the tenant's Microsoft 365 organisation name, and on each invite whether to link
 * at once and what accepting did. Existing rows keep everything and read "unknown" / "not chosen";
 * down takes the columns away again and keeps the rows.
 */

const columns = async (db: Kysely<any>, table: string) =>
  (await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db)).rows.map((r) => r.name);

test('migration 009 adds the organisation name and the invite outcome columns; existing rows keep their data; down removes them', async () => {
  const store = openStore('sqlite::memory:');
  const db = store.db as unknown as Kysely<any>;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations('sqlite') } });
  try {
    assert.equal((await migrator.migrateTo('20261203_008_drop_sync_history')).error, undefined);
    const at = '2026-11-20T10:00:00.000Z';
    await db.insertInto('tenant').values({ id: 'Cust1', name: null, mode: 'oauth', entra_tenant_id: 'org-1', admin_consent_at: at, invite_ttl_days: 14, version: 1, created_at: at, updated_at: at }).execute();
    await db
      .insertInto('invite')
      .values({ id: 'inv-1', tenant_id: 'Cust1', associate_id: 5, associate_name: 'Ada', email: 'ada@x.example', token_hash: 'h'.repeat(64), created_by: 1, created_at: at, expires_at: at, delivery: 'link' })
      .execute();

    assert.equal((await migrator.migrateTo('20261204_009_invite_outcomes')).error, undefined);
    assert.ok((await columns(db, 'tenant')).includes('entra_organization_name'));
    for (const c of ['link_on_accept', 'accept_outcome', 'accept_outcome_detail']) assert.ok((await columns(db, 'invite')).includes(c), c);
    const tenant = await db.selectFrom('tenant').select(['entra_tenant_id', 'entra_organization_name']).executeTakeFirstOrThrow();
    assert.deepEqual(tenant, { entra_tenant_id: 'org-1', entra_organization_name: null }, 'the name is unknown until read from Graph');
    const invite = await db.selectFrom('invite').select(['email', 'link_on_accept', 'accept_outcome', 'accept_outcome_detail']).executeTakeFirstOrThrow();
    assert.deepEqual(invite, { email: 'ada@x.example', link_on_accept: 0, accept_outcome: null, accept_outcome_detail: null }, 'an older invite links nothing at once');
    await db.updateTable('invite').set({ link_on_accept: 1, accept_outcome: 'mailbox_linked', accept_outcome_detail: 'Bo' }).execute();

    assert.equal((await migrator.migrateTo('20261203_008_drop_sync_history')).error, undefined);
    assert.ok(!(await columns(db, 'tenant')).includes('entra_organization_name'));
    assert.deepEqual(
      (await columns(db, 'invite')).filter((c) => ['link_on_accept', 'accept_outcome', 'accept_outcome_detail'].includes(c)),
      [],
    );
    assert.equal((await db.selectFrom('invite').select('email').executeTakeFirstOrThrow()).email, 'ada@x.example', 'the invite stays');
  } finally {
    await store.destroy();
  }
});
