import { randomUUID } from 'node:crypto';
import type { LinkRow, NewLinkRow, SyncMailboxState } from '../db/database.js';
import { readBool, readInt, readTime } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { appendAudit, type Actor, type AuditChange } from '../audit/audit.repository.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import {
  countHistory,
  deleteLinksWithHistory,
  findLinksByAssociates,
  findLinksByIds,
  findLinksByMailboxes,
  insertLinks,
  listLinks,
  updateLinkOptions,
  type KindStatusRow,
  type LinkPage,
  type LinkWithHistory,
} from './link.repository.js';
import { decodeLinkCursor, encodeLinkCursor } from './link.cursor.js';
import type { KindSync, Link, LinkAuthorization, LinkedUser, LinkSync, NewLink, OptionsChange, RemovalCounts } from './link.schemas.js';
import { plainMessage } from '../http/text.js';
import { authorizationLookup, linkAuthorization } from '../authorizations/authorization.repository.js';
import { recordUndoAction } from './undo-action.repository.js';
import { UNDO_DAYS } from './undo.schemas.js';
import { copyLinksToRemoved } from './removed-link.repository.js';

/**
 * Synchronized when any of Diary, Task and Contact is on and (OAuth mode) the mailbox owner has
 * authorized the app; otherwise kept, with its history, but `disabled`.
 */
export function linkState(o: { diary: boolean; task: boolean; contact: boolean }, authorization: LinkAuthorization): Link['state'] {
  return (o.diary || o.task || o.contact) && (authorization === null || authorization === 'authorized') ? 'active' : 'disabled';
}

/**
 * A link as the API shows it. `authorization` is the mailbox owner's consent in OAuth mode (null
 * in application mode); a link without it is kept but not synchronized, so it reads `disabled`.
 */
