import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Where each kind of a mailbox stands (Diary, Task, Contact): the mailbox pass runs the kinds one
 * after another and one may fail while the others go on, so an administrator needs each kind's
 * own state, last success, counts and error, not only the mailbox's worst. Its own table rather
 * than columns on `sync_cursor`: a cursor is forgotten to force a full read (and with the link),
 * while the status, like `sync_mailbox`, is kept by mailbox. Written in the fenced transaction
 * that writes the mailbox's outcome. The index on `sync_item` gains `kind`, so the list's items
 * in sync per kind are counted from the index alone. Frozen in time.
 */
export function syncKindStatus(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  // SQL Server names the table of the index dropped; SQLite refuses the `on`.
  const dropLinkIndex = (db: Kysely<any>) => (mssql ? db.schema.dropIndex('ix_sync_item_link').on('sync_item') : db.schema.dropIndex('ix_sync_item_link')).execute();
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_kind_status')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('mailbox_id', code(64), (c) => c.notNull())
        .addColumn('kind', code(16), (c) => c.notNull())
        .addColumn('state', code(32), (c) => c.notNull())
        .addColumn('last_pass_at', time, (c) => c.notNull())
        .addColumn('last_success_at', time)
        .addColumn('last_created', sql`integer`)
        .addColumn('last_updated', sql`integer`)
        .addColumn('last_deleted', sql`integer`)
        .addColumn('last_conflicts', sql`integer`)
        // Plain words: why the kind stopped (an outside service's refusal, what stopped the breaker).
        .addColumn('last_error', text(1000))
        .addPrimaryKeyConstraint('pk_sync_kind_status', ['tenant_id', 'mailbox_id', 'kind'])
        .addForeignKeyConstraint('fk_sync_kind_status_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_kind_status_kind', sql`${sql.ref('kind')} in ('appointment', 'task', 'contact')`)
        .addCheckConstraint('ck_sync_kind_status_state', sql`${sql.ref('state')} in ('in_sync', 'throttled', 'error', 'breaker')`)
        .execute();
      await dropLinkIndex(db);
      await db.schema.createIndex('ix_sync_item_link').on('sync_item').columns(['tenant_id', 'associate_id', 'mailbox_id', 'state', 'kind']).execute();
    },
    async down(db: Kysely<any>) {
      await dropLinkIndex(db);
      await db.schema.createIndex('ix_sync_item_link').on('sync_item').columns(['tenant_id', 'associate_id', 'mailbox_id', 'state']).execute();
      await db.schema.dropTable('sync_kind_status').execute();
    },
  };
}
