import { randomUUID } from 'node:crypto';
import type { SyncItemRow } from '../../db/database.js';
import type { Store } from '../../db/store.js';
import { massDeleteReason, BREAKER_FLOOR } from '../breaker.js';
import type { KindPass, KindPassInput } from '../kind-pass.js';
import { deleteItems, findCursor, findItemsByOps, insertItems, listItems, recordPassOutcome, saveCursor, updateItem, type ItemPatch, type NewItem } from '../diary/item.repository.js';
import { mappingLost, soStamp, type PassCounts } from '../diary/pass-state.js';
import { personRefusal, personStale } from '../decide.js';
import type { Fence } from '../worker.js';
import { contactHash, contactOf } from './fields.js';
import { ContactDeltaExpired, ContactFolderGone, type ContactDelta, type GraphContact, type OutlookContactsPort, type SoPerson, type SoPersonRow, type SuperOfficePersonsPort } from './ports.js';

/*
 * The contact pass: the persons a linked associate is responsible for ("Our contact") →
 * a contact folder of ours ("SuperOffice") in their mailbox, one way, as the old product does
 * "for safety". The user's own contacts (every other folder) are never read or written.
 *
 * 1. Read. Our folder's id is in the cursor (`container_id`); when it is missing or answers 404,
 *    the folder is found by name, else created. A FULL pass when there is no cursor or delta
 *    link, the delta token expired, the folder had to be found again, or the mailbox has a
 *    cursor but no mapping while its last pass mapped some (the table was lost; an empty folder
 *    is not: `mappingLost`): every contact of the folder with our tag
 *    expanded (the rebind sweep), a fresh folder delta (for the next delta link), and every
 *    person of the associate (the Person archive, `personAssociateId`). Otherwise INCREMENTAL:
 *    the folder's delta, and the persons changed since the watermark (minus an overlap) in the
 *    whole tenant — a person whose "our contact" became someone else shows only that way. A full
 *    pass at least daily all the same: a hard delete polling cannot see, and a contact the user
 *    deleted before the delta ever listed it (between our create and the next delta), are found
 *    only by comparing the whole sets. An idle pass costs
 *    one Graph request and one SuperOffice request. A person is read (`get`) only when its
 *    updatedDate differs from the mapping's, or Outlook changed its contact.
 * 2. Rebind before anything is written (full pass): each tagged contact binds to the mapping of
 *    its person id (or becomes one); several with one tag: the mapped one, else the oldest,
 *    keeps it and the others (copies in our folder) are deleted. Untagged contacts in our folder
 *    are the user's: left alone.
 * 3. Scope: a person is in scope while its "our contact" is the associate, it is not deleted and
 *    not retired. Out of scope: its contact is deleted from our folder, the mapping forgotten.
 *    Circuit breaker (the diary's rules, breaker.ts): the deletes are counted before any write.
 * 4. One way: a changed person is written over its contact (every field we own). An Outlook
 *    edit of one of our contacts (its hash differs from what we last wrote) is overwritten at
 *    once; a contact the user deleted from our folder is put back. Nothing is ever written to
 *    SuperOffice.
 * 5. Creates, never twice: a write-ahead intent row (`pending`) is committed first; an intent
 *    left by an earlier pass is looked up by its tag (the Integer filter) before it is sent
 *    again, and a create whose answer was lost is looked up by its tag before it is retried
 *    (contacts have no transactionId).
 * 6. The cursor (folder, delta link, watermark, last reconcile) is saved only at the end of a
 *    good pass: a pass that fails half-way is redone from the same point, and what it did is
 *    recognised (mapped, same updatedDate, same hash).
 */

export const CONTACT_KIND = 'contact' as const;
/** SuperOffice changes are read again this far back: commits land after their updatedDate. */
const OVERLAP_MS = 5 * 60_000;
/** A full pass at least this often: hard deletes polling cannot see, and contacts deleted before a delta saw them. */
const RECONCILE_MS = 24 * 3600_000;

