import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Per-mailbox sync state and its lease: which sync worker may work a mailbox now (Microsoft Graph
 * throttles per app and mailbox, so a mailbox is worked by one worker at a time). Keyed by
 * mailbox, not by link: the row outlives a removed link, so a re-added user continues with the
 * same ever-increasing `lease_epoch` (the fencing token). The rank is not copied here; a claim
 * joins the link, so a rank or option change takes effect at the next claim. Frozen in time.
 */
export function syncLeases(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_mailbox')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('mailbox_id', code(64), (c) => c.notNull())
        // Who holds the lease (host/pid/random of a worker process); null when released.
        .addColumn('lease_owner', text(200))
        // Bumped by every claim; every write of a pass checks it, so a worker that lost the lease writes nothing.
        .addColumn('lease_epoch', sql`integer`, (c) => c.notNull().defaultTo(0))
        .addColumn('lease_expires_at', time)
        .addColumn('next_due_at', time, (c) => c.notNull())
        .addColumn('last_pass_at', time)
        .addColumn('state', code(32), (c) => c.notNull().defaultTo('pending'))
        .addColumn('last_error', text(1000))
        .addColumn('created_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sync_mailbox', ['tenant_id', 'mailbox_id'])
        .addForeignKeyConstraint('fk_sync_mailbox_tenant', ['tenant_id'], 'tenant', ['id'])
        .addCheckConstraint('ck_sync_mailbox_epoch', sql`${sql.ref('lease_epoch')} >= 0`)
        .addCheckConstraint(
          'ck_sync_mailbox_state',
          sql`${sql.ref('state')} in ('pending', 'in_sync', 'throttled', 'error', 'breaker', 'waiting_authorization')`,
        )
        .execute();
      // The claim: due mailboxes, oldest first, whose lease is free or expired.
      await db.schema.createIndex('ix_sync_mailbox_due').on('sync_mailbox').columns(['next_due_at', 'lease_expires_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('sync_mailbox').execute();
    },
  };
}
