import { addedLinkRow, newLinkKey, parseRank, savedLinkRow, type LinkedUserRow, type RankDraft } from './linked-user-row.js';
import { syncAfterSave } from './sync-status.js';
import type { Link, LinkOptions, LinkRef, LinkedUser, NewLink, OptionsChange } from './types.js';

export type { OptionsChange };

const sameOptions = (a: LinkOptions, b: LinkOptions) =>
  a.diary === b.diary && a.task === b.task && a.contact === b.contact && a.rank === b.rank;

type Parts = Pick<LinkState, 'saved' | 'added' | 'edits' | 'rankDrafts'>;

const without = <K, V>(map: ReadonlyMap<K, V>, keys: Iterable<K>): Map<K, V> => {
  const next = new Map(map);
  for (const k of keys) next.delete(k);
  return next;
};

/**
 * What the panel holds between saves: the links as the server last sent them, links added but not
 * saved (Save Added Users), option edits not saved (Save Users Options), and Server Rank text as
 * typed that is not a rank yet. Immutable: every change returns a new state, so Lit sees it.
 * `rows()` feeds `so-linked-user-list`.
 */
export class LinkState {
  private constructor(
    readonly saved: ReadonlyMap<string, LinkedUser>,
    readonly added: ReadonlyMap<number, NewLink>,
    readonly edits: ReadonlyMap<string, LinkOptions>,
    /** By row key: what the Server Rank field shows in place of the rank (see {@link typeRank}). */
    readonly rankDrafts: ReadonlyMap<string, RankDraft>,
  ) {}

  static from(links: LinkedUser[]): LinkState {
    return new LinkState(new Map(links.map((l) => [l.id, l])), new Map(), new Map(), new Map());
  }

  private with(parts: Partial<Parts>): LinkState {
    const p = { saved: this.saved, added: this.added, edits: this.edits, rankDrafts: this.rankDrafts, ...parts };
    return new LinkState(p.saved, p.added, p.edits, p.rankDrafts);
  }

  /** How many added links would be lost if the page were left now. */
  get unsavedCount(): number {
    return this.added.size;
  }

  get hasUnsavedChanges(): boolean {
    return this.added.size > 0 || this.edits.size > 0 || this.rankDrafts.size > 0;
  }

  /** Saved links with unsaved option changes, a Server Rank being typed included. */
  get editedCount(): number {
    return new Set([...this.edits.keys(), ...[...this.rankDrafts.keys()].filter((k) => this.saved.has(k))]).size;
  }

  /** Everything linked or about to be: what Auto Link Users and Link User must not link again. */
  existing(): LinkRef[] {
    return [...this.saved.values(), ...this.added.values()];
  }

  add(links: NewLink[]): LinkState {
    const added = new Map(this.added);
    for (const l of links) added.set(l.associateId, l);
    return this.with({ added });
  }

  /** The options a row has now: an added link's own, or a saved link's edit or saved ones; null for no such row. */
  private optionsOf(key: string): LinkOptions | null {
    const o = [...this.added.values()].find((l) => newLinkKey(l.associateId) === key) ?? this.edits.get(key) ?? this.saved.get(key);
    return o ? { diary: o.diary, task: o.task, contact: o.contact, rank: o.rank } : null;
  }

  /** Options of a row: an added link changes in place; a saved one records an edit (dropped when it matches again). */
  setOptions(key: string, options: LinkOptions): LinkState {
    const addedLink = [...this.added.values()].find((l) => newLinkKey(l.associateId) === key);
    if (addedLink) {
      return this.with({ added: new Map(this.added).set(addedLink.associateId, { ...addedLink, ...options }) });
    }
    const saved = this.saved.get(key);
    if (!saved) return this;
    const edits = new Map(this.edits);
    if (sameOptions(saved, options)) edits.delete(key);
    else edits.set(key, options);
    return this.with({ edits });
  }

  /**
   * The administrator typed in a row's Server Rank field. The text is kept exactly as typed, so
   * no render replaces it while they type; a message shown for it goes as soon as the text is a
   * valid rank, and only a commit ({@link commitRank}) shows one.
   */
  typeRank(key: string, text: string): LinkState {
    const options = this.optionsOf(key);
    if (!options) return this;
    if (text === String(options.rank)) return this.with({ rankDrafts: without(this.rankDrafts, [key]) });
    const invalid = this.rankDrafts.get(key)?.invalid === true && parseRank(text) === null;
    return this.with({ rankDrafts: new Map(this.rankDrafts).set(key, { text, invalid }) });
  }

  /**
   * The administrator left a row's Server Rank field or pressed Enter: a whole number 1–99
   * becomes the row's rank; anything else stays in the field as typed, marked invalid, and
   * blocks saving that row ({@link invalidRanks}).
   */
  commitRank(key: string, text: string): LinkState {
    const options = this.optionsOf(key);
    if (!options) return this;
    const rank = parseRank(text);
    if (rank === null) return this.with({ rankDrafts: new Map(this.rankDrafts).set(key, { text, invalid: true }) });
    return this.with({ rankDrafts: without(this.rankDrafts, [key]) }).setOptions(key, { ...options, rank });
  }

  /**
   * Rows among `keys` (all rows when omitted) whose Server Rank field holds something that is not
   * a rank: saving them would store a rank other than the one on screen, so the save must stop.
   */
  invalidRanks(keys?: Iterable<string>): LinkedUserRow[] {
    const wanted = keys ? new Set(keys) : null;
    const bad = new Set([...this.rankDrafts].filter(([k, d]) => (!wanted || wanted.has(k)) && parseRank(d.text) === null).map(([k]) => k));
    return bad.size === 0 ? [] : this.rows().filter((r) => bad.has(r.key));
  }