export const contactKind: KindPass = {
  kind: CONTACT_KIND,
  label: 'Contact',
  enabled: (ctx) => ctx.contact,
  run: (input) => new ContactPass(input).run(),
};

const iso = (v: string | Date | null | undefined) => (v === null || v === undefined ? null : new Date(v).toISOString());

class ContactPass {
  readonly counts: PassCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };
  private readonly store: Store;
  private readonly fence: Fence;
  private readonly now: Date;
  private readonly associateId: number;
  private readonly so: SuperOfficePersonsPort;
  private readonly ol: OutlookContactsPort;
  private readonly items = new Map<number, SyncItemRow>();
  private readonly bySo = new Map<number, SyncItemRow>();
  private folderId = '';

  constructor(private readonly input: KindPassInput) {
    this.store = input.store;
    this.fence = input.fence;
    this.now = input.clock();
    this.associateId = input.ctx.associateId;
    this.so = input.connections.persons;
    this.ol = input.connections.contacts;
  }

  private get tenantId() {
    return this.fence.tenantId;
  }
  private get mailboxId() {
    return this.fence.mailboxId;
  }

  private index(item: SyncItemRow): void {
    this.items.set(item.id, item);
    if (item.so_id !== null) this.bySo.set(item.so_id, item);
  }

  private forget(item: SyncItemRow): void {
    this.items.delete(item.id);
    if (item.so_id !== null && this.bySo.get(item.so_id)?.id === item.id) this.bySo.delete(item.so_id);
  }

  private async commit(item: SyncItemRow, patch: ItemPatch): Promise<SyncItemRow> {
    await this.fence.write((tx) => updateItem(tx, this.tenantId, this.mailboxId, item.id, patch, this.now));
    const next = { ...item, ...patch } as SyncItemRow;
    this.index(next);
    return next;
  }

  private async remove(item: SyncItemRow): Promise<void> {
    await this.fence.write((tx) => deleteItems(tx, this.tenantId, this.mailboxId, [item.id]));
    this.forget(item);
  }

  /** Before every write to Microsoft 365, which no database fence can stop. */
  private guard(): void {
    this.fence.signal.throwIfAborted();
  }

  /** See PassState.stamp: an updatedDate this recent is remembered a millisecond early (whole seconds). */
  private stamp(updatedAt: string): string {
    return soStamp(this.store.dialect, this.now, updatedAt);
  }

  private inScope(r: Pick<SoPersonRow, 'associateId' | 'deleted' | 'retired'>): boolean {
    return personRefusal(r, this.associateId) === null;
  }

  private written(c: GraphContact): ItemPatch {
    return { graph_id: c.id, graph_change_key: c.changeKey, graph_hash: contactHash(c.fields), state: 'active' };
  }

  async run(): Promise<PassCounts | 'breaker'> {
    const cursor = await findCursor(this.store, this.tenantId, this.mailboxId, CONTACT_KIND);
    for (const row of await listItems(this.store, this.tenantId, this.mailboxId, CONTACT_KIND)) this.index(row);

    // --- 1. Read: Outlook.
    let folderId = cursor?.container_id ?? null;
    const lastReconcile = iso(cursor?.last_reconcile_at);
    const reconcileDue = lastReconcile === null || this.now.getTime() - Date.parse(lastReconcile) >= RECONCILE_MS;
    let full = !cursor || !cursor.delta_link || !folderId || mappingLost(cursor, this.items.size) || reconcileDue;
    let delta: ContactDelta | null = null;
    if (!full && folderId) {
      try {
        delta = await this.ol.delta(folderId, { deltaLink: cursor!.delta_link! });
      } catch (err) {
        if (err instanceof ContactFolderGone) folderId = null;
        else if (!(err instanceof ContactDeltaExpired)) throw err;
        full = true;
      }
    }
    this.folderId = folderId ?? (await this.ol.ensureFolder());
    let sweep: GraphContact[] | null = null;
    if (full) {
      sweep = await this.ol.list(this.folderId);
      delta = await this.ol.delta(this.folderId, 'start');
    }

    // --- 1. Read: SuperOffice.
    const own = full ? await this.so.ofAssociate(this.associateId) : null;
    const watermark = iso(cursor?.so_watermark);
    const changed = full ? [] : await this.so.changedSince(watermark ? new Date(Date.parse(watermark) - OVERLAP_MS).toISOString() : new Date(0).toISOString());
    const rows = new Map<number, SoPersonRow>();
    for (const r of own ?? []) rows.set(r.id, r);
    for (const r of changed) rows.set(r.id, r);

    // --- 2. Rebind (full pass), 3. scope: planned before anything is written.
    const rebind = sweep ? this.planRebind(sweep) : { bind: [], fresh: [], copies: [] };
    const deletes: SyncItemRow[] = [];
    const forget: SyncItemRow[] = [];
    const scopeOf = (soId: number): boolean | null => {
      const r = rows.get(soId);
      if (r) return this.inScope(r);
      // The associate's whole list was read: not in it is not in scope (another's, or gone).
      return own !== null ? false : null;
    };
    for (const item of this.items.values()) {
      if (item.so_id === null) continue;
      const graphId = rebind.bind.find((b) => b.item.id === item.id)?.graphId ?? (sweep && item.graph_id && !sweep.some((c) => c.id === item.graph_id) ? null : item.graph_id);
      if (scopeOf(item.so_id) === false) (graphId ? deletes : forget).push({ ...item, graph_id: graphId });
    }
    // Tagged contacts of persons no longer in scope, with no mapping left (a lost table): ours to delete.
    const strays = rebind.fresh.filter((f) => scopeOf(f.personId) === false).map((f) => f.contact.id);
    // Outlook's side of the mapped contacts: edits are overwritten, deletes put back.
    const outlookEdited = new Set<number>();
    if (delta && !sweep) {
      const byGraph = new Map([...this.items.values()].filter((i) => i.graph_id).map((i) => [i.graph_id!, i]));
      for (const c of delta.changed) {
        const item = byGraph.get(c.id);
        if (item?.so_id != null && item.state === 'active' && contactHash(c.fields) !== item.graph_hash) outlookEdited.add(item.so_id);
      }
      for (const id of delta.removed) {
        const item = byGraph.get(id);
        if (item?.so_id != null) outlookEdited.add(item.so_id);
      }
    }

    if (this.input.ctx.breakerReleasedAt === null) {
      const mapped = [...this.items.values()].filter((i) => i.state === 'active' && i.graph_id !== null).length;
      const planned = deletes.length + strays.length;
      const what = `${planned} Outlook contact(s) of ${mapped} items in sync`;
      let reason = massDeleteReason(planned, mapped, what);
      if (reason === null && own !== null && ![...rows.values()].some((r) => this.inScope(r)) && mapped >= BREAKER_FLOOR) {
        reason = `Stopped: SuperOffice returned no persons for this user while ${mapped} of their contacts are in sync. An administrator can release it.`;
      }
      if (reason !== null) {
        await this.fence.write((tx) => recordPassOutcome(tx, this.fence, { state: 'breaker', lastError: reason, breakerDetail: reason, dueInMs: 0 }));
        return 'breaker';
      }
    }

    // --- 2. Commit the rebinds.
    await this.commitRebind(rebind, sweep, (id) => scopeOf(id) !== false);

    // --- 3. Out of scope: deleted from our folder only.
    for (const d of deletes) {
      this.guard();
      await this.ol.delete(this.folderId, d.graph_id!);
      await this.remove(d);
      this.counts.deleted += 1;
    }
    for (const item of forget) await this.remove(item);
    for (const id of [...strays, ...rebind.copies.map((c) => c.id)]) {
      this.guard();
      await this.ol.delete(this.folderId, id);
      this.counts.deleted += 1;
    }

    // Persons whose updatedDate differs from the mapping's (every rebound one: it has none).
    const refresh = new Set<number>();
    for (const item of this.items.values()) {
      const r = item.so_id !== null ? rows.get(item.so_id) : undefined;
      if (r && personStale(item, this.stamp(r.updatedAt))) refresh.add(r.id);
    }

    // --- 4. Changes, one way.
    for (const soId of new Set([...refresh, ...outlookEdited])) {
      const item = this.bySo.get(soId);
      if (!item || !item.graph_id) continue;
      await this.refreshOne(item, outlookEdited.has(soId));
    }

    // --- 5. Creates: in-scope persons without a contact, and intents left by an earlier pass.
    await this.creates(rows, scopeOf, sweep !== null);

    // --- 6. The cursor.
    const seen = [...rows.values()].map((r) => r.updatedAt).concat(watermark ?? []);
    const nextWatermark = seen.length > 0 ? seen.reduce((a, b) => (a > b ? a : b)) : this.now.toISOString();
    await this.fence.write((tx) =>
      saveCursor(
        tx,
        this.tenantId,
        this.mailboxId,
        CONTACT_KIND,
        { deltaLink: delta!.deltaLink, windowStart: null, windowEnd: null, containerId: this.folderId, soWatermark: nextWatermark, lastReconcileAt: own !== null ? this.now.toISOString() : lastReconcile },
        this.now,
      ),
    );
    return this.counts;
  }

  /** Which tagged contact of the sweep each mapping gets, the tagged contacts no mapping has, and copies. */
  private planRebind(sweep: GraphContact[]) {
    const byTag = new Map<number, GraphContact[]>();
    for (const c of sweep) {
      if (c.tag == null) continue;
      byTag.set(c.tag, [...(byTag.get(c.tag) ?? []), c]);
    }
    const bind: { item: SyncItemRow; graphId: string }[] = [];
    const fresh: { personId: number; contact: GraphContact }[] = [];
    const copies: GraphContact[] = [];
    for (const [personId, found] of byTag) {
      const ordered = [...found].sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
      const item = this.bySo.get(personId);
      const keep = ordered.find((c) => c.id === item?.graph_id) ?? ordered[0]!;
      copies.push(...ordered.filter((c) => c !== keep));
      if (item) {
        if (item.graph_id !== keep.id || item.state !== 'active') bind.push({ item, graphId: keep.id });
      } else fresh.push({ personId, contact: keep });
    }
    return { bind, fresh, copies };
  }

  /**
   * Rebinds, committed before anything is written outside. A rebound mapping remembers the
   * contact's hash (so an unchanged person is not written again) and no updatedDate (so its person is read).
   */
  private async commitRebind(rebind: ReturnType<ContactPass['planRebind']>, sweep: GraphContact[] | null, keep: (personId: number) => boolean): Promise<void> {
    if (!sweep) return;
    const present = new Map(sweep.map((c) => [c.id, c]));
    const lost = [...this.items.values()].filter((i) => i.graph_id !== null && !present.has(i.graph_id) && !rebind.bind.some((b) => b.item.id === i.id));
    const freshInScope = rebind.fresh.filter((f) => keep(f.personId));
    if (rebind.bind.length === 0 && lost.length === 0 && freshInScope.length === 0) return;
    const bound = (graphId: string): ItemPatch => ({ graph_id: graphId, state: 'active', graph_hash: contactHash(present.get(graphId)!.fields), graph_change_key: present.get(graphId)!.changeKey, so_updated_at: null });
    const unbound: ItemPatch = { graph_id: null, graph_hash: null, graph_change_key: null };
    await this.fence.write(async (tx) => {
      for (const i of lost) await updateItem(tx, this.tenantId, this.mailboxId, i.id, unbound, this.now);
      for (const { item, graphId } of rebind.bind) await updateItem(tx, this.tenantId, this.mailboxId, item.id, bound(graphId), this.now);
    });
    for (const i of lost) this.index({ ...i, ...unbound } as SyncItemRow);
    for (const { item, graphId } of rebind.bind) this.index({ ...item, ...bound(graphId) } as SyncItemRow);
    await this.insert(freshInScope.map((f) => ({ ...this.newItem(f.personId, f.contact.id, 'active'), graph_hash: contactHash(f.contact.fields), graph_change_key: f.contact.changeKey })));
  }

  private newItem(soId: number, graphId: string | null, state: 'pending' | 'active'): NewItem {
    return { tenant_id: this.tenantId, associate_id: this.associateId, mailbox_id: this.mailboxId, kind: CONTACT_KIND, so_id: soId, graph_id: graphId, origin: 'superoffice', state };
  }

  private async insert(rows: NewItem[]): Promise<SyncItemRow[]> {
    if (rows.length === 0) return [];
    const withOps = rows.map((r) => ({ ...r, op_id: randomUUID(), op_started_at: this.store.dialect.time(this.now) }));
    const stored = await this.fence.write(async (tx) => {
      await insertItems(tx, withOps, this.now);
      return findItemsByOps(tx, this.tenantId, this.mailboxId, withOps.map((r) => r.op_id));
    });
    for (const item of stored) this.index(item);
    return stored;
  }

  /** Reads the person and writes it over its contact, unless the contact already holds it. */
  private async refreshOne(item: SyncItemRow, outlookChanged: boolean): Promise<void> {
    const person = await this.so.get(item.so_id!);
    if (!person || !this.inScope({ associateId: person.associateId, deleted: false, retired: person.retired })) {
      this.guard();
      await this.ol.delete(this.folderId, item.graph_id!);
      await this.remove(item);
      this.counts.deleted += 1;
      return;
    }
    const write = contactOf(person);
    const hash = contactHash(write);
    if (!outlookChanged && hash === item.graph_hash) {
      await this.commit(item, { so_updated_at: this.stamp(person.updatedAt), so_hash: hash });
      return;
    }
    this.guard();
    const result = await this.ol.update(this.folderId, item.graph_id!, write);
    if (result === 'gone') {
      // The user deleted it from our folder: it is put back below.
      await this.commit(item, { graph_id: null, graph_hash: null, graph_change_key: null });
      return;
    }
    await this.commit(item, { ...this.written(result), so_updated_at: this.stamp(person.updatedAt), so_hash: hash });
    this.counts.updated += 1;
  }

  private async creates(rows: Map<number, SoPersonRow>, scopeOf: (soId: number) => boolean | null, swept: boolean): Promise<void> {
    // New intents for in-scope persons with no mapping, committed before any create.
    const wanted = [...rows.values()].filter((r) => this.inScope(r) && !this.bySo.has(r.id)).map((r) => r.id);
    const fresh = new Set((await this.insert(wanted.map((id) => this.newItem(id, null, 'pending')))).map((i) => i.id));
    for (const item of [...this.items.values()]) {
      if (item.so_id === null || item.graph_id !== null) continue;
      if (scopeOf(item.so_id) === false) {
        await this.remove(item);
        continue;
      }
      // Left by an earlier pass (a crash, a lost answer) or a contact gone: it may be there already.
      if (!fresh.has(item.id) && !swept) {
        const [found] = await this.ol.findByTag(this.folderId, item.so_id);
        if (found) {
          await this.commit(item, { graph_id: found.id, graph_change_key: found.changeKey, graph_hash: null, so_updated_at: null, state: 'active' });
          await this.refreshOne(this.bySo.get(item.so_id)!, false);
          continue;
        }
      }
      const person: SoPerson | null = await this.so.get(item.so_id);
      if (!person || !this.inScope({ associateId: person.associateId, deleted: false, retired: person.retired })) {
        await this.remove(item);
        continue;
      }
      this.guard();
      const write = contactOf(person);
      const created = await this.ol.create(this.folderId, person.id, write);
      await this.commit(item, { ...this.written(created), so_updated_at: this.stamp(person.updatedAt), so_hash: contactHash(write) });
      this.counts.created += 1;
    }
  }
}
