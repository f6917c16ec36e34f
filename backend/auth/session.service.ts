import { createHash, randomBytes } from 'node:crypto';
import { readBool, readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ensureTenant } from '../tenants/tenant.repository.js';
import { noteSignIn } from './admin.repository.js';
import { deleteExpiredSessions, deleteSession, findLiveSession, insertSession } from './session.repository.js';

/** Who is calling: the tenant, the associate, and whether SuperOffice says they administer it. */
export interface Session {
  tenantId: string;
  associateId: number;
  associateName: string;
  isAdmin: boolean;
  expiresAt: string;
}

export interface NewSession {
  tenantId: string;
  associateId: number;
  associateName: string;
  isAdmin: boolean;
}

const PREFIX = 'sls_';
/** `sls_` + 32 random bytes in base64url. Anything else is refused without a database read. */
const TOKEN_SHAPE = /^sls_[A-Za-z0-9_-]{43}$/;
const TENANT_SHAPE = /^[A-Za-z0-9_-]{1,64}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Sessions live in the database (only the token's hash is stored), so any number of backend
 * instances can serve one database and a session can be ended server-side.
 */
export async function issueSession(
  store: Store,
  input: NewSession,
  ttlMinutes: number,
  now: Date = new Date(),
): Promise<{ token: string; session: Session }> {
  if (!TENANT_SHAPE.test(input.tenantId)) throw new Error('tenant id has an unexpected shape');
  if (!Number.isInteger(input.associateId) || input.associateId <= 0) throw new Error('associate id must be positive');
  const token = PREFIX + randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + ttlMinutes * 60_000);
  await store.transaction(async (tx) => {
    await ensureTenant(tx, input.tenantId, now);
    await insertSession(tx, {
      tokenHash: hashToken(token),
      tenantId: input.tenantId,
      associateId: input.associateId,
      associateName: input.associateName.slice(0, 200),
      isAdmin: input.isAdmin,
      createdAt: now,
      expiresAt: expires,
    });
    // Who administers the tenant, as SuperOffice said at this sign-in (the alerts' recipients).
    await noteSignIn(tx, { ...input, at: now });
    // Every sign-in clears the sessions that have run out (as saving a login state does for those).
    await purgeExpiredSessions(tx, now);
  });
  return { token, session: { ...input, expiresAt: expires.toISOString() } };
}

/** The session a token names, or null if the token is malformed, unknown or expired. */
export async function verifySession(tx: Tx, token: string, now: Date = new Date()): Promise<Session | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await findLiveSession(tx, hashToken(token), now);
  if (!row) return null;
  return {
    tenantId: row.tenant_id,
    associateId: row.associate_id,
    associateName: row.associate_name,
    isAdmin: readBool(row.is_admin),
    expiresAt: readTime(row.expires_at),
  };
}

export async function endSession(tx: Tx, token: string): Promise<void> {
  if (!TOKEN_SHAPE.test(token)) return;
  await deleteSession(tx, hashToken(token));
}

/** Removes expired sessions (each new session does), so the table holds about the live ones only. */
export async function purgeExpiredSessions(tx: Tx, now: Date = new Date()): Promise<number> {
  return deleteExpiredSessions(tx, now);
}
