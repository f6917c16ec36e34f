import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * What the synchronizer remembers. `sync_item` is the mapping of one SuperOffice item to one
 * Microsoft 365 item in one mailbox (it supersedes `sync_history`, whose rows are copied in):
 * both ids, where the item was born, the last-synced field values (the base of a three-way merge)
 * and their hashes (to tell our own echoes from real changes), and a write-ahead intent (`pending`
 * with the `op_id` sent as Graph's transactionId) before anything is created. It is a cache: every
 * item we create carries our tag, so a lost row is found again. `sync_cursor` is where each
 * mailbox's change detection stands per kind; `sync_conflict` records each field both sides
 * changed; the tenant gets its sync window, conflict winner and time zone. Frozen in time.
 */
export function syncItems(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    max: mssql ? sql`nvarchar(max)` : sql`text`,
    time: mssql ? sql`datetime2(3)` : sql`text`,
    int: sql`integer`,
  };
  const identity = (c: ColumnDefinitionBuilder) => (mssql ? c.identity().notNull() : c.primaryKey().autoIncrement());
  const identityKey = (name: string) => (b: CreateTableBuilder<any, any>) => (mssql ? b.addPrimaryKeyConstraint(name, ['id']) : b);
  const idType = mssql ? sql`bigint` : sql`integer`;
  const kinds = sql`('appointment', 'task', 'contact')`;

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_item')
        .addColumn('id', idType, identity)
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('kind', t.code(16), (c) => c.notNull())
        // Null until the SuperOffice side exists (an Outlook-born item's intent).
        .addColumn('so_id', t.int)
        // Immutable Graph id; null until the Outlook side exists (a SuperOffice-born item's intent).
        .addColumn('graph_id', t.code(512))
        // Where the item was first seen: decides what is ours to delete.
        .addColumn('origin', t.code(16), (c) => c.notNull())
        .addColumn('state', t.code(16), (c) => c.notNull())
        // The write-ahead intent: Graph's transactionId for the create, and when it was started.
        .addColumn('op_id', t.code(36))
        .addColumn('op_started_at', t.time)
        .addColumn('so_updated_at', t.time)
        .addColumn('so_hash', t.code(64))
        .addColumn('graph_change_key', t.text(256))
        .addColumn('graph_hash', t.code(64))
        // The canonical field values both sides had at the last successful sync (three-way merge base).
        .addColumn('base_json', t.max)
        .addColumn('error_count', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('last_error', t.text(1000))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .$call(identityKey('pk_sync_item'))
        .addForeignKeyConstraint('fk_sync_item_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_item_kind', sql`${sql.ref('kind')} in ${kinds}`)
        .addCheckConstraint('ck_sync_item_origin', sql`${sql.ref('origin')} in ('superoffice', 'outlook')`)
        .addCheckConstraint('ck_sync_item_state', sql`${sql.ref('state')} in ('pending', 'active', 'out_of_window', 'detached', 'error')`)
        .addCheckConstraint('ck_sync_item_sides', sql`${sql.ref('so_id')} is not null or ${sql.ref('graph_id')} is not null`)
        .execute();
      // One mapping per item on each side of a mailbox (filtered: an intent has one side only).
      await db.schema
        .createIndex('uq_sync_item_so')
        .on('sync_item')
        .columns(['tenant_id', 'mailbox_id', 'kind', 'so_id'])
        .unique()
        .where(sql.ref('so_id'), 'is not', null)
        .execute();
      await db.schema
        .createIndex('uq_sync_item_graph')
        .on('sync_item')
        .columns(['tenant_id', 'mailbox_id', 'kind', 'graph_id'])
        .unique()
        .where(sql.ref('graph_id'), 'is not', null)
        .execute();
      // Items in sync per link (the linked-users list), and a removed link's rows.
      await db.schema.createIndex('ix_sync_item_link').on('sync_item').columns(['tenant_id', 'associate_id', 'mailbox_id', 'state']).execute();

      await db.schema
        .createTable('sync_cursor')
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('kind', t.code(16), (c) => c.notNull())
        // Graph's deltaLink for the window below; null: the next pass starts a full (non-destructive) pass.
        .addColumn('delta_link', t.max)
        .addColumn('window_start', t.time)
        .addColumn('window_end', t.time)
        // SuperOffice's updatedDate up to which changes were read (polled again with an overlap).
        .addColumn('so_watermark', t.time)
        // The last full comparison of the ids on both sides (finds hard deletes polling cannot see).
        .addColumn('last_reconcile_at', t.time)
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sync_cursor', ['tenant_id', 'mailbox_id', 'kind'])
        .addForeignKeyConstraint('fk_sync_cursor_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_cursor_kind', sql`${sql.ref('kind')} in ${kinds}`)
        .execute();

      await db.schema
        .createTable('sync_conflict')
        .addColumn('id', idType, identity)
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
        .$call(identityKey('pk_sync_conflict'))
        .addForeignKeyConstraint('fk_sync_conflict_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_conflict_winner', sql`${sql.ref('winner')} in ('superoffice', 'outlook')`)
        .execute();
      await db.schema.createIndex('ix_sync_conflict_mailbox').on('sync_conflict').columns(['tenant_id', 'mailbox_id', 'created_at']).execute();

      // What the last pass did, for the status an administrator reads.
      for (const [name, type] of [
        ['last_success_at', t.time],
        ['last_created', t.int],
        ['last_updated', t.int],
        ['last_deleted', t.int],
        ['last_conflicts', t.int],
        // Why the circuit breaker stopped this mailbox (what the pass would have deleted).
        ['breaker_detail', t.text(1000)],
        // An administrator released the breaker: the next pass may delete what it stopped for.
        ['breaker_released_at', t.time],
      ] as const) {
        await db.schema.alterTable('sync_mailbox').addColumn(name, type).execute();
      }

      const checked = (name: string, condition: ReturnType<typeof sql>) => (c: ColumnDefinitionBuilder) => c.check(sql`${sql.ref(name)} ${condition}`);
      await db.schema.alterTable('tenant').addColumn('sync_window_past_days', t.int, (c) => checked('sync_window_past_days', sql`between 0 and 365`)(c.notNull().defaultTo(30))).execute();
      await db.schema.alterTable('tenant').addColumn('sync_window_future_days', t.int, (c) => checked('sync_window_future_days', sql`between 1 and 730`)(c.notNull().defaultTo(120))).execute();
      await db.schema
        .alterTable('tenant')
        .addColumn('sync_conflict_winner', t.code(16), (c) => checked('sync_conflict_winner', sql`in ('superoffice', 'outlook')`)(c.notNull().defaultTo('superoffice')))
        .execute();
      // IANA zone SuperOffice's wall-clock dates and all-day items are read in.
      await db.schema.alterTable('tenant').addColumn('sync_time_zone', t.code(64), (c) => c.notNull().defaultTo('Europe/Oslo')).execute();

      // The old history becomes mappings: both ids known, no base yet (the next pass adopts and compares).
      await sql`insert into ${sql.table('sync_item')} (tenant_id, associate_id, mailbox_id, kind, so_id, graph_id, origin, state, so_updated_at, graph_change_key, created_at, updated_at)
        select h.tenant_id, l.associate_id, l.mailbox_id, h.item_kind, h.superoffice_id, h.external_id, 'superoffice', 'active', h.superoffice_updated_at, h.external_change_key, h.synced_at, h.synced_at
        from ${sql.table('sync_history')} h inner join ${sql.table('link')} l on l.id = h.link_id and l.tenant_id = h.tenant_id`.execute(db);
    },
    async down(db: Kysely<any>) {
      for (const c of ['sync_time_zone', 'sync_conflict_winner', 'sync_window_future_days', 'sync_window_past_days']) {
        await db.schema.alterTable('tenant').dropColumn(c).execute();
      }
      for (const c of ['breaker_released_at', 'breaker_detail', 'last_conflicts', 'last_deleted', 'last_updated', 'last_created', 'last_success_at']) {
        await db.schema.alterTable('sync_mailbox').dropColumn(c).execute();
      }
      await db.schema.dropTable('sync_conflict').execute();
      await db.schema.dropTable('sync_cursor').execute();
      await db.schema.dropTable('sync_item').execute();
    },
  };
}
