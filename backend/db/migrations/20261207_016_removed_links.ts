import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Undo. Remove Selected Users no longer forgets a link at once: the link row and what the
 * synchronizer keeps of it (its mappings, conflicts and change-detection cursors, with the To Do
 * list and contact folder of ours) move to `removed_link` and its `removed_sync_*` tables, column
 * for column, so Restore puts back exactly what was there and the next pass creates nothing. They
 * are purged for good by an administrator or after 30 days. `undo_action` keeps what Save Added
 * Users, Save Users Options and Remove Selected Users did, for 30 days, so each can be undone.
 * Frozen in time.
 */
export function removedLinks(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    max: mssql ? sql`nvarchar(max)` : sql`text`,
    time: mssql ? sql`datetime2(3)` : sql`text`,
    bool: mssql ? sql`bit` : sql`integer`,
    int: sql`integer`,
  };
  const identity = (c: ColumnDefinitionBuilder) => (mssql ? c.identity().notNull() : c.primaryKey().autoIncrement());
  const identityKey = (name: string) => (b: CreateTableBuilder<any, any>) => (mssql ? b.addPrimaryKeyConstraint(name, ['id']) : b);
  const idType = mssql ? sql`bigint` : sql`integer`;

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('undo_action')
        .addColumn('id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        // links.added, links.options_saved or links.removed.
        .addColumn('kind', t.code(32), (c) => c.notNull())
        .addColumn('actor_associate_id', t.int, (c) => c.notNull())
        .addColumn('actor_name', t.text(200), (c) => c.notNull())
        .addColumn('links', t.int, (c) => c.notNull())
        // What undoing needs: the links and the version each was left at (and, for options, the values before).
        .addColumn('detail_json', t.max, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('undone_at', t.time)
        .addColumn('undone_by', t.int)
        .addPrimaryKeyConstraint('pk_undo_action', ['id'])
        .addForeignKeyConstraint('fk_undo_action_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_undo_action_kind', sql`${sql.ref('kind')} in ('links.added', 'links.options_saved', 'links.removed')`)
        .execute();
      await db.schema.createIndex('ix_undo_action_tenant').on('undo_action').columns(['tenant_id', 'created_at']).execute();

      await db.schema
        .createTable('removed_link')
        .addColumn('id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('associate_name', t.text(200), (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_address', t.text(320), (c) => c.notNull())
        .addColumn('sync_diary', t.bool, (c) => c.notNull())
        .addColumn('sync_task', t.bool, (c) => c.notNull())
        .addColumn('sync_contact', t.bool, (c) => c.notNull())
        .addColumn('rank', t.int, (c) => c.notNull())
        .addColumn('version', t.int, (c) => c.notNull())
        .addColumn('created_by', t.int, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_by', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addColumn('removed_at', t.time, (c) => c.notNull())
        .addColumn('removed_by', t.int, (c) => c.notNull())
        .addColumn('removed_by_name', t.text(200), (c) => c.notNull())
        // The Remove Selected Users (or undone Save Added Users) that removed it.
        .addColumn('action_id', t.code(36))
        .addPrimaryKeyConstraint('pk_removed_link', ['id'])
        .addForeignKeyConstraint('fk_removed_link_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
      await db.schema.createIndex('ix_removed_link_tenant').on('removed_link').columns(['tenant_id', 'removed_at']).execute();

      await db.schema
        .createTable('removed_sync_item')
        .addColumn('id', idType, identity)
        .addColumn('removed_link_id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('kind', t.code(16), (c) => c.notNull())
        .addColumn('so_id', t.int)
        .addColumn('graph_id', t.code(512))
        .addColumn('origin', t.code(16), (c) => c.notNull())
        .addColumn('state', t.code(16), (c) => c.notNull())
        .addColumn('op_id', t.code(36))
        .addColumn('op_started_at', t.time)
        .addColumn('so_updated_at', t.time)
        .addColumn('so_hash', t.code(64))
        .addColumn('graph_change_key', t.text(256))
        .addColumn('graph_hash', t.code(64))
        .addColumn('base_json', t.max)
        .addColumn('error_count', t.int, (c) => c.notNull())
        .addColumn('last_error', t.text(1000))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .$call(identityKey('pk_removed_sync_item'))
        .addForeignKeyConstraint('fk_removed_sync_item_link', ['removed_link_id'], 'removed_link', ['id'])
        .execute();
      await db.schema.createIndex('ix_removed_sync_item_link').on('removed_sync_item').columns(['tenant_id', 'removed_link_id']).execute();

      await db.schema
        .createTable('removed_sync_conflict')
        .addColumn('id', idType, identity)
        .addColumn('removed_link_id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('kind', t.code(16), (c) => c.notNull())
        .addColumn('so_id', t.int)
        .addColumn('graph_id', t.code(512))
        .addColumn('field', t.code(32), (c) => c.notNull())
        .addColumn('base_value', t.text(2000))
        .addColumn('superoffice_value', t.text(2000))
        .addColumn('outlook_value', t.text(2000))
        .addColumn('winner', t.code(16), (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .$call(identityKey('pk_removed_sync_conflict'))
        .addForeignKeyConstraint('fk_removed_sync_conflict_link', ['removed_link_id'], 'removed_link', ['id'])
        .execute();
      await db.schema.createIndex('ix_removed_sync_conflict_link').on('removed_sync_conflict').columns(['tenant_id', 'removed_link_id']).execute();

      await db.schema
        .createTable('removed_sync_cursor')
        .addColumn('removed_link_id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('kind', t.code(16), (c) => c.notNull())
        .addColumn('delta_link', t.max)
        .addColumn('window_start', t.time)
        .addColumn('window_end', t.time)
        .addColumn('so_watermark', t.time)
        .addColumn('last_reconcile_at', t.time)
        .addColumn('container_id', t.code(512))
        .addColumn('mapped_items', t.int)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_removed_sync_cursor', ['removed_link_id', 'kind'])
        .addForeignKeyConstraint('fk_removed_sync_cursor_link', ['removed_link_id'], 'removed_link', ['id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('removed_sync_cursor').execute();
      await db.schema.dropTable('removed_sync_conflict').execute();
      await db.schema.dropTable('removed_sync_item').execute();
      await db.schema.dropTable('removed_link').execute();
      await db.schema.dropTable('undo_action').execute();
    },
  };
}
