import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Admin consent is now two steps (an OpenID Connect sign-in, then Microsoft's adminconsent page),
 * so a login state can carry the verified Entra sign-in between them, and the tenant records who
 * approved. login_state holds only popups in flight (ten minutes), so it is recreated with its new
 * purpose list rather than altered (SQLite cannot alter a check constraint); a popup open during
 * the upgrade starts again. Frozen in time, like every migration.
 */
export function consentApprover(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    secret: mssql ? sql`varchar(max)` : sql`text`,
    time: mssql ? sql`datetime2(3)` : sql`text`,
    int: sql`integer`,
  };
  const loginState = async (db: Kysely<any>, purposes: string[], withApprover: boolean) => {
    let table = db.schema
      .createTable('login_state')
      .addColumn('state_hash', t.code(64), (c) => c.notNull())
      .addColumn('purpose', t.code(32), (c) => c.notNull())
      .addColumn('tenant_id', t.code(64))
      .addColumn('associate_id', t.int)
      .addColumn('associate_name', t.text(200))
      .addColumn('nonce', t.code(64), (c) => c.notNull())
      .addColumn('code_verifier_sealed', t.secret);
    if (withApprover) {
      // The Microsoft 365 administrator the sign-in step verified (id token `tid`, `oid`, `name`).
      table = table
        .addColumn('entra_tenant_id', t.code(36))
        .addColumn('entra_oid', t.code(36))
        .addColumn('entra_name', t.text(200));
    }
    await table
      .addColumn('created_at', t.time, (c) => c.notNull())
      .addColumn('expires_at', t.time, (c) => c.notNull())
      .addPrimaryKeyConstraint('pk_login_state', ['state_hash'])
      .addCheckConstraint('ck_login_state_purpose', sql`${sql.ref('purpose')} in (${sql.join(purposes.map((p) => sql.lit(p)))})`)
      .execute();
    await db.schema.createIndex('ix_login_state_expires').on('login_state').column('expires_at').execute();
  };
  return {
    async up(db: Kysely<any>) {
      await db.schema.dropTable('login_state').execute();
      await loginState(db, ['superoffice', 'microsoft_signin', 'admin_consent'], true);
      await db.schema.alterTable('tenant').addColumn('admin_consent_oid', t.code(36)).execute();
      await db.schema.alterTable('tenant').addColumn('admin_consent_name', t.text(200)).execute();
    },
    async down(db: Kysely<any>) {
      for (const c of ['admin_consent_name', 'admin_consent_oid']) await db.schema.alterTable('tenant').dropColumn(c).execute();
      await db.schema.dropTable('login_state').execute();
      await loginState(db, ['superoffice', 'admin_consent'], false);
    },
  };
}
