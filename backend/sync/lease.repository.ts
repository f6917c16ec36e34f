import { sql } from 'kysely';
import type { SyncMailboxRow } from '../db/database.js';
import { chunk } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import { isUniqueViolation } from '../http/errors.js';

/** A lease as its holder knows it: the fencing token every write of a pass presents. */
export interface LeaseKey {
  tenantId: string;
  mailboxId: string;
  owner: string;
  epoch: number;
}

const COLUMNS = [
  'tenant_id',
  'mailbox_id',
  'lease_owner',
  'lease_epoch',
  'lease_expires_at',
  'next_due_at',
  'last_pass_at',
  'state',
  'last_error',
  'created_at',
] as const satisfies readonly (keyof SyncMailboxRow)[];

/**
 * Gives every linked mailbox that has none its sync row, due now; with `only`, just the mailboxes
 * of those links of that tenant (Sync now). A concurrent worker adding the same rows first (SQL
 * Server: unique violation) is not an error; they are there either way.
 */
export async function enrollLinkedMailboxes(tx: Tx, only?: { tenantId: string; linkIds: readonly string[] }): Promise<void> {
  const now = tx.dialect.now();
  for (const slice of only ? chunk(only.linkIds, tx.dialect.maxInList) : [null]) {
    try {
      await tx.db
        .insertInto('sync_mailbox')
        .columns(['tenant_id', 'mailbox_id', 'lease_epoch', 'next_due_at', 'state', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('link as l')
            .select(['l.tenant_id', 'l.mailbox_id', eb.lit(0).as('lease_epoch'), now.as('next_due_at'), eb.val('pending').as('state'), now.as('created_at')])
            .$if(slice !== null, (q) => q.where('l.tenant_id', '=', only!.tenantId).where('l.id', 'in', slice!))
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('sync_mailbox as m')
                    .select('m.mailbox_id')
                    .whereRef('m.tenant_id', '=', 'l.tenant_id')
                    .whereRef('m.mailbox_id', '=', 'l.mailbox_id'),
                ),
              ),
            ),
        )
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
}

/**
 * Claims up to `n` due mailboxes whose link has one of `ranks` and at least one of Diary, Task
 * and Contact on, and whose lease is free or expired, oldest due first: one statement. Each gets
 * `owner`, the next epoch and a lease of `leaseMs`; its `next_due_at` becomes the lease's expiry,
 * so a mailbox whose pass never reschedules it (a crash, a pass that failed) is due again when
 * the lease would have run out. Removed links have no link row to join: never claimed.
 */
export async function claimDueMailboxes(tx: Tx, owner: string, ranks: readonly number[], n: number, leaseMs: number): Promise<SyncMailboxRow[]> {
  const d = tx.dialect;
  const c = d.claim(COLUMNS);
  const now = d.now();
  const until = d.nowPlus(leaseMs);
  const result = await sql<SyncMailboxRow>`update ${sql.table('sync_mailbox')}
set ${sql.ref('lease_owner')} = ${owner}, ${sql.ref('lease_epoch')} = ${sql.ref('sync_mailbox.lease_epoch')} + 1,
  ${sql.ref('lease_expires_at')} = ${until}, ${sql.ref('next_due_at')} = ${until}
${c.output}
from (
  select ${c.top(n)} ${sql.ref('c.tenant_id')}, ${sql.ref('c.mailbox_id')}
  from ${sql.table('sync_mailbox')} as ${sql.ref('c')} ${c.hints}
  inner join ${sql.table('link')} as ${sql.ref('l')} on ${sql.ref('l.tenant_id')} = ${sql.ref('c.tenant_id')} and ${sql.ref('l.mailbox_id')} = ${sql.ref('c.mailbox_id')}
  where ${sql.ref('l.rank')} in (${sql.join([...ranks])})
    and (${sql.ref('l.sync_diary')} = 1 or ${sql.ref('l.sync_task')} = 1 or ${sql.ref('l.sync_contact')} = 1)
    and ${sql.ref('c.next_due_at')} <= ${now}
    and (${sql.ref('c.lease_expires_at')} is null or ${sql.ref('c.lease_expires_at')} <= ${now})
  order by ${sql.ref('c.next_due_at')}
  ${c.limit(n)}
) as ${sql.ref('due')}
where ${sql.ref('due.tenant_id')} = ${sql.ref('sync_mailbox.tenant_id')} and ${sql.ref('due.mailbox_id')} = ${sql.ref('sync_mailbox.mailbox_id')}
${c.returning}`.execute(tx.db);
  return result.rows;
}

function held(tx: Tx, lease: LeaseKey) {
  return tx.db
    .updateTable('sync_mailbox')
    .where('tenant_id', '=', lease.tenantId)
    .where('mailbox_id', '=', lease.mailboxId)
    .where('lease_owner', '=', lease.owner)
    .where('lease_epoch', '=', lease.epoch);
}

/** Extends the lease by `leaseMs` from now, only while `lease` still holds it; false when it does not. */
export async function renewLease(tx: Tx, lease: LeaseKey, leaseMs: number): Promise<boolean> {
  const result = await held(tx, lease).set({ lease_expires_at: tx.dialect.nowPlus(leaseMs) }).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Gives the mailbox back, only while `lease` still holds it. `dueInMs`: when it is due next
 * (otherwise as the pass scheduled it); `error`: the pass failed, and the row says why. False
 * when the lease was not held.
 */
export async function releaseLease(tx: Tx, lease: LeaseKey, outcome: { error?: string; dueInMs?: number } = {}): Promise<boolean> {
  const result = await held(tx, lease)
    .set({
      lease_owner: null,
      lease_expires_at: null,
      ...(outcome.error === undefined ? {} : { state: 'error' as const, last_error: outcome.error.slice(0, 1000) }),
      ...(outcome.dueInMs === undefined ? {} : { next_due_at: tx.dialect.nowPlus(outcome.dueInMs) }),
    })
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The first statement of every fenced transaction: a write to the lease row that matches only
 * while `lease` still holds it. It locks the row until the transaction ends (SQL Server: an
 * exclusive row lock a claim's `readpast` skips; SQLite: the single writer), so no claim can take
 * the mailbox between this check and the commit. False when the lease is lost.
 */
export async function fenceLease(tx: Tx, lease: LeaseKey): Promise<boolean> {
  const result = await held(tx, lease).set({ lease_epoch: lease.epoch }).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The pass was done: when, and when the mailbox is due next (`intervalMs` from now). */
export async function recordPass(tx: Tx, lease: LeaseKey, intervalMs: number): Promise<void> {
  await held(tx, lease).set({ last_pass_at: tx.dialect.now(), next_due_at: tx.dialect.nowPlus(intervalMs) }).execute();
}

export function findSyncMailbox(tx: Tx, tenantId: string, mailboxId: string): Promise<SyncMailboxRow | undefined> {
  return tx.db.selectFrom('sync_mailbox').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).executeTakeFirst();
}
