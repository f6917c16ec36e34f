import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The first schema. Frozen in time: later changes get a migration of their own. It uses
 * `Kysely<any>` so it keeps compiling whatever the current row types become.
 *
 * The column types differ by dialect (SQL Server has `bit`, `datetime2`, `nvarchar` and
 * `identity`; SQLite has its five storage classes); the table shapes, keys, unique and check
 * constraints are the same.
 */
export function initial(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    json: mssql ? sql`nvarchar(max)` : sql`text`,
    time: mssql ? sql`datetime2(3)` : sql`text`,
    bool: mssql ? sql`bit` : sql`integer`,
    int: sql`integer`,
  };
  // SQLite's rowid alias must be declared inline; SQL Server gets a named key like every table.
  const identity = (c: ColumnDefinitionBuilder) =>
    mssql ? c.identity().notNull() : c.primaryKey().autoIncrement();
  const identityKey = (name: string) => (b: CreateTableBuilder<any, any>) =>
    mssql ? b.addPrimaryKeyConstraint(name, ['id']) : b;
  const idType = mssql ? sql`bigint` : sql`integer`;

  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('tenant')
        .addColumn('id', t.code(64), (c) => c.notNull())
        .addColumn('name', t.text(200))
        .addColumn('mode', t.code(16), (c) => c.notNull().defaultTo('application'))
        .addColumn('entra_tenant_id', t.code(64))
        .addColumn('admin_consent_at', t.time)
        .addColumn('invite_ttl_days', t.int, (c) => c.notNull().defaultTo(14))
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_tenant', ['id'])
        .addCheckConstraint('ck_tenant_mode', sql`${sql.ref('mode')} in ('application', 'oauth')`)
        .addCheckConstraint('ck_tenant_invite_ttl', sql`${sql.ref('invite_ttl_days')} between 1 and 365`)
        .execute();

      await db.schema
        .createTable('link')
        .addColumn('id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('associate_name', t.text(200), (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_address', t.text(320), (c) => c.notNull())
        .addColumn('sync_diary', t.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sync_task', t.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('sync_contact', t.bool, (c) => c.notNull().defaultTo(1))
        .addColumn('rank', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('version', t.int, (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', t.int, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_by', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_link', ['id'])
        .addForeignKeyConstraint('fk_link_tenant', ['tenant_id'], 'tenant', ['id'])
        // One associate ↔ one mailbox per tenant, enforced here and not only in code.
        .addUniqueConstraint('uq_link_tenant_associate', ['tenant_id', 'associate_id'])
        .addUniqueConstraint('uq_link_tenant_mailbox', ['tenant_id', 'mailbox_id'])
        .addCheckConstraint('ck_link_rank', sql`${sql.ref('rank')} between 1 and 99`)
        .addCheckConstraint('ck_link_associate', sql`${sql.ref('associate_id')} > 0`)
        .execute();

      await db.schema
        .createTable('sync_history')
        .addColumn('id', idType, identity)
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('link_id', t.code(36), (c) => c.notNull())
        .addColumn('item_kind', t.code(16), (c) => c.notNull())
        .addColumn('superoffice_id', t.int, (c) => c.notNull())
        .addColumn('external_id', t.text(512), (c) => c.notNull())
        .addColumn('superoffice_updated_at', t.time)
        .addColumn('external_change_key', t.text(256))
        .addColumn('synced_at', t.time, (c) => c.notNull())
        .$call(identityKey('pk_sync_history'))
        .addForeignKeyConstraint('fk_sync_history_link', ['link_id'], 'link', ['id'])
        // Also the index that finds and deletes a link's history.
        .addUniqueConstraint('uq_sync_history_item', ['link_id', 'item_kind', 'superoffice_id'])
        .addCheckConstraint(
          'ck_sync_history_kind',
          sql`${sql.ref('item_kind')} in ('appointment', 'task', 'contact')`,
        )
        .execute();
      // Counts a tenant's history per link (the linked-users list) without touching other tenants' rows.
      await db.schema
        .createIndex('ix_sync_history_tenant_link')
        .on('sync_history')
        .columns(['tenant_id', 'link_id'])
        .execute();

      await db.schema
        .createTable('authorized_mailbox')
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_id', t.code(64), (c) => c.notNull())
        .addColumn('mailbox_address', t.text(320), (c) => c.notNull())
        .addColumn('account_upn', t.text(320), (c) => c.notNull())
        .addColumn('invite_id', t.code(36))
        .addColumn('authorized_at', t.time, (c) => c.notNull())
        .addColumn('revoked_at', t.time)
        .addColumn('revoked_by', t.int)
        .addPrimaryKeyConstraint('pk_authorized_mailbox', ['tenant_id', 'mailbox_id'])
        .addForeignKeyConstraint('fk_authorized_mailbox_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();

      await db.schema
        .createTable('invite')
        .addColumn('id', t.code(36), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('associate_name', t.text(200), (c) => c.notNull())
        .addColumn('email', t.text(320), (c) => c.notNull())
        .addColumn('token_hash', t.code(64), (c) => c.notNull())
        .addColumn('created_by', t.int, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('sent_at', t.time)
        .addColumn('accepted_at', t.time)
        .addColumn('accepted_mailbox_id', t.code(64))
        .addColumn('revoked_at', t.time)
        .addPrimaryKeyConstraint('pk_invite', ['id'])
        .addForeignKeyConstraint('fk_invite_tenant', ['tenant_id'], 'tenant', ['id'])
        .addUniqueConstraint('uq_invite_token', ['token_hash'])
        .execute();
      await db.schema
        .createIndex('ix_invite_tenant_associate')
        .on('invite')
        .columns(['tenant_id', 'associate_id'])
        .execute();

      await db.schema
        .createTable('audit_log')
        .addColumn('id', idType, identity)
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('actor_associate_id', t.int, (c) => c.notNull())
        .addColumn('actor_name', t.text(200), (c) => c.notNull())
        .addColumn('action', t.code(64), (c) => c.notNull())
        .addColumn('entity_type', t.code(32), (c) => c.notNull())
        .addColumn('entity_id', t.code(64), (c) => c.notNull())
        .addColumn('before_json', t.json)
        .addColumn('after_json', t.json)
        .addColumn('request_id', t.code(64))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .$call(identityKey('pk_audit_log'))
        .execute();
      await db.schema.createIndex('ix_audit_log_tenant').on('audit_log').columns(['tenant_id', 'id']).execute();
      // The history of one link or setting ("who changed this user?").
      await db.schema
        .createIndex('ix_audit_log_entity')
        .on('audit_log')
        .columns(['tenant_id', 'entity_id', 'id'])
        .execute();
      // Append-only: the database itself refuses to change or remove an audit row.
      if (mssql) {
        await sql`create trigger trg_audit_log_append_only on audit_log instead of update, delete as
begin
  throw 50001, 'audit_log is append-only', 1;
end`.execute(db);
      } else {
        await sql`create trigger trg_audit_log_no_update before update on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end`.execute(db);
        await sql`create trigger trg_audit_log_no_delete before delete on audit_log
begin
  select raise(abort, 'audit_log is append-only');
end`.execute(db);
      }

      await db.schema
        .createTable('session')
        .addColumn('token_hash', t.code(64), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('associate_name', t.text(200), (c) => c.notNull())
        .addColumn('is_admin', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_session', ['token_hash'])
        .addForeignKeyConstraint('fk_session_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
      await db.schema.createIndex('ix_session_expires').on('session').column('expires_at').execute();
    },

    async down(db: Kysely<any>) {
      for (const table of ['session', 'audit_log', 'invite', 'authorized_mailbox', 'sync_history', 'link', 'tenant']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}
