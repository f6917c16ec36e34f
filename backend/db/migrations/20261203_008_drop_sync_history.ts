import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * `sync_item` replaces `sync_history`. Migration 007 copied the history in; a row written between
 * 007 and this one (an older backend instance still running) is copied now, unless its item is
 * already mapped on either side. Then the table goes. Down recreates it as 001 made it, empty:
 * the mappings stay in `sync_item`. Frozen in time.
 */
export function dropSyncHistory(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  return {
    async up(db: Kysely<any>) {
      await sql`insert into ${sql.table('sync_item')} (tenant_id, associate_id, mailbox_id, kind, so_id, graph_id, origin, state, so_updated_at, graph_change_key, created_at, updated_at)
        select h.tenant_id, l.associate_id, l.mailbox_id, h.item_kind, h.superoffice_id, h.external_id, 'superoffice', 'active', h.superoffice_updated_at, h.external_change_key, h.synced_at, h.synced_at
        from ${sql.table('sync_history')} h inner join ${sql.table('link')} l on l.id = h.link_id and l.tenant_id = h.tenant_id
        where not exists (select 1 from ${sql.table('sync_item')} i
            where i.tenant_id = h.tenant_id and i.mailbox_id = l.mailbox_id and i.kind = h.item_kind
              and (i.so_id = h.superoffice_id or i.graph_id = h.external_id))
          and h.id = (select min(d.id) from ${sql.table('sync_history')} d
            where d.link_id = h.link_id and d.item_kind = h.item_kind and d.external_id = h.external_id)`.execute(db);
      await db.schema.dropTable('sync_history').execute();
    },
    async down(db: Kysely<any>) {
      const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
      const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
      const time = mssql ? sql`datetime2(3)` : sql`text`;
      const identity = (c: ColumnDefinitionBuilder) => (mssql ? c.identity().notNull() : c.primaryKey().autoIncrement());
      const identityKey = (name: string) => (b: CreateTableBuilder<any, any>) => (mssql ? b.addPrimaryKeyConstraint(name, ['id']) : b);
      await db.schema
        .createTable('sync_history')
        .addColumn('id', mssql ? sql`bigint` : sql`integer`, identity)
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('link_id', code(36), (c) => c.notNull())
        .addColumn('item_kind', code(16), (c) => c.notNull())
        .addColumn('superoffice_id', sql`integer`, (c) => c.notNull())
        .addColumn('external_id', text(512), (c) => c.notNull())
        .addColumn('superoffice_updated_at', time)
        .addColumn('external_change_key', text(256))
        .addColumn('synced_at', time, (c) => c.notNull())
        .$call(identityKey('pk_sync_history'))
        .addForeignKeyConstraint('fk_sync_history_link', ['link_id'], 'link', ['id'])
        .addUniqueConstraint('uq_sync_history_item', ['link_id', 'item_kind', 'superoffice_id'])
        .addCheckConstraint('ck_sync_history_kind', sql`${sql.ref('item_kind')} in ('appointment', 'task', 'contact')`)
        .execute();
      await db.schema.createIndex('ix_sync_history_tenant_link').on('sync_history').columns(['tenant_id', 'link_id']).execute();
    },
  };
}
