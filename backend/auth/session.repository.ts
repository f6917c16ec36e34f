import type { Tx } from '../db/store.js';

export interface SessionValues {
  tokenHash: string;
  tenantId: string;
  associateId: number;
  associateName: string;
  isAdmin: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export async function insertSession(tx: Tx, s: SessionValues): Promise<void> {
  await tx.db
    .insertInto('session')
    .values({
      token_hash: s.tokenHash,
      tenant_id: s.tenantId,
      associate_id: s.associateId,
      associate_name: s.associateName,
      is_admin: tx.dialect.bool(s.isAdmin),
      created_at: tx.dialect.time(s.createdAt),
      expires_at: tx.dialect.time(s.expiresAt),
    })
    .execute();
}

/** The session row with this token hash, if it has not expired at `now`. */
export function findLiveSession(tx: Tx, tokenHash: string, now: Date) {
  return tx.db
    .selectFrom('session')
    .select(['tenant_id', 'associate_id', 'associate_name', 'is_admin', 'expires_at'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', tx.dialect.time(now))
    .executeTakeFirst();
}

export async function deleteSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
}

/** Deletes the sessions that have run out at `now`; answers how many. */
export async function deleteExpiredSessions(tx: Tx, now: Date): Promise<number> {
  const result = await tx.db.deleteFrom('session').where('expires_at', '<=', tx.dialect.time(now)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
