import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Which manifest the tenant's web panels were last provisioned from (so an administrator's
 * sign-in provisions once per manifest change), when, and the last failure. Frozen in time.
 */
export function panelProvisioning(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const time = mssql ? sql`datetime2(3)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tenant').addColumn('panels_version', code(64)).execute();
      await db.schema.alterTable('tenant').addColumn('panels_provisioned_at', time).execute();
      await db.schema.alterTable('tenant').addColumn('panels_error', text(400)).execute();
    },
    async down(db: Kysely<any>) {
      for (const c of ['panels_error', 'panels_provisioned_at', 'panels_version']) await db.schema.alterTable('tenant').dropColumn(c).execute();
    },
  };
}
