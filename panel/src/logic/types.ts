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
  /**
   * `disabled` when Diary, Task and Contact are all off, or (OAuth mode) the mailbox is not
   * authorized: kept, with its history and options, but not synchronized.
   */
  state: 'active' | 'disabled';
  /** OAuth mode: whether the mailbox owner has authorized the app; null in application mode. */
  authorization: LinkAuthorization;
  version: number;
  createdBy: number;
  createdAt: string;
  updatedBy: number;
  updatedAt: string;
  historyCount: number;
}

// ---- Tenant settings and the Token Authentication Manager (OAuth mode) --------------------------

/**
 * `application`: a Microsoft 365 admin consents once and every mailbox can be linked.
 * `oauth`: each mailbox owner authorizes the app first (invite → accept page); only authorized
 * mailboxes are listed and synchronized.
 */
export type TenantMode = 'application' | 'oauth';

/** The invite email as the administrator last wrote it (remembered per tenant). */
export interface InviteDefaults {
  /** The mailbox invites are sent from (Graph `sendMail`); null until an administrator sets one. */
  senderAddress: string | null;
  senderName: string;
  subject: string;
  /** Plain text; `{name}`, `{link}`, `{expires}` and `{organisation}` are filled in per invite. */
  message: string;
  /** Let the invited user authorize a mailbox other than the invited address (recorded as such). */
  allowOtherMailbox: boolean;
}

/** GET /api/v1/tenant, and the answer of PATCH /api/v1/tenant. */
export interface TenantInfo {
  id: string;
  mode: TenantMode;
  /** Days an invite stays valid, 1–365 (default 14). */
  inviteTtlDays: number;
  version: number;
  invites: InviteDefaults;
  microsoft: { configured: boolean; connected: boolean; entraTenantId: string | null; consentedAt: string | null };
  /** The manifest's web panels, provisioned when an administrator signs in (or by `npm run deploy`). */
  panels: { provisionedAt: string | null; error: string | null };
}

/** PATCH /api/v1/tenant: change the mode and/or the invite lifetime (audited; 409 VersionConflict when stale). */
export interface TenantSettingsChange {
  expectedVersion: number;
  mode?: TenantMode;
  inviteTtlDays?: number;
}

/** An invite's state; an associate with no invite at all is "not invited" (no row). */
export type InviteState = 'invited' | 'accepted' | 'expired' | 'revoked' | 'failed';

/** GET /api/v1/invites → `{ invites: Invite[] }`: the newest invite of each invited associate. */
export interface Invite {
  id: string;
  associateId: number;
  associateName: string;
  /** The contact-card email the invite went to (the mailbox expected to accept). */
  email: string;
  state: InviteState;
  /** `email`: sent through Microsoft 365; `link`: an administrator copied the link to hand out. */
  delivery: 'email' | 'link';
  allowOtherMailbox: boolean;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  sentAt: string | null;
  acceptedAt: string | null;
  /** The mailbox that accepted (may differ from `email` when `allowOtherMailbox`). */
  acceptedMailbox: { id: string; address: string } | null;
  revokedAt: string | null;
  /** Why sending failed (`state: 'failed'`), as Microsoft 365 said it. */
  sendError: string | null;
}

/**
 * POST /api/v1/invites: invite up to 100 associates per request (the panel sends 500 as five
 * requests and shows progress). The emails come from SuperOffice, not from the request.
 * Re-sending replaces an associate's open invite (the old link stops working).
 */
export interface InviteRequest {
  associateIds: number[];
  delivery: 'email' | 'link';
  /** For `email`: the sender and text; remembered as the tenant's {@link InviteDefaults}. */
  senderAddress?: string;
  senderName?: string;
  subject?: string;
  message?: string;
  allowOtherMailbox?: boolean;
}

export type InviteSkipReason = 'NoEmail' | 'UnknownAssociate' | 'Retired';

export interface InviteResult {
  /** Invites created: sent (`email`) or ready to hand out (`link`). */
  invites: Invite[];
  /** `link` delivery only: the invite links, shown once (only their hash is stored). */
  links: { associateId: number; url: string }[];
  /** Associates not invited, each with the reason (e.g. no email on the contact card). */
  skipped: { associateId: number; associateName: string; reason: InviteSkipReason }[];
  /** Emails Microsoft 365 did not send (the invite is kept as `failed`). */
  failed: { associateId: number; associateName: string; email: string; code: string; message: string }[];
}

/** GET /api/v1/authorizations → `{ authorizations: Authorization[] }`: mailboxes whose owner accepted. */
export interface Authorization {
  mailboxId: string;
  mailboxAddress: string;
  displayName: string;
  /** The Microsoft account (UPN) that signed in and accepted. */
  account: string;
  /** The invited associate, when the authorization came from an invite. */
  associateId: number | null;
  associateName: string | null;
  authorizedAt: string;
  revokedAt: string | null;
}

/**
 * POST /api/v1/authorizations/revoke `{ mailboxIds }` → `{ revoked, disabledLinks }`: the links of
 * those mailboxes stay (options and history kept) but are not synchronized until the owner
 * accepts a new invite.
 */
export interface AuthorizationRevokeResult {
  revoked: Authorization[];
  disabledLinks: number;
}

/** A link's authorization in OAuth mode; null in application mode. */
export type LinkAuthorization = 'authorized' | 'revoked' | 'missing' | null;

// ---- The accept page (public: the invite secret is the credential) -----------------------------

/** POST /api/public/invites/open `{ token }`: what the invited user sees, and how to sign in. */
export interface InviteOpened {
  organisation: string;
  associateName: string;
  email: string;
  invitedBy: string;
  expiresAt: string;
  allowOtherMailbox: boolean;
  /** The link's options when the associate is already linked; null until an administrator links them. */
  sync: { diary: boolean; task: boolean; contact: boolean } | null;
  /** @azure/msal-browser settings: redirect flow, with the nonce the backend will check. */
  signIn: {
    clientId: string;
    authority: string;
    knownAuthorities: string[];
    redirectUri: string;
    scopes: string[];
    nonce: string;
    loginHint: string;
  };
}

/** POST /api/public/invites/accept `{ token, idToken }` → the mailbox now authorized. */
export interface InviteAccepted {
  mailboxAddress: string;
  displayName: string;
  account: string;
}
