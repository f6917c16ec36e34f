import { randomUUID } from 'node:crypto';
import type { Actor } from '../audit/audit.repository.js';
import type { UndoKind } from '../db/database.js';
import type { Tx } from '../db/store.js';

/** What undoing each kind needs, kept as JSON on the action. */
export interface UndoDetail {
  /** Each link the action touched: its id, name, the version the action left it at, and (options) the values before. */
  links: { id: string; name: string; version: number; before?: { diary: boolean; task: boolean; contact: boolean; rank: number } }[];
}

/** How many names an action lists in GET /undo. */
export const NAMES_SHOWN = 5;

/** Records an action that can be undone until `until`; returns its id. Call it in the action's transaction. */
export async function recordUndoAction(tx: Tx, actor: Actor, kind: UndoKind, detail: UndoDetail, now: Date, until: Date): Promise<string> {
  const id = randomUUID();
  await tx.db
    .insertInto('undo_action')
    .values({
      id,
      tenant_id: actor.tenantId,
      kind,
      actor_associate_id: actor.associateId,
      actor_name: actor.associateName,
      links: detail.links.length,
      detail_json: JSON.stringify(detail),
      created_at: tx.dialect.time(now),
      expires_at: tx.dialect.time(until),
      undone_at: null,
      undone_by: null,
    })
    .execute();
  return id;
}

/** The tenant's actions not undone whose window is still open at `now`, newest first (at most `limit`). */
export function listUndoActions(tx: Tx, tenantId: string, now: Date, limit: number) {
  return tx.dialect
    .limit(
      tx.db
        .selectFrom('undo_action')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('undone_at', 'is', null)
        .where('expires_at', '>', tx.dialect.time(now))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc'),
      limit,
    )
    .execute();
}

export function findUndoAction(tx: Tx, tenantId: string, id: string) {
  return tx.db.selectFrom('undo_action').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
}

/** Marks the action undone, if nobody did first; returns whether this call did. */
export async function markUndone(tx: Tx, tenantId: string, id: string, by: number, now: Date): Promise<boolean> {
  const result = await tx.db
    .updateTable('undo_action')
    .set({ undone_at: tx.dialect.time(now), undone_by: by })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', id)
    .where('undone_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Forgets actions whose window closed before `before` (the audit trail keeps what they did). */
export async function deleteExpiredUndoActions(tx: Tx, before: Date): Promise<number> {
  const result = await tx.db.deleteFrom('undo_action').where('expires_at', '<', tx.dialect.time(before)).executeTakeFirst();
  return Number(result.numDeletedRows);
}
