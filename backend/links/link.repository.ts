import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, LinkRow, NewLinkRow, SyncItemKind, SyncKindState, SyncMailboxState } from '../db/database.js';
import { chunk, inChunks, readInt } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

const LINK_COLUMNS = 15;

export function findLinksByIds(tx: Tx, tenantId: string, ids: readonly string[]): Promise<LinkRow[]> {
  return inChunks(tx, ids, (slice) =>
    tx.db.selectFrom('link').selectAll().where('tenant_id', '=', tenantId).where('id', 'in', slice).execute(),
  );
}

export function findLinksByAssociates(tx: Tx, tenantId: string, associateIds: readonly number[]): Promise<LinkRow[]> {
  return inChunks(tx, associateIds, (slice) =>
    tx.db
      .selectFrom('link')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('associate_id', 'in', slice)
      .execute(),
  );
}

export function findLinksByMailboxes(tx: Tx, tenantId: string, mailboxIds: readonly string[]): Promise<LinkRow[]> {
  return inChunks(tx, mailboxIds, (slice) =>
    tx.db.selectFrom('link').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', 'in', slice).execute(),
  );
}

export async function insertLinks(tx: Tx, rows: readonly NewLinkRow[]): Promise<void> {
  for (const part of chunk(rows, tx.dialect.rowsPerStatement(LINK_COLUMNS))) {
    await tx.db.insertInto('link').values(part).execute();
  }
}

export interface LinkOptions {
  diary: boolean;
  task: boolean;
  contact: boolean;
  rank: number;
}

/**
 * Writes the same options and rank to every link in `ids` that still has `expectedVersion`, and
 * bumps their version: one statement per slice of ids. Returns how many rows it changed; fewer
 * than `ids.length` means someone else changed (or removed) some of them first.
 */
export async function updateLinkOptions(
  tx: Tx,
  tenantId: string,
  ids: readonly string[],
  expectedVersion: number,
  options: LinkOptions,
  by: number,
  now: Date,
): Promise<number> {
  let updated = 0;
  for (const slice of chunk(ids, tx.dialect.maxInList)) {
    const result = await tx.db
      .updateTable('link')
      .set({
        sync_diary: tx.dialect.bool(options.diary),
        sync_task: tx.dialect.bool(options.task),
        sync_contact: tx.dialect.bool(options.contact),
        rank: options.rank,
        version: expectedVersion + 1,
        updated_by: by,
        updated_at: tx.dialect.time(now),
      })
      .where('tenant_id', '=', tenantId)
      .where('version', '=', expectedVersion)
      .where('id', 'in', slice)
      .executeTakeFirst();
    updated += Number(result.numUpdatedRows);
  }
  return updated;
}

export type LinkWithHistory = LinkRow & {
  /** The link's `active` mappings (count(*): never null, though typed so). */
  history_count: number | string | bigint | null;
  /** The mailbox's authorization (OAuth mode), if its owner ever accepted an invite. */
  auth_at: string | Date | null;
  auth_revoked_at: string | Date | null;
  tenant_mode: string | null;
  /** The mailbox's sync row (null until a worker or Sync now enrolled it). */
  sync_state: SyncMailboxState | null;
  /** 1 while a worker holds a live lease on the mailbox (judged by the database's clock). */
  sync_leased: number | boolean | bigint | string;
  sync_last_pass_at: string | Date | null;
  sync_last_success_at: string | Date | null;
  sync_next_due_at: string | Date | null;
  sync_last_created: number | null;
  sync_last_updated: number | null;
  sync_last_deleted: number | null;
  sync_last_conflicts: number | null;
  sync_last_error: string | null;
  sync_breaker_detail: string | null;
  /** Each kind's items in sync and last outcome (a kind without either is absent). */
  kinds: Partial<Record<SyncItemKind, KindStatusRow>>;
};

/** One kind of one link: its active mappings, and what its last pass left (null: never ran). */
export interface KindStatusRow {
  items: number;
  state: SyncKindState | null;
  lastPassAt: string | Date | null;
  lastSuccessAt: string | Date | null;
  lastCreated: number | null;
  lastUpdated: number | null;
  lastDeleted: number | null;
  lastConflicts: number | null;
  lastError: string | null;
}

type MailboxStatus = Pick<LinkWithHistory, Exclude<Extract<keyof LinkWithHistory, `sync_${string}`>, 'sync_diary' | 'sync_task' | 'sync_contact'>>;

const kindRow = (): KindStatusRow => ({ items: 0, state: null, lastPassAt: null, lastSuccessAt: null, lastCreated: null, lastUpdated: null, lastDeleted: null, lastConflicts: null, lastError: null });

