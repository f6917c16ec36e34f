import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Sign-in state and the SuperOffice credentials the backend keeps for each signed-in associate.
 * Frozen in time, like every migration.
 */
export function superofficeSignin(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const t = {
    text: (n: number) => (mssql ? sql`nvarchar(${sql.raw(String(n))})` : sql`text`),
    code: (n: number) => (mssql ? sql`varchar(${sql.raw(String(n))})` : sql`text`),
    secret: mssql ? sql`varchar(max)` : sql`text`,
    time: mssql ? sql`datetime2(3)` : sql`text`,
    int: sql`integer`,
  };
  return {
    async up(db: Kysely<any>) {
      // One row per sign-in or consent popup in flight: the OAuth `state` (hashed), its nonce and
      // PKCE verifier (sealed). Stored, not kept in memory, so any instance can take the callback.
      await db.schema
        .createTable('login_state')
        .addColumn('state_hash', t.code(64), (c) => c.notNull())
        .addColumn('purpose', t.code(32), (c) => c.notNull())
        .addColumn('tenant_id', t.code(64))
        // Who started it (admin consent is started by a signed-in administrator).
        .addColumn('associate_id', t.int)
        .addColumn('associate_name', t.text(200))
        .addColumn('nonce', t.code(64), (c) => c.notNull())
        .addColumn('code_verifier_sealed', t.secret)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_login_state', ['state_hash'])
        .addCheckConstraint('ck_login_state_purpose', sql`${sql.ref('purpose')} in ('superoffice', 'admin_consent')`)
        .execute();
      await db.schema.createIndex('ix_login_state_expires').on('login_state').column('expires_at').execute();

      // SuperOffice tokens never reach the browser; both are sealed with TOKEN_ENCRYPTION_KEY.
      await db.schema
        .createTable('superoffice_credential')
        .addColumn('tenant_id', t.code(64), (c) => c.notNull())
        .addColumn('associate_id', t.int, (c) => c.notNull())
        .addColumn('webapi_url', t.text(400), (c) => c.notNull())
        // `Bearer` (Online access token) or `SOTicket` (Onsite ticket, no refresh).
        .addColumn('auth_scheme', t.code(16), (c) => c.notNull().defaultTo('Bearer'))
        .addColumn('access_token_sealed', t.secret, (c) => c.notNull())
        .addColumn('refresh_token_sealed', t.secret)
        .addColumn('access_expires_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_superoffice_credential', ['tenant_id', 'associate_id'])
        .addForeignKeyConstraint('fk_superoffice_credential_tenant', ['tenant_id'], 'tenant', ['id'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('superoffice_credential').execute();
      await db.schema.dropTable('login_state').execute();
    },
  };
}
