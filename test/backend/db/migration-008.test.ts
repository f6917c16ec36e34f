import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator, sql, type Kysely } from 'kysely';
import { migrations } from '../../../backend/db/migrate.js';
import { openStore } from '../../../backend/db/store.js';

/*
 * Migration 008: sync_history rows written after 007 copied the table (an older instance still
 * running) become mappings too, once each; then sync_history is dropped. Down recreates it empty.
 */

test('migration 008 copies the sync_history rows not yet in sync_item, then drops the table; down recreates it empty', async () => {
  const store = openStore('sqlite::memory:');
  const db = store.db as unknown as Kysely<any>;
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations('sqlite') } });
  try {
    assert.equal((await migrator.migrateTo('20261203_007_sync_items')).error, undefined);
    const at = '2026-11-20T10:00:00.000Z';
    await db.insertInto('tenant').values({ id: 'Cust1', name: null, mode: 'application', entra_tenant_id: null, admin_consent_at: null, invite_ttl_days: 14, version: 1, created_at: at, updated_at: at }).execute();
    const link = (id: string, associateId: number, mailboxId: string) => ({
      id, tenant_id: 'Cust1', associate_id: associateId, associate_name: `A ${associateId}`, mailbox_id: mailboxId, mailbox_address: `a${associateId}@x.example`,
      sync_diary: 1, sync_task: 1, sync_contact: 1, rank: 1, version: 1, created_by: 1, created_at: at, updated_by: 1, updated_at: at,
    });
    await db.insertInto('link').values([link('l-1', 1, 'mb-1'), link('l-2', 2, 'mb-2')]).execute();
    // Already a mapping (copied by 007, or written by the synchronizer since).
    await db.insertInto('sync_item').values({ tenant_id: 'Cust1', associate_id: 1, mailbox_id: 'mb-1', kind: 'appointment', so_id: 10, graph_id: 'AAMk-10', origin: 'superoffice', state: 'active', created_at: at, updated_at: at }).execute();
    const history = (linkId: string, kind: string, soId: number, graphId: string) => ({
      tenant_id: 'Cust1', link_id: linkId, item_kind: kind, superoffice_id: soId, external_id: graphId, superoffice_updated_at: at, external_change_key: `ck-${soId}`, synced_at: at,
    });
    await db
      .insertInto('sync_history')
      .values([
        history('l-1', 'appointment', 10, 'AAMk-10'), // the same item: not copied again
        history('l-1', 'appointment', 11, 'AAMk-10'), // its Graph id is mapped already: not copied (one mapping per Outlook item)
        history('l-1', 'appointment', 12, 'AAMk-12'), // new: copied
        history('l-1', 'task', 10, 'AAMk-t10'), // another kind, same SuperOffice id: copied
        history('l-2', 'contact', 7, 'AAMk-c7'), // another link: copied under its associate and mailbox
      ])
      .execute();

    assert.equal((await migrator.migrateTo('20261203_008_drop_sync_history')).error, undefined);
    const items = await db.selectFrom('sync_item').select(['associate_id', 'mailbox_id', 'kind', 'so_id', 'graph_id', 'origin', 'state', 'graph_change_key']).orderBy('id').execute();
    assert.deepEqual(items, [
      { associate_id: 1, mailbox_id: 'mb-1', kind: 'appointment', so_id: 10, graph_id: 'AAMk-10', origin: 'superoffice', state: 'active', graph_change_key: null },
      { associate_id: 1, mailbox_id: 'mb-1', kind: 'appointment', so_id: 12, graph_id: 'AAMk-12', origin: 'superoffice', state: 'active', graph_change_key: 'ck-12' },
      { associate_id: 1, mailbox_id: 'mb-1', kind: 'task', so_id: 10, graph_id: 'AAMk-t10', origin: 'superoffice', state: 'active', graph_change_key: 'ck-10' },
      { associate_id: 2, mailbox_id: 'mb-2', kind: 'contact', so_id: 7, graph_id: 'AAMk-c7', origin: 'superoffice', state: 'active', graph_change_key: 'ck-7' },
    ]);
    const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name = 'sync_history'`.execute(db)).rows.length;
    assert.equal(await tables(), 0, 'sync_history is gone');

    assert.equal((await migrator.migrateTo('20261203_007_sync_items')).error, undefined);
    assert.equal(await tables(), 1, 'down recreates it');
    assert.equal((await db.selectFrom('sync_history').selectAll().execute()).length, 0, 'empty');
    assert.equal((await db.selectFrom('sync_item').selectAll().execute()).length, 4, 'the mappings stay');
  } finally {
    await store.destroy();
  }
});