/** One page of the list: `limit` links after `after` (a link's name and id; none: from the start). */
export interface LinkPage {
  after?: { name: string; id: string };
  limit: number;
}

/**
 * A page of the tenant's links (by name, then id; every link when no page is given) with its
 * items in sync per kind, its mailbox authorization and its mailbox's sync status: three
 * statements (the links with their counts; the sync rows of their mailboxes; the per-kind status
 * of those mailboxes, matched here), as joining the sync rows in made the 10,000-link list half
 * again as slow on SQLite. Keyset paging: a page starts after the last
 * key of the previous one, so links added or removed meanwhile shift nothing already read.
 */
export async function listLinks(tx: Tx, tenantId: string, page?: LinkPage): Promise<LinkWithHistory[]> {
  let query = tx.db
    .selectFrom('link as l')
    .leftJoin('authorized_mailbox as a', (join) => join.onRef('a.tenant_id', '=', 'l.tenant_id').onRef('a.mailbox_id', '=', 'l.mailbox_id'))
    .selectAll('l')
    // Items in sync per kind, each counted per link through the index on (tenant, associate,
    // mailbox, state, kind): an exact seek each. A second statement grouping the page's mappings
    // by kind took twice as long (500 links of 10,000: 11.8 ms against 5 ms for the list alone).
    .select((eb) =>
      (['appointment', 'task', 'contact'] as const).map((kind) =>
        eb
          .selectFrom('sync_item as i')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('i.tenant_id', '=', 'l.tenant_id')
          .whereRef('i.associate_id', '=', 'l.associate_id')
          .whereRef('i.mailbox_id', '=', 'l.mailbox_id')
          .where('i.state', '=', 'active')
          .where('i.kind', '=', kind)
          .as(`items_${kind}`),
      ),
    )
    .select(['a.authorized_at as auth_at', 'a.revoked_at as auth_revoked_at'])
    // The mode decides what a missing authorization means; read in the same statement.
    .select((eb) => eb.selectFrom('tenant as t').select('t.mode').where('t.id', '=', tenantId).as('tenant_mode'))
    .where('l.tenant_id', '=', tenantId)
    .orderBy('l.associate_name')
    .orderBy('l.id');
  const after = page?.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([eb('l.associate_name', '>', after.name), eb.and([eb('l.associate_name', '=', after.name), eb('l.id', '>', after.id)])]),
    );
  }
  const links = await (page ? tx.dialect.limit(query, page.limit) : query).execute();
  if (links.length === 0) return [];
  const now = tx.dialect.now();
  const statusOf = (slice: string[] | null) => {
    let q = tx.db
      .selectFrom('sync_mailbox as m')
      .select('m.mailbox_id')
      .select((eb) =>
        eb
          .case()
          .when(eb.and([eb('m.lease_owner', 'is not', null), eb('m.lease_expires_at', '>', now)]))
          .then(eb.lit(1))
          .else(eb.lit(0))
          .end()
          .as('sync_leased'),
      )
      .select([
        'm.state as sync_state',
        'm.last_pass_at as sync_last_pass_at',
        'm.last_success_at as sync_last_success_at',
        'm.next_due_at as sync_next_due_at',
        'm.last_created as sync_last_created',
        'm.last_updated as sync_last_updated',
        'm.last_deleted as sync_last_deleted',
        'm.last_conflicts as sync_last_conflicts',
        'm.last_error as sync_last_error',
        'm.breaker_detail as sync_breaker_detail',
      ])
      .where('m.tenant_id', '=', tenantId);
    if (slice) q = q.where('m.mailbox_id', 'in', slice);
    return q.execute();
  };
  // A page reads the sync rows of its own mailboxes; the whole list, the tenant's.
  const mailboxes = page ? await inChunks(tx, links.map((l) => l.mailbox_id), statusOf) : await statusOf(null);
  const byMailbox = new Map<string, MailboxStatus>(mailboxes.map((m) => [m.mailbox_id, m]));
  const none: MailboxStatus = {
    sync_state: null,
    sync_leased: 0,
    sync_last_pass_at: null,
    sync_last_success_at: null,
    sync_next_due_at: null,
    sync_last_created: null,
    sync_last_updated: null,
    sync_last_deleted: null,
    sync_last_conflicts: null,
    sync_last_error: null,
    sync_breaker_detail: null,
  };
  const kindsOf = (slice: string[] | null) => {
    let q = tx.db
      .selectFrom('sync_kind_status as k')
      .select([
        'k.mailbox_id',
        'k.kind',
        'k.state',
        'k.last_pass_at',
        'k.last_success_at',
        'k.last_created',
        'k.last_updated',
        'k.last_deleted',
        'k.last_conflicts',
        'k.last_error',
      ])
      .where('k.tenant_id', '=', tenantId);
    if (slice) q = q.where('k.mailbox_id', 'in', slice);
    return q.execute();
  };
  const kindRows = page ? await inChunks(tx, links.map((l) => l.mailbox_id), kindsOf) : await kindsOf(null);
  const kinds = new Map<string, Partial<Record<SyncItemKind, KindStatusRow>>>();
  const kindOf = (key: string, kind: SyncItemKind) => {
    let all = kinds.get(key);
    if (!all) kinds.set(key, (all = {}));
    return (all[kind] ??= kindRow());
  };
  for (const k of kindRows) {
    Object.assign(kindOf(k.mailbox_id, k.kind), {
      state: k.state,
      lastPassAt: k.last_pass_at,
      lastSuccessAt: k.last_success_at,
      lastCreated: k.last_created,
      lastUpdated: k.last_updated,
      lastDeleted: k.last_deleted,
      lastConflicts: k.last_conflicts,
      lastError: k.last_error,
    });
  }
  // One object per row (10,000 rows is the common case).
  return links.map((l) => {
    const row = Object.assign(l, byMailbox.get(l.mailbox_id) ?? none) as unknown as LinkWithHistory;
    const status = kinds.get(l.mailbox_id);
    let total = 0;
    const perKind: Partial<Record<SyncItemKind, KindStatusRow>> = {};
    for (const kind of ['appointment', 'task', 'contact'] as const) {
      const n = readInt(l[`items_${kind}`] ?? 0);
      total += n;
      const s = status?.[kind];
      if (s || n > 0) perKind[kind] = { ...(s ?? kindRow()), items: n };
    }
    row.history_count = total;
    row.kinds = perKind;
    return row;
  });
}

