import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Alerts: the daily digest of new health problems, by e-mail to chosen administrators and to an
 * optional outgoing webhook.
 * - `alert_settings`: one row per tenant (on/off, recipients as the associate ids with the name
 *   and contact-card address they had when saved, the hour of day in UTC, the webhook URL and
 *   its signing secret, sealed: the HMAC needs the secret itself), versioned.
 * - `alert_reported`: problems already reported (by their stable key), so a digest sends only
 *   new ones; a problem that went away is forgotten, so it is new again if it comes back.
 * - `alert_digest`: one row per tenant and UTC day, inserted in the transaction that decides
 *   what that day's digest holds (the claim: a second process or a retry finds it and sends
 *   nothing twice), with a short lease while one process delivers.
 * - `alert_delivery`: each recipient's e-mail and the webhook of a day's digest, and how it went
 *   (a failure is retried by a later sweep; one that was going out when its process died is not).
 * - `superoffice_admin`: who signed in to this app and whether SuperOffice said they administer
 *   the tenant then (currentPrincipal's function rights); the recipients are chosen among them.
 * Frozen in time.
 */
export function alerts(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  const max = mssql ? sql`nvarchar(max)` : sql`text`;
  const bool = mssql ? sql`bit` : sql`integer`;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_settings')
        .addColumn('tenant_id', code(64), (c) => c.notNull().primaryKey())
        .addColumn('enabled', bool, (c) => c.notNull())
        .addColumn('recipients_json', max, (c) => c.notNull())
        .addColumn('hour_utc', sql`integer`, (c) => c.notNull())
        .addColumn('webhook_url', text(2048))
        .addColumn('webhook_secret_sealed', max)
        .addColumn('version', sql`integer`, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addForeignKeyConstraint('fk_alert_settings_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_alert_settings_hour', sql`${sql.ref('hour_utc')} between 0 and 23`)
        .execute();
      await db.schema
        .createTable('alert_reported')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('problem_key', text(300), (c) => c.notNull())
        .addColumn('first_reported_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_alert_reported', ['tenant_id', 'problem_key'])
        .addForeignKeyConstraint('fk_alert_reported_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
      await db.schema
        .createTable('alert_digest')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('day', code(10), (c) => c.notNull())
        .addColumn('problems_json', max, (c) => c.notNull())
        .addColumn('problem_count', sql`integer`, (c) => c.notNull())
        .addColumn('claimed_at', time, (c) => c.notNull())
        .addColumn('lease_owner', code(64))
        .addColumn('lease_until', time)
        .addColumn('completed_at', time)
        .addPrimaryKeyConstraint('pk_alert_digest', ['tenant_id', 'day'])
        .addForeignKeyConstraint('fk_alert_digest_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
      // The sweep: digests with deliveries left.
      await db.schema.createIndex('ix_alert_digest_open').on('alert_digest').column('completed_at').execute();
      await db.schema
        .createTable('alert_delivery')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('day', code(10), (c) => c.notNull())
        .addColumn('channel', code(32), (c) => c.notNull())
        .addColumn('address', text(2048), (c) => c.notNull())
        .addColumn('state', code(16), (c) => c.notNull())
        .addColumn('attempts', sql`integer`, (c) => c.notNull())
        .addColumn('last_error', text(400))
        .addColumn('updated_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_alert_delivery', ['tenant_id', 'day', 'channel'])
        .addForeignKeyConstraint('fk_alert_delivery_digest', ['tenant_id', 'day'], 'alert_digest', ['tenant_id', 'day'])
        .addCheckConstraint('ck_alert_delivery_state', sql`${sql.ref('state')} in ('pending', 'sending', 'sent', 'failed', 'lost')`)
        .execute();
      await db.schema
        .createTable('superoffice_admin')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('associate_id', sql`integer`, (c) => c.notNull())
        .addColumn('associate_name', text(200), (c) => c.notNull())
        .addColumn('is_admin', bool, (c) => c.notNull())
        .addColumn('seen_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_superoffice_admin', ['tenant_id', 'associate_id'])
        .addForeignKeyConstraint('fk_superoffice_admin_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('superoffice_admin').execute();
      await db.schema.dropTable('alert_delivery').execute();
      await db.schema.dropTable('alert_digest').execute();
      await db.schema.dropTable('alert_reported').execute();
      await db.schema.dropTable('alert_settings').execute();
    },
  };
}
