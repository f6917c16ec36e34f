/**
 * The JSON contract of `/api/v1`, written once: the panel uses these types, and the backend
 * imports them (type-only, erased at build) for what it sends. Nothing here imports from backend/.
 */

/** GET /api/v1/associates → `{ associates: Associate[] }`. */
export interface Associate {
  associateId: number;
  name: string;
  loginName: string;
  personId: number | null;
  userGroupId: number | null;
  userGroup: string | null;
  /** False for a retired associate. */
  active: boolean;
  /** The primary email on the associate's contact-person card, trimmed; null when there is none. */
  email: string | null;
}

/** GET /api/v1/mailboxes → `{ mailboxes: Mailbox[], next, total }`: one Microsoft 365 user. */
export interface Mailbox {
  /** Graph user object id (a GUID, lower-case). */
  id: string;
  displayName: string;
  /** The primary SMTP address (the `SMTP:` proxy, else `mail`), as Graph spells it. */
  primaryAddress: string | null;
  /** Every SMTP address (primary and aliases), lower-case. */
  addresses: string[];
  userPrincipalName: string;
  accountEnabled: boolean;
  guest: boolean;
}

/** POST /api/v1/mailboxes/check → `{ results: { id, kind }[] }`: what the `userPurpose` probe found. */
export type MailboxKind = 'user' | 'shared' | 'room' | 'equipment' | 'linked' | 'others' | 'noMailbox' | 'notFound' | 'unknown';

/**
 * What Auto Link Users and Link User need to know of a link, saved ({@link LinkedUser}) or
 * unsaved ({@link NewLink}).
 */
export interface LinkRef {
  associateId: number;
  associateName: string;
  mailboxId: string;
  mailboxAddress: string;
}

/** What Save Users Options changes per linked user. */
export interface LinkOptions {
  diary: boolean;
  task: boolean;
  contact: boolean;
  /** Server Rank, an integer 1–99. */
  rank: number;
}

/** One item of POST /api/v1/links `{ links: NewLink[] }` (Save Added Users): an unsaved link. */
export interface NewLink extends LinkRef, LinkOptions {}

/** One item of PATCH /api/v1/links `{ changes: OptionsChange[] }` (Save Users Options). */
export interface OptionsChange extends LinkOptions {
  id: string;
  expectedVersion: number;
}

/** GET /api/v1/links → `{ links: LinkedUser[] }`: a saved link. */
export interface LinkedUser extends NewLink {
  id: string;
  /** `disabled` when Diary, Task and Contact are all off (kept, with its history). */
  state: 'active' | 'disabled';
  version: number;
  createdBy: number;
  createdAt: string;
  updatedBy: number;
  updatedAt: string;
  historyCount: number;
}