  /** Drops added links not saved yet. */
  discardAdded(associateIds: number[]): LinkState {
    const added = new Map(this.added);
    for (const id of associateIds) added.delete(id);
    return this.with({ added, rankDrafts: without(this.rankDrafts, associateIds.map(newLinkKey)) });
  }

  /** Saved links (with their edits) first, then the unsaved added ones. */
  rows(): LinkedUserRow[] {
    const rows = [...this.saved.values()].map((l) => {
      const row = savedLinkRow(l);
      const edit = this.edits.get(l.id);
      return edit ? { ...row, ...edit } : row;
    });
    const all = rows.concat([...this.added.values()].map(addedLinkRow));
    if (this.rankDrafts.size === 0) return all;
    return all.map((r) => {
      const rankDraft = this.rankDrafts.get(r.key);
      return rankDraft ? { ...r, rankDraft } : r;
    });
  }

  /**
   * What Remove Selected Users does with the selected rows: saved links to delete (after the
   * administrator confirms) and added links, not saved yet, to discard (by associate id).
   */
  removalOf(keys: ReadonlySet<string>): { ids: string[]; discard: number[] } {
    const rows = this.rows().filter((r) => keys.has(r.key));
    return { ids: rows.flatMap((r) => (r.id ? [r.id] : [])), discard: rows.filter((r) => !r.id).map((r) => r.associateId) };
  }

  /** The keys among `keys` that are still rows (saved rows get new keys, removed ones go). */
  keptKeys(keys: ReadonlySet<string>): Set<string> {
    const rows = new Set(this.rows().map((r) => r.key));
    return new Set([...keys].filter((k) => rows.has(k)));
  }

  /** The body of Save Added Users. */
  addedPayload(): NewLink[] {
    return [...this.added.values()];
  }

  /** The body of Save Users Options for the selected saved rows (their current options, their loaded version). */
  optionsPayload(keys: Iterable<string>): OptionsChange[] {
    const out: OptionsChange[] = [];
    for (const key of keys) {
      const saved = this.saved.get(key);
      if (!saved) continue;
      const o = this.edits.get(key) ?? saved;
      out.push({ id: key, diary: o.diary, task: o.task, contact: o.contact, rank: o.rank, expectedVersion: saved.version });
    }
    return out;
  }

  /** After Save Added Users succeeded: the created (and already existing) links are saved now. */
  afterSaveAdded(result: { created: Link[]; unchanged: Link[] }): LinkState {
    const saved = new Map(this.saved);
    const added = new Map(this.added);
    for (const l of [...result.created, ...result.unchanged]) {
      const before = saved.get(l.id);
      saved.set(l.id, { ...l, historyCount: before?.historyCount ?? 0, sync: syncAfterSave(before?.sync, l) });
      added.delete(l.associateId);
    }
    const done = [...result.created, ...result.unchanged].map((l) => newLinkKey(l.associateId));
    return this.with({ saved, added, rankDrafts: without(this.rankDrafts, done) });
  }

  /** After Save Users Options succeeded: the server's versions replace ours and those edits are done. */
  afterSaveOptions(result: { updated: Link[]; unchanged: Link[] }): LinkState {
    const saved = new Map(this.saved);
    const edits = new Map(this.edits);
    for (const l of [...result.updated, ...result.unchanged]) {
      const before = saved.get(l.id);
      saved.set(l.id, { ...l, historyCount: before?.historyCount ?? 0, sync: syncAfterSave(before?.sync, l) });
      edits.delete(l.id);
    }
    const done = [...result.updated, ...result.unchanged].map((l) => l.id);
    return this.with({ saved, edits, rankDrafts: without(this.rankDrafts, done) });
  }

  afterRemove(ids: string[]): LinkState {
    return this.with({ saved: without(this.saved, ids), edits: without(this.edits, ids), rankDrafts: without(this.rankDrafts, ids) });
  }

  /**
   * Fresh links from the server after something other than an edit changed them (the tenant mode,
   * an authorization): keeps unsaved added links that still fit, and option edits (and Server Rank
   * text) of links whose version did not change meanwhile.
   */
  refreshed(links: LinkedUser[]): LinkState {
    const next = this.reloaded(links);
    const unchanged = ([id]: [string, unknown]) => this.saved.has(id) && next.saved.get(id)?.version === this.saved.get(id)!.version;
    const rankDrafts = new Map([...this.rankDrafts].filter((e) => next.rankDrafts.has(e[0]) || unchanged(e)));
    return next.with({ edits: new Map([...this.edits].filter(unchanged)), rankDrafts });
  }

  /** Reload from the server (after a conflict), keeping unsaved added links that still fit, with their Server Rank text. */
  reloaded(links: LinkedUser[]): LinkState {
    const taken = new Set(links.flatMap((l) => [`a:${l.associateId}`, `m:${l.mailboxId}`]));
    const added = [...this.added.values()].filter((l) => !taken.has(`a:${l.associateId}`) && !taken.has(`m:${l.mailboxId}`));
    const keys = new Set(added.map((l) => newLinkKey(l.associateId)));
    return LinkState.from(links)
      .add(added)
      .with({ rankDrafts: new Map([...this.rankDrafts].filter(([k]) => keys.has(k))) });
  }
}
