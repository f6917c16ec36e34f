import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The work each mailbox's passes cost, per hour: passes, Graph requests (a `$batch` counts as its
 * items, as Outlook's limits count them), Graph's 429 answers and items the passes wrote. Server
 * Rank balancing reads the last day of it; rows older than a few days are pruned by the pass that
 * writes a mailbox's next hour (backend/sync/load.repository.ts). Its own small table: the
 * mailbox's status row says how the last pass ended, not what the day cost. Frozen in time.
 */
export function syncLoad(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sync_load')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('mailbox_id', code(64), (c) => c.notNull())
        // The hour the passes ran in (its start, UTC).
        .addColumn('hour_start', time, (c) => c.notNull())
        .addColumn('passes', sql`integer`, (c) => c.notNull())
        .addColumn('requests', sql`integer`, (c) => c.notNull())
        .addColumn('throttled', sql`integer`, (c) => c.notNull())
        .addColumn('items', sql`integer`, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_sync_load', ['tenant_id', 'mailbox_id', 'hour_start'])
        .addForeignKeyConstraint('fk_sync_load_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
      // The tenant's last day (the ranks view) and its old rows (the prune), by time.
      await db.schema.createIndex('ix_sync_load_hour').on('sync_load').columns(['tenant_id', 'hour_start']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('sync_load').execute();
    },
  };
}
