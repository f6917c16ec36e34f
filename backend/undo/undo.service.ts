import { appendAudit, type Actor, type AuditChange } from '../audit/audit.repository.js';
import { readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import { findLinksByIds, updateLinkOptions } from '../links/link.repository.js';
import { auditView, removeLinksIn, toLink } from '../links/link.service.js';
import { restoreIn } from '../links/removed-link.service.js';
import { removedLinkIdsOfAction } from '../links/removed-link.repository.js';
import { findUndoAction, listUndoActions, markUndone, NAMES_SHOWN, type UndoDetail } from '../links/undo-action.repository.js';
import type { UndoAction, UndoKind } from '../links/undo.schemas.js';

/** How many recent actions GET /undo lists. */
export const UNDO_LIST_MAX = 100;

/** GET /undo: the tenant's recent actions that can still be undone, newest first. */
export async function listUndoable(tx: Tx, tenantId: string, now: Date): Promise<{ actions: UndoAction[] }> {
  const rows = await listUndoActions(tx, tenantId, now, UNDO_LIST_MAX);
  return {
    actions: rows.map((r) => {
      const detail = JSON.parse(r.detail_json) as UndoDetail;
      return {
        id: r.id,
        kind: r.kind,
        at: readTime(r.created_at),
        actor: { associateId: r.actor_associate_id, name: r.actor_name },
        links: r.links,
        names: detail.links.slice(0, NAMES_SHOWN).map((l) => l.name),
        undoableUntil: readTime(r.expires_at),
      };
    }),
  };
}

/** The links an action touched that someone changed or removed since: undoing it would overwrite their work. */
function changedSince(detail: UndoDetail, current: Map<string, { version: number; associate_name: string }>): ApiError | null {
  const changed = detail.links.filter((l) => current.get(l.id)?.version !== l.version);
  if (changed.length === 0) return null;
  const listed = changed.length > MAX_DETAILS ? ` (the first ${MAX_DETAILS} are listed)` : '';
  return new ApiError(
    409,
    'ChangedSinceAction',
    `${changed.length} of these users were changed or removed since${listed}. Nothing was undone.`,
    changed.slice(0, MAX_DETAILS).map((l) => {
      const now = current.get(l.id);
      return {
        code: now ? 'VersionConflict' : 'LinkNotFound',
        message: now ? `${l.name} was changed since` : `${l.name} was removed since`,
        linkId: l.id,
        expectedVersion: l.version,
        currentVersion: now?.version ?? null,
      };
    }),
  );
}

/** Save Users Options undone: each link gets its options and rank from before, if nobody changed it since. */
async function undoOptions(tx: Tx, actor: Actor, detail: UndoDetail, now: Date): Promise<number> {
  const ids = detail.links.map((l) => l.id);
  const current = new Map((await findLinksByIds(tx, actor.tenantId, ids)).map((r) => [r.id, r]));
  const refused = changedSince(detail, current);
  if (refused) throw refused;
  // Links that get the same values back from the same version are written by one statement.
  const groups = new Map<string, { before: NonNullable<UndoDetail['links'][number]['before']>; version: number; ids: string[] }>();
  for (const l of detail.links) {
    const before = l.before!;
    const key = `${before.diary}|${before.task}|${before.contact}|${before.rank}|${l.version}`;
    (groups.get(key) ?? groups.set(key, { before, version: l.version, ids: [] }).get(key)!).ids.push(l.id);
  }
  for (const g of groups.values()) {
    const written = await updateLinkOptions(tx, actor.tenantId, g.ids, g.version, g.before, actor.associateId, now);
    if (written !== g.ids.length) throw new ApiError(409, 'ChangedSinceAction', 'Some of these users were changed meanwhile. Nothing was undone.');
  }
  const after = new Map((await findLinksByIds(tx, actor.tenantId, ids)).map((r) => [r.id, toLink(r)]));
  const audit: AuditChange[] = ids.map((id) => ({
    action: 'link.undone',
    entityType: 'link',
    entityId: id,
    before: auditView(toLink(current.get(id)!)),
    after: { ...auditView(after.get(id)!), undid: 'links.options_saved' },
  }));
  await appendAudit(tx, actor, audit, now);
  return ids.length;
}

/**
 * POST /undo: undoes one action of the tenant, in one transaction, or refuses with nothing
 * changed: 404 (no such action), 409 `AlreadyUndone`, `UndoExpired`, `ChangedSinceAction` (a link
 * changed since), `NothingToUndo` (a removal whose users were all restored or purged since) or
 * `AlreadyLinked` (a removed user, or their mailbox, linked again since).
 */
export function undoAction(store: Store, actor: Actor, actionId: string, now: Date): Promise<{ undone: { id: string; kind: UndoKind; links: number } }> {
  return store.transaction(async (tx) => {
    const action = await findUndoAction(tx, actor.tenantId, actionId);
    if (!action) throw new ApiError(404, 'UndoNotFound', 'There is no such action to undo. Reload the list.');
    if (action.undone_at !== null) throw new ApiError(409, 'AlreadyUndone', 'This action has already been undone. Reload the list.');
    if (readTime(action.expires_at) <= now.toISOString()) throw new ApiError(409, 'UndoExpired', 'This action is too old to be undone.');
    const detail = JSON.parse(action.detail_json) as UndoDetail;
    let links: number;
    if (action.kind === 'links.options_saved') {
      links = await undoOptions(tx, actor, detail, now);
    } else if (action.kind === 'links.added') {
      const ids = detail.links.map((l) => l.id);
      const refused = changedSince(detail, new Map((await findLinksByIds(tx, actor.tenantId, ids)).map((r) => [r.id, r])));
      if (refused) throw refused;
      links = (await removeLinksIn(tx, actor, ids, now, { action: 'link.undone' })).links;
    } else {
      const ids = await removedLinkIdsOfAction(tx, actor.tenantId, action.id);
      if (ids.length === 0) {
        throw new ApiError(409, 'NothingToUndo', 'Every user this removal removed has been restored or purged since. Nothing was changed.');
      }
      links = (await restoreIn(tx, actor, ids, now, 'link.undone')).length;
    }
    if (!(await markUndone(tx, actor.tenantId, action.id, actor.associateId, now))) {
      throw new ApiError(409, 'AlreadyUndone', 'This action was undone meanwhile. Nothing was changed.');
    }
    return { undone: { id: action.id, kind: action.kind, links } };
  });
}