/** The rows of `table` that belong to the links in `slice` (matched on associate and mailbox). */
function ofLinks(table: 'sync_item' | 'sync_conflict', tenantId: string, slice: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'sync_item' | 'sync_conflict'>) =>
    eb.exists(
      eb
        .selectFrom('link as l')
        .select('l.id')
        .where('l.tenant_id', '=', tenantId)
        .where('l.id', 'in', slice)
        // Qualified: unqualified, the names would resolve to the link's own columns.
        .where('l.associate_id', '=', sql.ref<number>(`${table}.associate_id`))
        .where('l.mailbox_id', '=', sql.ref<string>(`${table}.mailbox_id`)),
    );
}

/** Mapping rows (`sync_item`, every state) per link, for the given links: what removing them deletes. */
export async function countHistory(tx: Tx, tenantId: string, linkIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await inChunks(tx, linkIds, (slice) =>
    tx.db
      .selectFrom('link as l')
      .innerJoin('sync_item as i', (join) =>
        join.onRef('i.tenant_id', '=', 'l.tenant_id').onRef('i.associate_id', '=', 'l.associate_id').onRef('i.mailbox_id', '=', 'l.mailbox_id'),
      )
      .select(['l.id as link_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('l.tenant_id', '=', tenantId)
      .where('l.id', 'in', slice)
      .groupBy('l.id')
      .execute(),
  );
  return new Map(rows.map((r) => [r.link_id, readInt(r.n)]));
}

/**
 * Deletes the links and, first, what the synchronizer keeps of them: their mappings, conflicts
 * and change-detection cursors (the mailbox's sync row and its fencing epoch stay, see migration
 * 006). A re-added user is found again by the tags on the items, not by these rows.
 */
export async function deleteLinksWithHistory(tx: Tx, tenantId: string, linkIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const slice of chunk(linkIds, tx.dialect.maxInList)) {
    await tx.db.deleteFrom('sync_item').where('tenant_id', '=', tenantId).where(ofLinks('sync_item', tenantId, slice)).execute();
    await tx.db.deleteFrom('sync_conflict').where('tenant_id', '=', tenantId).where(ofLinks('sync_conflict', tenantId, slice)).execute();
    await tx.db
      .deleteFrom('sync_cursor')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_id', 'in', (eb) => eb.selectFrom('link as l').select('l.mailbox_id').where('l.tenant_id', '=', tenantId).where('l.id', 'in', slice))
      .execute();
    const result = await tx.db
      .deleteFrom('link')
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', slice)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** The sync options of an associate's link, if they have one. */
export function findLinkOptionsOfAssociate(tx: Tx, tenantId: string, associateId: number) {
  return tx.db
    .selectFrom('link')
    .select(['sync_diary', 'sync_task', 'sync_contact'])
    .where('tenant_id', '=', tenantId)
    .where('associate_id', '=', associateId)
    .executeTakeFirst();
}