export function toLink(row: LinkRow, authorization: LinkAuthorization = null): Link {
  const diary = readBool(row.sync_diary);
  const task = readBool(row.sync_task);
  const contact = readBool(row.sync_contact);
  return {
    id: row.id,
    associateId: row.associate_id,
    associateName: row.associate_name,
    mailboxId: row.mailbox_id,
    mailboxAddress: row.mailbox_address,
    diary,
    task,
    contact,
    rank: row.rank,
    state: linkState({ diary, task, contact }, authorization),
    authorization,
    version: row.version,
    createdBy: row.created_by,
    createdAt: readTime(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: readTime(row.updated_at),
  };
}

/** What the audit log keeps of a link: the fields an admin changes, not the bookkeeping. */
export function auditView(link: Link, historyRows?: number) {
  const { id: _id, createdBy: _cb, createdAt: _ca, updatedBy: _ub, updatedAt: _ua, authorization: _a, ...view } = link;
  return historyRows === undefined ? view : { ...view, historyRows };
}

/** The same links with their mailbox authorization (OAuth mode) and the state that follows from it. */
async function withAuthorization(tx: Tx, tenantId: string, links: Link[]): Promise<Link[]> {
  if (links.length === 0) return links;
  const of = await authorizationLookup(tx, tenantId, links.map((l) => l.mailboxId));
  return links.map((l) => {
    const authorization = of(l.mailboxId);
    return { ...l, authorization, state: linkState(l, authorization) };
  });
}

/** What the status of one link is derived from: its options, the tenant's mode and its mailbox's sync row. */
export interface SyncFacts {
  options: { diary: boolean; task: boolean; contact: boolean };
  mode: 'application' | 'oauth';
  /** OAuth mode: the mailbox's owner authorized it (and it was not revoked since). */
  authorized?: boolean;
  /** The mailbox's sync row; null until a worker or Sync now enrolled it. */
  mailbox: {
    state: SyncMailboxState;
    /** A worker holds a live lease (by the database's clock). */
    leased: boolean;
    lastPassAt: string | null;
    lastSuccessAt: string | null;
    nextDueAt: string | null;
    lastCreated: number | null;
    lastUpdated: number | null;
    lastDeleted: number | null;
    lastConflicts: number | null;
    lastError: string | null;
    breakerDetail: string | null;
  } | null;
  itemsInSync: number;
  /** Each kind's items in sync and last outcome (absent: none yet). */
  kinds?: Partial<Record<'diary' | 'task' | 'contact', KindFacts>>;
}

/** One kind's items in sync and what its last pass left (state null: it has not run yet). */
export interface KindFacts {
  items: number;
  state: KindStatusRow['state'];
  lastPassAt: string | null;
  lastSuccessAt: string | null;
  lastCreated: number | null;
  lastUpdated: number | null;
  lastDeleted: number | null;
  lastConflicts: number | null;
  lastError: string | null;
}

/** Plain words per state, where the stored text says nothing readable (or there is none). */
const SAY: Record<LinkSync['state'], string | null> = {
  disabled: 'Diary, Task and Contact are all off, so nothing is synchronized. The items in sync are kept for when an option is on again.',
  waiting_authorization:
    "This tenant authorizes mailboxes one by one (OAuth mode), and this mailbox's owner has not authorized it (or the authorization was revoked). Nothing is read or written, and nothing is deleted: send a new invitation from the Token Authentication Manager.",
  // The state says it all (and 10,000 rows of a repeated sentence would only weigh on the list).
  syncing: null,
  pending: null,
  in_sync: null,
  throttled: 'Microsoft 365 asked the synchronizer to slow down; it continues when Microsoft 365 allows it.',
  error: 'The last synchronization failed. It is tried again automatically.',
  breaker: 'Stopped: the last synchronization would have deleted many items at once. Check the user\'s calendar, then press Resume synchronization.',
};

/** The sync status of one link as the API shows it (see {@link SyncState}). */
export function syncStatus(f: SyncFacts): LinkSync {
  const m = f.mailbox;
  const state: LinkSync['state'] = !(f.options.diary || f.options.task || f.options.contact)
    ? 'disabled'
    : f.mode === 'oauth' && !f.authorized
      ? 'waiting_authorization'
      : m?.leased
        ? 'syncing'
        : (m?.state ?? 'pending');
  const stored = state === 'breaker' ? m?.breakerDetail : state === 'error' || state === 'throttled' || (state === 'waiting_authorization' && m?.state === 'waiting_authorization') ? m?.lastError : null;
  return {
    state,
    lastSuccessAt: m?.lastSuccessAt ?? null,
    nextDueAt: m?.nextDueAt ?? null,
    itemsInSync: f.itemsInSync,
    lastPass:
      m?.lastPassAt == null
        ? null
        : { created: m.lastCreated ?? 0, updated: m.lastUpdated ?? 0, deleted: m.lastDeleted ?? 0, conflicts: m.lastConflicts ?? 0 },
    message: plainMessage(stored) ?? SAY[state],
    kinds: {
      diary: kindStatus(f.options.diary, state, f.kinds?.diary),
      task: kindStatus(f.options.task, state, f.kinds?.task),
      contact: kindStatus(f.options.contact, state, f.kinds?.contact),
    },
  };
}

/** Plain words per kind state, where the kind's own stored text says nothing readable. */
const SAY_KIND: Record<KindSync['state'], string | null> = {
  off: null,
  pending: null,
  in_sync: null,
  waiting_authorization: null,
  throttled: 'Microsoft 365 asked the synchronizer to slow down; this kind continues when Microsoft 365 allows it.',
  error: 'The last synchronization of this kind failed. It is tried again automatically.',
  breaker: 'Stopped: the last synchronization would have deleted many items at once. Press Resume synchronization after checking.',
};

/**
 * One kind as the API shows it: off when its option is off, waiting with the link while it waits
 * for an authorization, else what that kind's own last pass left (pending before it has run).
 * The message is that kind's own error only: the link's `message` says what concerns the whole
 * mailbox.
 */
export function kindStatus(on: boolean, link: LinkSync['state'], k: KindFacts | undefined): KindSync {
  // Most kinds of a 10,000-link list have no row and no items: one shared answer each.
  if (!k) return !on ? EMPTY.off : link === 'waiting_authorization' ? EMPTY.waiting_authorization : EMPTY.pending;
  const state: KindSync['state'] = !on ? 'off' : link === 'waiting_authorization' ? 'waiting_authorization' : (k?.state ?? 'pending');
  const lastPass =
    k?.lastSuccessAt == null
      ? null
      : { created: k.lastCreated ?? 0, updated: k.lastUpdated ?? 0, deleted: k.lastDeleted ?? 0, conflicts: k.lastConflicts ?? 0 };
  const failed = state === 'error' || state === 'throttled' || state === 'breaker';
  return {
    state,
    itemsInSync: k?.items ?? 0,
    lastSuccessAt: k?.lastSuccessAt ?? null,
    lastPass,
    message: failed ? (plainMessage(k?.lastError) ?? SAY_KIND[state]) : null,
  };
}

const empty = (state: KindSync['state']): KindSync => Object.freeze({ state, itemsInSync: 0, lastSuccessAt: null, lastPass: null, message: null });
const EMPTY = { off: empty('off'), pending: empty('pending'), waiting_authorization: empty('waiting_authorization') };

const KIND_KEYS = { appointment: 'diary', task: 'task', contact: 'contact' } as const;

const time = (v: string | Date | null) => (v === null ? null : readTime(v));

function kindFacts(rows: LinkWithHistory['kinds']): SyncFacts['kinds'] {
  const out: NonNullable<SyncFacts['kinds']> = {};
  for (const [kind, k] of Object.entries(rows) as [keyof typeof KIND_KEYS, KindStatusRow][]) {
    out[KIND_KEYS[kind]] = { ...k, lastPassAt: time(k.lastPassAt), lastSuccessAt: time(k.lastSuccessAt) };
  }
  return out;
}

export async function listLinkedUsers(tx: Tx, tenantId: string, page?: LinkPage): Promise<LinkedUser[]> {
  const rows: LinkWithHistory[] = await listLinks(tx, tenantId, page);
  const mode = rows[0]?.tenant_mode === 'oauth' ? 'oauth' : 'application';
  // One object per row (10,000 rows is the common case): no intermediate copies.
  return rows.map((r) => {
    const link = toLink(r, linkAuthorization(mode, { authorized_at: r.auth_at, revoked_at: r.auth_revoked_at })) as LinkedUser;
    link.historyCount = readInt(r.history_count ?? 0);
    link.sync = syncStatus({
      options: link,
      mode,
      authorized: link.authorization === 'authorized',
      mailbox:
        r.sync_state === null
          ? null
          : {
              state: r.sync_state,
              leased: readInt(r.sync_leased as number) === 1,
              lastPassAt: time(r.sync_last_pass_at),
              lastSuccessAt: time(r.sync_last_success_at),
              nextDueAt: time(r.sync_next_due_at),
              lastCreated: r.sync_last_created,
              lastUpdated: r.sync_last_updated,
              lastDeleted: r.sync_last_deleted,
              lastConflicts: r.sync_last_conflicts,
              lastError: r.sync_last_error,
              breakerDetail: r.sync_breaker_detail,
            },
      itemsInSync: link.historyCount,
      kinds: kindFacts(r.kinds),
    });
    return link;
  });
}

/**
 * GET /links: a page of `limit` linked users after `cursor` (a `nextCursor` of this tenant's
 * list), and the cursor of the next page (null on the last). Pages keep the event loop free:
 * better-sqlite3 answers synchronously, and the whole 10,000-link list held it for ~110 ms.
 */
export async function linkedUsersPage(
  tx: Tx,
  tenantId: string,
  query: { limit: number; cursor?: string },
): Promise<{ links: LinkedUser[]; nextCursor: string | null }> {
  const after = query.cursor === undefined ? undefined : decodeLinkCursor(tenantId, query.cursor);
  // One more than asked says whether another page follows.
  const links = await listLinkedUsers(tx, tenantId, { after, limit: query.limit + 1 });
  if (links.length <= query.limit) return { links, nextCursor: null };
  links.length = query.limit;
  const last = links[links.length - 1]!;
  return { links, nextCursor: encodeLinkCursor(tenantId, { name: last.associateName, id: last.id }) };
}

/**
 * Save Added Users: all links are written, or none. A retry of a batch that already landed
 * finds every pair linked as asked and writes nothing (`unchanged`), so it is safe to repeat.
 * An associate or mailbox already linked elsewhere fails the whole batch with 409.
 */
export function saveAddedLinks(store: Store, actor: Actor, items: NewLink[], now: Date): Promise<{ created: Link[]; unchanged: Link[] }> {
  return store.transaction((tx) => addLinksUndoable(tx, actor, items, now));
}

/**
 * Save Added Users inside the caller's transaction, undoable: Undo removes the links it created
 * (restorable like any removal), if none changed since. POST /links and the CSV import use it.
 */
export async function addLinksUndoable(tx: Tx, actor: Actor, items: NewLink[], now: Date): Promise<{ created: Link[]; unchanged: Link[] }> {
  const result = await addLinks(tx, actor, items, now);
  if (result.created.length > 0) {
    const links = result.created.map((l) => ({ id: l.id, name: l.associateName, version: l.version }));
    await recordUndoAction(tx, actor, 'links.added', { links }, now, undoableUntil(now));
  }
  return result;
}

/** Until when what is done (or removed) at `now` can be undone (restored). */
export function undoableUntil(now: Date): Date {
  return new Date(now.getTime() + UNDO_DAYS * 86_400_000);
}

/**
 * Save Added Users inside the caller's transaction (POST /links, and an accepted invite whose
 * administrator chose Link when accepted): the same checks, the same rows and audit. Throws 409
 * `AlreadyLinked` before writing anything when an associate or mailbox is linked elsewhere.
 */
export async function addLinks(tx: Tx, actor: Actor, items: NewLink[], now: Date): Promise<{ created: Link[]; unchanged: Link[] }> {
  // One connection per transaction: SQL Server's driver runs one statement at a time on it.
  const linkedAssociates = await findLinksByAssociates(tx, actor.tenantId, items.map((i) => i.associateId));
  const linkedMailboxes = await findLinksByMailboxes(tx, actor.tenantId, items.map((i) => i.mailboxId));
  const byAssociate = new Map(linkedAssociates.map((r) => [r.associate_id, r]));
  const byMailbox = new Map(linkedMailboxes.map((r) => [r.mailbox_id, r]));

  const unchanged: Link[] = [];
  const conflicts = [];
  const rows: NewLinkRow[] = [];
  const at = tx.dialect.time(now);
  for (const [index, item] of items.entries()) {
    const linkedAssociate = byAssociate.get(item.associateId);
    const linkedMailbox = byMailbox.get(item.mailboxId);
    if (linkedAssociate && linkedAssociate.mailbox_id === item.mailboxId) {
      unchanged.push(toLink(linkedAssociate));
    } else if (linkedAssociate) {
      conflicts.push({
        path: `body.links.${index}.associateId`,
        code: 'AssociateAlreadyLinked',
        message: `${linkedAssociate.associate_name} is already linked to ${linkedAssociate.mailbox_address}.`,
        linkId: linkedAssociate.id,
      });
    } else if (linkedMailbox) {
      conflicts.push({
        path: `body.links.${index}.mailboxId`,
        code: 'MailboxAlreadyLinked',
        message: `${linkedMailbox.mailbox_address} is already linked to ${linkedMailbox.associate_name}.`,
        linkId: linkedMailbox.id,
      });
    } else {
      rows.push({
        id: randomUUID(),
        tenant_id: actor.tenantId,
        associate_id: item.associateId,
        associate_name: item.associateName,
        mailbox_id: item.mailboxId,
        mailbox_address: item.mailboxAddress,
        sync_diary: tx.dialect.bool(item.diary),
        sync_task: tx.dialect.bool(item.task),
        sync_contact: tx.dialect.bool(item.contact),
        rank: item.rank,
        version: 1,
        created_by: actor.associateId,
        created_at: at,
        updated_by: actor.associateId,
        updated_at: at,
      });
    }
  }
  if (conflicts.length > 0) {
    const listed = conflicts.length > MAX_DETAILS ? ` (the first ${MAX_DETAILS} are listed)` : '';
    throw new ApiError(
      409,
      'AlreadyLinked',
      `${conflicts.length} of these associates or mailboxes are already linked${listed}. Nothing was saved.`,
      conflicts.slice(0, MAX_DETAILS),
    );
  }
  await insertLinks(tx, rows);
  const created = rows.map((r) => toLink(r as LinkRow));
  await appendAudit(
    tx,
    actor,
    created.map((link) => ({ action: 'link.created', entityType: 'link', entityId: link.id, before: null, after: auditView(link) })),
    now,
  );
  return { created: await withAuthorization(tx, actor.tenantId, created), unchanged: await withAuthorization(tx, actor.tenantId, unchanged) };
}

/** The links a batch names, by id; any id not among `found` (not a link of the caller's tenant) makes the whole request 404. */
export function requireAllLinks<T>(ids: readonly string[], found: ReadonlyMap<string, T>): Map<string, T> {
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError(
      404,
      'LinkNotFound',
      `${missing.length} of the selected users are no longer linked. Reload the list. Nothing was changed.`,
      missing.slice(0, MAX_DETAILS).map((id) => ({ code: 'LinkNotFound', message: 'no such link', linkId: id })),
    );
  }
  return new Map(found);
}

