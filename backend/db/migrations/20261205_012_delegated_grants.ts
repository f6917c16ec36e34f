import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * OAuth mode's delegated grant. The accept sign-in is an authorization code with PKCE that the
 * backend redeems, so its PKCE verifier and `state` are kept on the invite next to the nonce of
 * the same opening (`accept_verifier_sealed`, sealed; `accept_state_hash`, SHA-256 of the state),
 * never trusted from the browser. What the redemption leaves (msal-node's token cache for that one
 * account: the refresh token and the current access token) is kept sealed per mailbox on its
 * authorization (`grant_sealed`), so the worker can act for the mailbox owner; Revoke
 * authorization empties it. Frozen in time, like every migration.
 */
export function delegatedGrants(dialect: DialectName): Migration {
  const mssql = dialect === 'mssql';
  const sealed = mssql ? sql`nvarchar(max)` : sql`text`;
  const hash = mssql ? sql`varchar(64)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('invite').addColumn('accept_verifier_sealed', sealed).execute();
      await db.schema.alterTable('invite').addColumn('accept_state_hash', hash).execute();
      await db.schema.alterTable('authorized_mailbox').addColumn('grant_sealed', sealed).execute();
      // The sign-in's callback finds its invite by the state alone.
      await db.schema.createIndex('ix_invite_accept_state').on('invite').column('accept_state_hash').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('ix_invite_accept_state').on('invite').execute();
      await db.schema.alterTable('authorized_mailbox').dropColumn('grant_sealed').execute();
      await db.schema.alterTable('invite').dropColumn('accept_state_hash').execute();
      await db.schema.alterTable('invite').dropColumn('accept_verifier_sealed').execute();
    },
  };
}
