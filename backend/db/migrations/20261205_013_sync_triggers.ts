import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Near-real-time triggers. `sync_subscription`: the Microsoft Graph change-notification
 * subscription of ours per mailbox and kind (events for the diary, contacts for Contact), with a
 * SHA-256 hash of the `clientState` secret Graph echoes in every notification (the secret itself
 * is only ever sent to Graph; a hash is enough to check it and useless to a reader of the table)
 * and when Graph will drop it unless renewed. `superoffice_webhook`: the tenant's SuperOffice
 * webhook and its signing secret, sealed (secret-box.ts): the HMAC check needs the secret itself.
 * Frozen in time.
 */
export function syncTriggers(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  const max = mssql ? sql`nvarchar(max)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_subscription')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('mailbox_id', code(64), (c) => c.notNull())
        .addColumn('kind', code(16), (c) => c.notNull())
        .addColumn('subscription_id', code(128), (c) => c.notNull())
        .addColumn('client_state_hash', code(64), (c) => c.notNull())
        .addColumn('expires_at', time, (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sync_subscription', ['tenant_id', 'mailbox_id', 'kind'])
        .addForeignKeyConstraint('fk_sync_subscription_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_subscription_kind', sql`${sql.ref('kind')} in ('appointment', 'contact')`)
        .execute();
      // A notification names its subscription only.
      await db.schema.createIndex('ux_sync_subscription_id').on('sync_subscription').column('subscription_id').unique().execute();
      // The renewal sweep: the soonest to expire first.
      await db.schema.createIndex('ix_sync_subscription_expiry').on('sync_subscription').column('expires_at').execute();
      await db.schema
        .createTable('superoffice_webhook')
        .addColumn('tenant_id', code(64), (c) => c.notNull().primaryKey())
        .addColumn('webhook_id', sql`integer`, (c) => c.notNull())
        .addColumn('secret_sealed', max, (c) => c.notNull())
        .addColumn('target_url', code(2048), (c) => c.notNull())
        .addColumn('created_at', time, (c) => c.notNull())
        .addForeignKeyConstraint('fk_superoffice_webhook_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('superoffice_webhook').execute();
      await db.schema.dropTable('sync_subscription').execute();
    },
  };
}
