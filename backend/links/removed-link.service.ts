import { appendAudit, type Actor } from '../audit/audit.repository.js';
import type { LinkRow } from '../db/database.js';
import { readBool, readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import { deleteExpiredUndoActions } from './undo-action.repository.js';
import { UNDO_DAYS, type RemovedLink } from './undo.schemas.js';
import { findLinksByAssociates, findLinksByMailboxes, findLinksByIds } from './link.repository.js';
import type { Link } from './link.schemas.js';
import { auditView, toLink, undoableUntil } from './link.service.js';
import { expiredRemovedLinks, listRemovedLinks, purgeRemovedLinks, restoreRemovedLinks, type RemovedLinkRow } from './removed-link.repository.js';

function toRemoved(r: RemovedLinkRow): RemovedLink {
  const removedAt = readTime(r.removed_at);
  return {
    id: r.id,
    associateId: r.associate_id,
    associateName: r.associate_name,
    mailboxId: r.mailbox_id,
    mailboxAddress: r.mailbox_address,
    diary: readBool(r.sync_diary),
    task: readBool(r.sync_task),
    contact: readBool(r.sync_contact),
    rank: r.rank,
    version: r.version,
    removedAt,
    removedBy: { associateId: r.removed_by, name: r.removed_by_name },
    restorableUntil: undoableUntil(new Date(removedAt)).toISOString(),
    historyRows: r.items,
    conflicts: r.conflicts,
  };
}

/** GET /links/removed: the tenant's removed links that can still be restored, newest removal first. */
export async function listRemoved(tx: Tx, tenantId: string): Promise<{ removed: RemovedLink[]; restorableDays: number }> {
  return { removed: (await listRemovedLinks(tx, tenantId)).map(toRemoved), restorableDays: UNDO_DAYS };
}

/** The removed links a batch names; any id not a removed link of the tenant (restored, purged, another tenant's) makes it 404. */
async function loadRemoved(tx: Tx, tenantId: string, ids: readonly string[]): Promise<RemovedLinkRow[]> {
  const found = new Map((await listRemovedLinks(tx, tenantId, ids)).map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError(
      404,
      'RemovedLinkNotFound',
      `${missing.length} of the selected users are not among the removed users any more (restored or purged meanwhile). Reload the list. Nothing was changed.`,
      missing.slice(0, MAX_DETAILS).map((id) => ({ code: 'RemovedLinkNotFound', message: 'no such removed link', linkId: id })),
    );
  }
  return ids.map((id) => found.get(id)!);
}

/**
 * Puts removed links back exactly as they were (inside the caller's transaction): Restore, and
 * Undo of Remove Selected Users. Refused with 409, nothing changed, when an associate or mailbox
 * of one of them has been linked again since (or two of them are the same associate or mailbox).
 */
export async function restoreIn(tx: Tx, actor: Actor, ids: string[], now: Date, action: 'link.restored' | 'link.undone'): Promise<Link[]> {
  const rows = await loadRemoved(tx, actor.tenantId, ids);
  const byAssociate = new Map((await findLinksByAssociates(tx, actor.tenantId, rows.map((r) => r.associate_id))).map((l) => [l.associate_id, l]));
  const byMailbox = new Map((await findLinksByMailboxes(tx, actor.tenantId, rows.map((r) => r.mailbox_id))).map((l) => [l.mailbox_id, l]));
  const conflicts = [];
  const seenAssociates = new Map<number, RemovedLinkRow>();
  const seenMailboxes = new Map<string, RemovedLinkRow>();
  for (const [index, r] of rows.entries()) {
    const associate = byAssociate.get(r.associate_id) ?? seenAssociates.get(r.associate_id);
    const mailbox = byMailbox.get(r.mailbox_id) ?? seenMailboxes.get(r.mailbox_id);
    if (associate) {
      conflicts.push({
        path: `body.ids.${index}`,
        code: 'AssociateAlreadyLinked',
        message: `${r.associate_name} has been linked again since (to ${associate.mailbox_address}).`,
        linkId: r.id,
      });
    } else if (mailbox) {
      conflicts.push({
        path: `body.ids.${index}`,
        code: 'MailboxAlreadyLinked',
        message: `${r.mailbox_address} has been linked again since (to ${mailbox.associate_name}).`,
        linkId: r.id,
      });
    }
    seenAssociates.set(r.associate_id, r);
    seenMailboxes.set(r.mailbox_id, r);
  }
  if (conflicts.length > 0) {
    const listed = conflicts.length > MAX_DETAILS ? ` (the first ${MAX_DETAILS} are listed)` : '';
    throw new ApiError(
      409,
      'AlreadyLinked',
      `${conflicts.length} of these users, or their mailboxes, have been linked again since they were removed${listed}. Nothing was restored.`,
      conflicts.slice(0, MAX_DETAILS),
    );
  }
  const restored = await restoreRemovedLinks(tx, actor.tenantId, ids);
  if (restored !== ids.length) {
    throw new ApiError(404, 'RemovedLinkNotFound', 'Some of the selected users were restored or purged meanwhile. Reload the list. Nothing was changed.');
  }
  const links = new Map((await findLinksByIds(tx, actor.tenantId, ids)).map((l) => [l.id, toLink(l)]));
  await appendAudit(
    tx,
    actor,
    rows.map((r) => ({
      action,
      entityType: 'link',
      entityId: r.id,
      before: null,
      after: { ...auditView(links.get(r.id)!, r.items), ...(action === 'link.undone' ? { undid: 'links.removed' } : {}) },
    })),
    now,
  );
  return ids.map((id) => links.get(id)!);
}

/** POST /links/removed/restore. */
export function restoreLinks(store: Store, actor: Actor, ids: string[], now: Date): Promise<{ restored: Link[] }> {
  return store.transaction(async (tx) => ({ restored: await restoreIn(tx, actor, ids, now, 'link.restored') }));
}

/** The removed link as the audit keeps it: the link's fields and how many mappings went with it. */
function purgedView(r: RemovedLinkRow) {
  return { ...auditView(toLink(r as unknown as LinkRow), r.items), removedAt: readTime(r.removed_at) };
}

/** POST /links/removed/purge: deletes removed links and everything kept of them, for good. */
export function purgeLinks(store: Store, actor: Actor, ids: string[], now: Date): Promise<{ purged: { links: number; historyRows: number } }> {
  return store.transaction(async (tx) => {
    const rows = await loadRemoved(tx, actor.tenantId, ids);
    const purged = await purgeRemovedLinks(tx, actor.tenantId, ids);
    if (purged !== ids.length) {
      throw new ApiError(404, 'RemovedLinkNotFound', 'Some of the selected users were restored or purged meanwhile. Reload the list. Nothing was changed.');
    }
    await appendAudit(tx, actor, rows.map((r) => ({ action: 'link.purged', entityType: 'link', entityId: r.id, before: purgedView(r), after: null })), now);
    return { purged: { links: rows.length, historyRows: rows.reduce((n, r) => n + r.items, 0) } };
  });
}

/** Who the periodic sweep acts as in the audit trail. */
export const SWEEP_ACTOR = { associateId: 0, associateName: 'Automatic purge after 30 days' } as const;

/** Removed links per sweep transaction: one short transaction per batch keeps writers waiting briefly. */
const SWEEP_BATCH = 500;

/**
 * The periodic sweep: purges removed links older than {@link UNDO_DAYS} days in every tenant
 * (audited as `link.purged` by {@link SWEEP_ACTOR}) and forgets undo actions whose window closed.
 * Returns how many links it purged.
 */
export async function purgeExpiredRemovals(store: Store, now: Date): Promise<number> {
  const before = new Date(now.getTime() - UNDO_DAYS * 86_400_000);
  let total = 0;
  for (;;) {
    const purged = await store.transaction(async (tx) => {
      const expired = await expiredRemovedLinks(tx, tx.dialect.time(before), SWEEP_BATCH);
      const byTenant = new Map<string, string[]>();
      for (const r of expired) (byTenant.get(r.tenant_id) ?? byTenant.set(r.tenant_id, []).get(r.tenant_id)!).push(r.id);
      for (const [tenantId, ids] of byTenant) {
        const rows = await listRemovedLinks(tx, tenantId, ids);
        await purgeRemovedLinks(tx, tenantId, ids);
        const actor: Actor = { tenantId, ...SWEEP_ACTOR, requestId: null };
        await appendAudit(tx, actor, rows.map((r) => ({ action: 'link.purged', entityType: 'link', entityId: r.id, before: purgedView(r), after: { reason: 'expired' } })), now);
      }
      return expired.length;
    });
    total += purged;
    if (purged < SWEEP_BATCH) break;
  }
  await store.transaction((tx) => deleteExpiredUndoActions(tx, now));
  return total;
}
