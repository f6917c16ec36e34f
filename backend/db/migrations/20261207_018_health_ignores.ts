import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The health report's ignored problems: an administrator decided a problem (its stable key, see
 * backend/health/health.types.ts) needs no fix, so the report leaves it out until it is taken
 * back. Who decided and when are kept beside it (the audit log says so too). Frozen in time.
 */
export function healthIgnores(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('health_ignore')
        .addColumn('tenant_id', code(64), (c) => c.notNull())
        .addColumn('problem_key', code(128), (c) => c.notNull())
        .addColumn('ignored_by', sql`integer`, (c) => c.notNull())
        .addColumn('ignored_by_name', text(200), (c) => c.notNull())
        .addColumn('ignored_at', time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_health_ignore', ['tenant_id', 'problem_key'])
        .addForeignKeyConstraint('fk_health_ignore_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('health_ignore').execute();
    },
  };
}
