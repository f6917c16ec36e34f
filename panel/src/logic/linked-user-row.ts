import type { LinkAuthorization, LinkedUser, LinkOptions, LinkRef, LinkSync, NewLink } from './types.js';

export type { LinkOptions };

export type LinkOption = keyof LinkOptions;

/** A Server Rank as the administrator typed it, not (yet) the row's `rank`. */
export interface RankDraft {
  /** The text in the field, exactly as typed: the field shows it, so typing is never undone. */
  readonly text: string;
  /** Committed (Tab, Enter, leaving the field) while not a whole number 1–99: shown with a message. */
  readonly invalid: boolean;
}

/**
 * One row of Linked Users for Synchronization: a saved link, possibly edited, or an added link
 * not saved yet. Rows are immutable: the host replaces a row to change it.
 */
export interface LinkedUserRow extends LinkRef, LinkOptions {
  /** Stable row key: the link id once saved; {@link newLinkKey} while unsaved. */
  key: string;
  /** The link id; null while unsaved. */
  id: string | null;
  /** The version the options were loaded at (for `expectedVersion`); null while unsaved. */
  version: number | null;
  /** The options as last saved; null while the link is unsaved (added). */
  saved: LinkOptions | null;
  /** OAuth mode: whether the mailbox owner has authorized the app; null in application mode and while unsaved. */
  authorization: LinkAuthorization;
  /** Server Rank text typed and not applied to `rank` (see {@link RankDraft}); null when the field shows `rank`. */
  rankDraft: RankDraft | null;
  /** Where synchronization of the user stands; null while unsaved. */
  sync: LinkSync | null;
}

/** How a row differs from what is saved. */
export type LinkChange = 'saved' | 'added' | 'modified';

export const newLinkKey = (associateId: number): string => `new:${associateId}`;

/** A row for a link as `GET /api/v1/links` returns it. */
export function savedLinkRow(link: LinkedUser): LinkedUserRow {
  const options = { diary: link.diary, task: link.task, contact: link.contact, rank: link.rank };
  return {
    key: link.id,
    id: link.id,
    version: link.version,
    associateId: link.associateId,
    associateName: link.associateName,
    mailboxId: link.mailboxId,
    mailboxAddress: link.mailboxAddress,
    ...options,
    saved: options,
    // `??`: a backend from before OAuth mode sends no authorization at all.
    authorization: link.authorization ?? null,
    rankDraft: null,
    sync: link.sync ?? null,
  };
}

/** A row for a link added in the panel and not saved yet. */
export function addedLinkRow(link: NewLink): LinkedUserRow {
  return { ...link, key: newLinkKey(link.associateId), id: null, version: null, saved: null, authorization: null, rankDraft: null, sync: null };
}

/** A Server Rank committed as not valid counts as a change: it is what the field shows, not what is saved. */
export function linkChange(row: LinkedUserRow): LinkChange {
  if (!row.saved) return 'added';
  const s = row.saved;
  const same = s.diary === row.diary && s.task === row.task && s.contact === row.contact && s.rank === row.rank;
  return same && !row.rankDraft?.invalid ? 'saved' : 'modified';
}

/** Diary, Task and Contact all off: the user is kept, with history, but not synchronized. */
export const isDisabled = (o: LinkOptions): boolean => !o.diary && !o.task && !o.contact;

/**
 * OAuth mode: a saved link whose mailbox owner has not authorized the app (or whose authorization
 * was revoked). It is kept, with its options and history, but not synchronized.
 */
export const isUnauthorized = (row: LinkedUserRow): boolean => row.id !== null && row.authorization !== null && row.authorization !== 'authorized';

/** A Server Rank typed by the user, or null unless it is a whole number from 1 to 99. */
export function parseRank(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,2}$/.test(text)) return null;
  const rank = Number(text);
  return rank >= 1 && rank <= 99 ? rank : null;
}
