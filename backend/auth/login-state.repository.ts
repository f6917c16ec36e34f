import { createHash, randomBytes } from 'node:crypto';
import type { LoginStateTable } from '../db/database.js';
import type { Tx } from '../db/store.js';
import type { SecretBox } from '../security/secret-box.js';

export type LoginPurpose = LoginStateTable['purpose'];

export interface LoginState {
  tenantId: string | null;
  /** Who started it, when a signed-in user did. */
  actor: { associateId: number; name: string } | null;
  nonce: string;
  verifier: string | null;
  /** Admin consent's second step: the Microsoft 365 administrator its first step verified. */
  approver: EntraApprover | null;
}

/** Who signed in with Microsoft to approve the app: their organisation (`tid`), object id and name. */
export interface EntraApprover {
  entraTenantId: string;
  oid: string;
  name: string;
}

const hash = (state: string) => createHash('sha256').update(state).digest('hex');

/** Records a sign-in (or consent) about to start; returns the `state` to send to the provider. */
export async function createLoginState(
  tx: Tx,
  box: SecretBox,
  input: {
    purpose: LoginPurpose;
    tenantId: string | null;
    nonce: string;
    verifier: string | null;
    actor?: { associateId: number; name: string };
    approver?: EntraApprover;
  },
  now: Date,
  ttlSeconds = 600,
): Promise<string> {
  const state = randomBytes(32).toString('base64url');
  await tx.db
    .insertInto('login_state')
    .values({
      state_hash: hash(state),
      purpose: input.purpose,
      tenant_id: input.tenantId,
      associate_id: input.actor?.associateId ?? null,
      associate_name: input.actor?.name ?? null,
      nonce: input.nonce,
      code_verifier_sealed: input.verifier ? box.seal(input.verifier, `login:${hash(state)}`) : null,
      entra_tenant_id: input.approver?.entraTenantId ?? null,
      entra_oid: input.approver?.oid ?? null,
      entra_name: input.approver?.name ?? null,
      created_at: tx.dialect.time(now),
      expires_at: tx.dialect.time(new Date(now.getTime() + ttlSeconds * 1000)),
    })
    .execute();
  // Expired states of abandoned popups go now and then.
  await tx.db.deleteFrom('login_state').where('expires_at', '<', tx.dialect.time(now)).execute();
  return state;
}

/**
 * Takes the state back exactly once: unknown, expired, reused or other-purpose states give null.
 * The delete decides, so two callbacks racing with one state cannot both win.
 */
export async function consumeLoginState(
  tx: Tx,
  box: SecretBox,
  state: string,
  purpose: LoginPurpose,
  now: Date,
): Promise<LoginState | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(state)) return null;
  const key = hash(state);
  const row = await tx.db
    .selectFrom('login_state')
    .selectAll()
    .where('state_hash', '=', key)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', tx.dialect.time(now))
    .executeTakeFirst();
  if (!row) return null;
  const deleted = await tx.db.deleteFrom('login_state').where('state_hash', '=', key).executeTakeFirst();
  if (Number(deleted.numDeletedRows) !== 1) return null;
  return {
    tenantId: row.tenant_id,
    actor: row.associate_id !== null ? { associateId: row.associate_id, name: row.associate_name ?? '' } : null,
    nonce: row.nonce,
    verifier: row.code_verifier_sealed ? box.open(row.code_verifier_sealed, `login:${key}`) : null,
    approver:
      row.entra_tenant_id !== null && row.entra_oid !== null
        ? { entraTenantId: row.entra_tenant_id, oid: row.entra_oid, name: row.entra_name ?? '' }
        : null,
  };
}

/** Deletes a state whose sign-in ended with an error, so it cannot be used afterwards. */
export async function discardLoginState(tx: Tx, state: string, purpose: LoginPurpose): Promise<void> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(state)) return;
  await tx.db.deleteFrom('login_state').where('state_hash', '=', hash(state)).where('purpose', '=', purpose).execute();
}
