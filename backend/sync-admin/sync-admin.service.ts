import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { readBool } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError, MAX_DETAILS, type ErrorCode } from '../http/errors.js';
import { plainMessage } from '../http/text.js';
import { authorizationLookup } from '../authorizations/authorization.repository.js';
import { requireAllLinks } from '../links/link.service.js';
import { enrollLinkedMailboxes } from '../sync/lease.repository.js';
import { findSyncTargets, markDueNow, releaseBreakers, type SyncTarget } from './sync-admin.repository.js';

/** Loads the selected links of the caller's tenant; any id not among them makes the whole request 404. */
async function loadTargets(tx: Tx, tenantId: string, ids: string[]): Promise<SyncTarget[]> {
  const found = requireAllLinks(ids, new Map((await findSyncTargets(tx, tenantId, ids)).map((t) => [t.id, t])));
  return ids.map((id) => found.get(id)!);
}

/** The details of a refusal: each refused link, and why. */
function refusedLinks(code: ErrorCode, refused: SyncTarget[], why: string) {
  return refused.slice(0, MAX_DETAILS).map((t) => ({ code, message: `${t.associate_name} (${t.mailbox_address}) ${why}`, linkId: t.id }));
}

const who = (t: SyncTarget) => ({ associateId: t.associate_id, associateName: t.associate_name, mailboxAddress: t.mailbox_address });

/**
 * Sync now: the selected users' mailboxes are due at once (by the database's clock), so the next
 * worker serving their rank takes them up. A user with Diary, Task and Contact all off is not
 * synchronized, nor (OAuth mode) a mailbox its owner has not authorized: such a request is refused as a whole.
 */
export async function requestSync(store: Store, actor: Actor, ids: string[], now: Date): Promise<{ requested: number }> {
  return store.transaction(async (tx) => {
    const targets = await loadTargets(tx, actor.tenantId, ids);
    const disabled = targets.filter((t) => !(readBool(t.sync_diary) || readBool(t.sync_task) || readBool(t.sync_contact)));
    if (disabled.length > 0) {
      throw new ApiError(
        409,
        'SyncDisabled',
        `${disabled.length} of the selected users have Diary, Task and Contact all off, so they are not synchronized. Turn an option on and save it first. Nothing was changed.`,
        refusedLinks('SyncDisabled', disabled, 'has Diary, Task and Contact off'),
      );
    }
    // Application mode: null for every mailbox.
    const authorization = await authorizationLookup(tx, actor.tenantId, targets.map((t) => t.mailbox_id));
    const waiting = targets.filter((t) => authorization(t.mailbox_id) !== null && authorization(t.mailbox_id) !== 'authorized');
    if (waiting.length > 0) {
      throw new ApiError(
        409,
        'SyncWaitingAuthorization',
        `${waiting.length} of the selected users have not authorized their mailbox (OAuth mode), or the authorization was revoked: they are synchronized once they accept a new invitation. Nothing was changed.`,
        refusedLinks('SyncWaitingAuthorization', waiting, 'has not authorized the mailbox'),
      );
    }
    await enrollLinkedMailboxes(tx, { tenantId: actor.tenantId, linkIds: ids });
    await markDueNow(tx, actor.tenantId, targets.map((t) => t.mailbox_id));
    await appendAudit(
      tx,
      actor,
      targets.map((t) => ({ action: 'sync.requested', entityType: 'link', entityId: t.id, before: { state: t.state ?? 'pending' }, after: who(t) })),
      now,
    );
    return { requested: targets.length };
  });
}

/**
 * Resume synchronization of users the circuit breaker stopped: their next pass may delete what
 * the breaker stopped it from deleting. Only users stopped by the breaker; otherwise nothing changes.
 */
export async function releaseBreaker(store: Store, actor: Actor, ids: string[], now: Date): Promise<{ released: number }> {
  return store.transaction(async (tx) => {
    const targets = await loadTargets(tx, actor.tenantId, ids);
    const notStopped = targets.filter((t) => t.state !== 'breaker');
    const notStoppedMessage = (n: number) =>
      `${n} of the selected users were not stopped by the circuit breaker, so there is nothing to resume for them. Nothing was changed.`;
    if (notStopped.length > 0) {
      throw new ApiError(409, 'SyncNotStopped', notStoppedMessage(notStopped.length), refusedLinks('SyncNotStopped', notStopped, 'was not stopped by the circuit breaker'));
    }
    const released = await releaseBreakers(tx, actor.tenantId, targets.map((t) => t.mailbox_id));
    // A worker's pass changed some of them between our read and this update: the transaction rolls back.
    if (released !== targets.length) throw new ApiError(409, 'SyncNotStopped', notStoppedMessage(targets.length - released));
    await appendAudit(
      tx,
      actor,
      targets.map((t) => ({
        action: 'sync.breaker_released',
        entityType: 'link',
        entityId: t.id,
        before: { state: 'breaker', breakerDetail: plainMessage(t.breaker_detail) },
        after: { ...who(t), state: 'pending' },
      })),
      now,
    );
    return { released: targets.length };
  });
}