/** Loads the links a batch names; any id not in the caller's tenant makes the whole request 404. */
async function loadAll(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, LinkRow>> {
  return requireAllLinks(ids, new Map((await findLinksByIds(tx, tenantId, ids)).map((r) => [r.id, r])));
}

function staleConflict(stale: { change: OptionsChange; current: LinkRow | undefined }[]): ApiError {
  return new ApiError(
    409,
    'VersionConflict',
    'Someone else changed some of these users since you loaded them. Reload to see their changes; nothing was saved.',
    stale.slice(0, MAX_DETAILS).map(({ change, current }) => ({
      code: 'VersionConflict',
      message: current ? `${current.associate_name} was changed by someone else` : 'the link was removed',
      linkId: change.id,
      expectedVersion: change.expectedVersion,
      currentVersion: current?.version ?? null,
    })),
  );
}

/**
 * Save Users Options: options and rank for each link if it still has the version the admin
 * loaded. One stale version fails the whole batch with 409 and writes nothing.
 */
export async function saveLinkOptions(
  store: Store,
  actor: Actor,
  changes: OptionsChange[],
  now: Date,
): Promise<{ updated: Link[]; unchanged: Link[] }> {
  return store.transaction((tx) => changeLinkOptions(tx, actor, changes, now));
}

/**
 * Save Users Options inside the caller's transaction (PATCH /links, and a CSV import): the same
 * checks, writes and audit. Throws 404 `LinkNotFound` or 409 `VersionConflict` before writing.
 */
export async function changeLinkOptions(tx: Tx, actor: Actor, changes: OptionsChange[], now: Date): Promise<{ updated: Link[]; unchanged: Link[] }> {
  const current = await loadAll(tx, actor.tenantId, changes.map((c) => c.id));
  const stale = changes
    .filter((c) => current.get(c.id)!.version !== c.expectedVersion)
    .map((change) => ({ change, current: current.get(change.id) }));
  if (stale.length > 0) throw staleConflict(stale);

  const updated: Link[] = [];
  const unchanged: Link[] = [];
  const audit: AuditChange[] = [];
  // Links that get the same values from the same version are written by one statement.
  const groups = new Map<string, { change: OptionsChange; ids: string[] }>();
  for (const change of changes) {
    const before = toLink(current.get(change.id)!);
    const same =
      before.diary === change.diary &&
      before.task === change.task &&
      before.contact === change.contact &&
      before.rank === change.rank;
    if (same) {
      unchanged.push(before);
      continue;
    }
    const key = `${change.diary}|${change.task}|${change.contact}|${change.rank}|${change.expectedVersion}`;
    const group = groups.get(key) ?? groups.set(key, { change, ids: [] }).get(key)!;
    group.ids.push(change.id);
    const options = { diary: change.diary, task: change.task, contact: change.contact, rank: change.rank };
    const after: Link = {
      ...before,
      ...options,
      state: linkState(options, before.authorization),
      version: change.expectedVersion + 1,
      updatedBy: actor.associateId,
      updatedAt: now.toISOString(),
    };
    updated.push(after);
    audit.push({ action: 'link.options_changed', entityType: 'link', entityId: after.id, before: auditView(before), after: auditView(after) });
  }
  for (const { change, ids } of groups.values()) {
    const options = { diary: change.diary, task: change.task, contact: change.contact, rank: change.rank };
    const written = await updateLinkOptions(tx, actor.tenantId, ids, change.expectedVersion, options, actor.associateId, now);
    // Another writer committed between our read and this update: the transaction rolls back.
    if (written !== ids.length) {
      const after = await findLinksByIds(tx, actor.tenantId, ids);
      const byId = new Map(after.map((r) => [r.id, r]));
      const lost = ids.filter((id) => byId.get(id)?.version !== change.expectedVersion + 1);
      throw staleConflict((lost.length > 0 ? lost : ids).map((id) => ({ change: { ...change, id }, current: byId.get(id) })));
    }
  }
  await appendAudit(tx, actor, audit, now);
  // Undo puts back the options and rank from before, on links nobody changed since.
  if (updated.length > 0) {
    const links = updated.map((l) => {
      const was = current.get(l.id)!;
      const before = { diary: readBool(was.sync_diary), task: readBool(was.sync_task), contact: readBool(was.sync_contact), rank: was.rank };
      return { id: l.id, name: l.associateName, version: l.version, before };
    });
    await recordUndoAction(tx, actor, 'links.options_saved', { links }, now, undoableUntil(now));
  }
  return { updated: await withAuthorization(tx, actor.tenantId, updated), unchanged: await withAuthorization(tx, actor.tenantId, unchanged) };
}

async function preview(tx: Tx, tenantId: string, ids: string[]): Promise<{ rows: LinkRow[]; preview: RemovalCounts }> {
  const found = await loadAll(tx, tenantId, ids);
  const counts = await countHistory(tx, tenantId, ids);
  const rows = ids.map((id) => found.get(id)!);
  const users = rows.map((r) => ({
    id: r.id,
    associateName: r.associate_name,
    mailboxAddress: r.mailbox_address,
    historyRows: counts.get(r.id) ?? 0,
  }));
  return { rows, preview: { links: rows.length, historyRows: users.reduce((n, u) => n + u.historyRows, 0), users } };
}

/** What Remove Selected Users would delete, for the confirmation dialog. Changes nothing. */
export async function previewRemoval(tx: Tx, tenantId: string, ids: string[]): Promise<RemovalCounts> {
  return (await preview(tx, tenantId, ids)).preview;
}

/**
 * Remove Selected Users: the links and what the synchronizer keeps of them (mappings, conflicts,
 * cursors) leave the live tables in one transaction, kept restorable for {@link UNDO_DAYS} days
 * (removed-link.service.ts), and the removal can be undone from the Undo tool.
 */
export async function removeLinks(store: Store, actor: Actor, ids: string[], now: Date): Promise<RemovalCounts> {
  return store.transaction((tx) => removeLinksIn(tx, actor, ids, now, { action: 'link.removed' }));
}

/**
 * Removes the links inside the caller's transaction, restorably: Remove Selected Users (an
 * undoable action of its own) and Undo of Save Added Users (`link.undone`, restorable from the
 * removed users, not undoable again).
 */
export async function removeLinksIn(
  tx: Tx,
  actor: Actor,
  ids: string[],
  now: Date,
  how: { action: 'link.removed' | 'link.undone' },
): Promise<RemovalCounts> {
  const { rows, preview: removed } = await preview(tx, actor.tenantId, ids);
  // A removal is undoable; an undone Save Added Users is not undoable again.
  const actionId = how.action === 'link.removed'
    ? await recordUndoAction(tx, actor, 'links.removed', { links: rows.map((r) => ({ id: r.id, name: r.associate_name, version: r.version })) }, now, undoableUntil(now))
    : null;
  await copyLinksToRemoved(tx, actor.tenantId, ids, { at: tx.dialect.time(now), by: actor.associateId, byName: actor.associateName, actionId });
  const deleted = await deleteLinksWithHistory(tx, actor.tenantId, ids);
  // Someone removed some of them between our read and the delete.
  if (deleted !== ids.length) {
    throw new ApiError(404, 'LinkNotFound', 'Some of the selected users were removed meanwhile. Reload the list. Nothing was changed.');
  }
  const restorableUntil = undoableUntil(now).toISOString();
  await appendAudit(
    tx,
    actor,
    rows.map((row, i) => ({
      action: how.action,
      entityType: 'link',
      entityId: row.id,
      before: auditView(toLink(row), removed.users[i]!.historyRows),
      after: how.action === 'link.undone' ? { undid: 'links.added', removed: true, restorableUntil } : null,
    })),
    now,
  );
  return removed;
}
