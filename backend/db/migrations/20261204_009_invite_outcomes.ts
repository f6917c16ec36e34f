import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The Microsoft 365 organisation's name (Graph `GET /organization` displayName, read when the
 * tenant connects), so the panel names it instead of showing its id; and what became of an
 * accepted invite: whether the administrator asked for the link to be made at once
 * (`link_on_accept`), and the outcome (`accept_outcome`: `proposed`, `linked`,
 * `associate_linked`, `mailbox_linked`) with the other side of an existing link
 * (`accept_outcome_detail`). Frozen in time, like every migration.
 */
export function inviteOutcomes(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const text = (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`);
  const code = (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`);
  const bool = mssql ? sql`bit` : sql`integer`;
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('tenant').addColumn('entra_organization_name', text(256)).execute();
      await db.schema.alterTable('invite').addColumn('link_on_accept', bool, (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('invite').addColumn('accept_outcome', code(32)).execute();
      await db.schema.alterTable('invite').addColumn('accept_outcome_detail', text(320)).execute();
    },
    async down(db: Kysely<any>) {
      for (const c of ['accept_outcome_detail', 'accept_outcome', 'link_on_accept']) await db.schema.alterTable('invite').dropColumn(c).execute();
      await db.schema.alterTable('tenant').dropColumn('entra_organization_name').execute();
    },
  };
}
