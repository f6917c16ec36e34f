import type { SyncMailboxRow, SyncMailboxState } from '../db/database.js';
import { readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import {
  claimDueMailboxes,
  enrollLinkedMailboxes,
  fenceLease,
  recordPass,
  releaseLease,
  renewLease,
  type LeaseKey,
} from './lease.repository.js';

export type { LeaseKey } from './lease.repository.js';

/**
 * The worker no longer holds the mailbox's lease (it expired and another worker claimed it, with
 * a higher epoch): it must stop working that mailbox. The write that found out wrote nothing.
 */
export class LeaseLost extends DomainError {
  constructor(readonly lease: LeaseKey) {
    super('conflict', 'Conflict', `The sync lease on mailbox ${lease.mailboxId} (epoch ${lease.epoch}) is no longer held by this worker.`);
    this.name = 'LeaseLost';
  }
}

/** A mailbox a worker has just claimed. */
export interface ClaimedMailbox {
  tenantId: string;
  mailboxId: string;
  epoch: number;
  leaseExpiresAt: string;
  lastPassAt: string | null;
  state: SyncMailboxState;
  lastError: string | null;
}

function toClaimed(row: SyncMailboxRow): ClaimedMailbox {
  return {
    tenantId: row.tenant_id,
    mailboxId: row.mailbox_id,
    epoch: Number(row.lease_epoch),
    leaseExpiresAt: readTime(row.lease_expires_at!),
    lastPassAt: readTime(row.last_pass_at),
    state: row.state,
    lastError: row.last_error,
  };
}

/**
 * Claims up to `n` due mailboxes of `ranks` for `owner` with a lease of `leaseMs`. Newly linked
 * mailboxes get their sync row first. The claim itself is one statement, in an immediate
 * transaction on SQLite (the write lock taken at `begin`).
 */
export async function claimMailboxes(store: Store, owner: string, ranks: readonly number[], n: number, leaseMs: number): Promise<ClaimedMailbox[]> {
  await enrollLinkedMailboxes(store);
  const rows = await store.transaction((tx) => claimDueMailboxes(tx, owner, ranks, n, leaseMs));
  return rows.map(toClaimed);
}

/** Extends the lease while it is still held; false when it is not (stop before the next external write). */
export function renewMailboxLease(store: Store, lease: LeaseKey, leaseMs: number): Promise<boolean> {
  return renewLease(store, lease, leaseMs);
}

/** Gives the mailbox back (with the failure of its pass, if it failed; due in `dueInMs` if given) while the lease is still held. */
export function releaseMailboxLease(store: Store, lease: LeaseKey, outcome?: { error?: string; dueInMs?: number }): Promise<boolean> {
  return releaseLease(store, lease, outcome);
}

/**
 * Runs `work` in one transaction that first proves the lease is still held; the proof locks the
 * lease row until the commit, so no other worker can claim the mailbox in between. A lost lease
 * throws LeaseLost before `work` runs: nothing is written.
 */
export function fencedWrite<T>(store: Store, lease: LeaseKey, work: (tx: Tx) => Promise<T>): Promise<T> {
  return store.transaction(async (tx) => {
    if (!(await fenceLease(tx, lease))) throw new LeaseLost(lease);
    return work(tx);
  });
}

/** Inside a fenced write: the pass ran now, and the mailbox is due again in `intervalMs`. */
export function recordPassTimes(tx: Tx, lease: LeaseKey, intervalMs: number): Promise<void> {
  return recordPass(tx, lease, intervalMs);
}
