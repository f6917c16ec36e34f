import { addedLinkRow, newLinkKey, savedLinkRow, type LinkedUserRow } from './linked-user-row.js';
import type { LinkOptions, LinkRef, LinkedUser, NewLink, OptionsChange } from './types.js';

export type { OptionsChange };

const sameOptions = (a: LinkOptions, b: LinkOptions) =>
  a.diary === b.diary && a.task === b.task && a.contact === b.contact && a.rank === b.rank;

/**
 * What the panel holds between saves: the links as the server last sent them, links added but not
 * saved (Save Added Users), and option edits not saved (Save Users Options). Immutable: every
 * change returns a new state, so Lit sees it. `rows()` feeds `so-linked-user-list`.
 */
export class LinkState {
  private constructor(
    readonly saved: ReadonlyMap<string, LinkedUser>,
    readonly added: ReadonlyMap<number, NewLink>,
    readonly edits: ReadonlyMap<string, LinkOptions>,
  ) {}

  static from(links: LinkedUser[]): LinkState {
    return new LinkState(new Map(links.map((l) => [l.id, l])), new Map(), new Map());
  }

  /** How many added links would be lost if the page were left now. */
  get unsavedCount(): number {
    return this.added.size;
  }

  get hasUnsavedChanges(): boolean {
    return this.added.size > 0 || this.edits.size > 0;
  }

  /** Everything linked or about to be: what Auto Link Users and Link User must not link again. */
  existing(): LinkRef[] {
    return [...this.saved.values(), ...this.added.values()];
  }

  add(links: NewLink[]): LinkState {
    const added = new Map(this.added);
    for (const l of links) added.set(l.associateId, l);
    return new LinkState(this.saved, added, this.edits);
  }

  /** Options of a row: an added link changes in place; a saved one records an edit (dropped when it matches again). */
  setOptions(key: string, options: LinkOptions): LinkState {
    const addedLink = [...this.added.values()].find((l) => newLinkKey(l.associateId) === key);
    if (addedLink) {
      return new LinkState(this.saved, new Map(this.added).set(addedLink.associateId, { ...addedLink, ...options }), this.edits);
    }
    const saved = this.saved.get(key);
    if (!saved) return this;
    const edits = new Map(this.edits);
    if (sameOptions(saved, options)) edits.delete(key);
    else edits.set(key, options);
    return new LinkState(this.saved, this.added, edits);
  }

  /** Drops added links not saved yet. */
  discardAdded(associateIds: number[]): LinkState {
    const added = new Map(this.added);
    for (const id of associateIds) added.delete(id);
    return new LinkState(this.saved, added, this.edits);
  }

  /** Saved links (with their edits) first, then the unsaved added ones. */
  rows(): LinkedUserRow[] {
    const rows = [...this.saved.values()].map((l) => {
      const row = savedLinkRow(l);
      const edit = this.edits.get(l.id);
      return edit ? { ...row, ...edit } : row;
    });
    return rows.concat([...this.added.values()].map(addedLinkRow));
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
  afterSaveAdded(result: { created: LinkedUser[]; unchanged: LinkedUser[] }): LinkState {
    const saved = new Map(this.saved);
    const added = new Map(this.added);
    for (const l of [...result.created, ...result.unchanged]) {
      saved.set(l.id, { ...l, historyCount: saved.get(l.id)?.historyCount ?? l.historyCount ?? 0 });
      added.delete(l.associateId);
    }
    return new LinkState(saved, added, this.edits);
  }

  /** After Save Users Options succeeded: the server's versions replace ours and those edits are done. */
  afterSaveOptions(result: { updated: LinkedUser[]; unchanged: LinkedUser[] }): LinkState {
    const saved = new Map(this.saved);
    const edits = new Map(this.edits);
    for (const l of [...result.updated, ...result.unchanged]) {
      saved.set(l.id, { ...l, historyCount: saved.get(l.id)?.historyCount ?? 0 });
      edits.delete(l.id);
    }
    return new LinkState(saved, this.added, edits);
  }

  afterRemove(ids: string[]): LinkState {
    const saved = new Map(this.saved);
    const edits = new Map(this.edits);
    for (const id of ids) {
      saved.delete(id);
      edits.delete(id);
    }
    return new LinkState(saved, this.added, edits);
  }

  /**
   * Fresh links from the server after something other than an edit changed them (the tenant mode,
   * an authorization): keeps unsaved added links that still fit, and option edits of links whose
   * version did not change meanwhile.
   */
  refreshed(links: LinkedUser[]): LinkState {
    const next = this.reloaded(links);
    const edits = new Map([...this.edits].filter(([id]) => next.saved.get(id)?.version === this.saved.get(id)?.version));
    return new LinkState(next.saved, next.added, edits);
  }

  /** Reload from the server (after a conflict), keeping unsaved added links that still fit. */
  reloaded(links: LinkedUser[]): LinkState {
    const taken = new Set(links.flatMap((l) => [`a:${l.associateId}`, `m:${l.mailboxId}`]));
    const added = [...this.added.values()].filter((l) => !taken.has(`a:${l.associateId}`) && !taken.has(`m:${l.mailboxId}`));
    return LinkState.from(links).add(added);
  }
}
