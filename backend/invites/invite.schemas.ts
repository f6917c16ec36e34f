import { z } from 'zod';
import { displayText, opaqueText } from '../http/text.js';

/** Invites per request: the panel sends more as several requests and shows progress. */
export const MAX_INVITES_PER_REQUEST = 100;

/**
 * POST /api/v1/invites: invite up to 100 associates per request. The emails come from SuperOffice,
 * not from the request. Re-sending replaces an associate's open invite (the old link stops working).
 */
export const InviteRequest = z.strictObject({
  associateIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1).max(MAX_INVITES_PER_REQUEST),
  /** `email`: sent through Microsoft 365; `link`: an administrator copies the link to hand out. */
  delivery: z.enum(['email', 'link']),
  /** For `email`: the sender and text; remembered as the tenant's invite defaults. */
  senderAddress: z.email().max(320).optional(),
  // The sender's name and the subject go into mail headers: one line each.
  senderName: displayText(200).optional(),
  subject: displayText(300).optional(),
  message: displayText(4000, { multiline: true }).optional(),
  allowOtherMailbox: z.boolean().optional(),
  /** Link the associate to the accepting mailbox at once (checked as Save Added Users checks); else the acceptance is proposed as a link. */
  linkOnAccept: z.boolean().optional(),
});
export type InviteRequest = z.input<typeof InviteRequest>;

/** POST /api/v1/invites/revoke `{ ids }`. */
export const RevokeInvitesBody = z.strictObject({ ids: z.array(z.uuid()).min(1).max(1000) });

const InviteToken = opaqueText(100);
/** POST /api/public/invites/open `{ token }`. */
export const OpenInviteBody = z.strictObject({ token: InviteToken });

// ---- Answers ------------------------------------------------------------------------------------

const Time = z.iso.datetime();

/**
 * An invite's state; an associate with no invite at all is "not invited" (no row). An accepted
 * invite whose authorization was revoked is `revoked`.
 */
export const InviteState = z.enum(['invited', 'accepted', 'expired', 'revoked', 'failed']);
export type InviteState = z.output<typeof InviteState>;

/**
 * What accepting did about the link: `proposed` (an administrator links the pair with Save Added
 * Users), `linked` (linked at once, or since), `associate_linked` (the associate was already
 * linked to another mailbox: `detail` is its address), `mailbox_linked` (the mailbox was already
 * linked to another associate: `detail` is their name).
 */
export const AcceptOutcome = z.strictObject({
  kind: z.enum(['proposed', 'linked', 'associate_linked', 'mailbox_linked']),
  detail: z.string().nullable(),
});
export type AcceptOutcome = z.output<typeof AcceptOutcome>;

/** GET /api/v1/invites → `{ invites: Invite[] }`: the newest invite of each invited associate. */
export const Invite = z.strictObject({
  id: z.uuid(),
  associateId: z.number().int(),
  associateName: z.string(),
  /** The contact-card email the invite went to (the mailbox expected to accept). */
  email: z.string(),
  state: InviteState,
  delivery: z.enum(['email', 'link']),
  allowOtherMailbox: z.boolean(),
  linkOnAccept: z.boolean(),
  createdAt: Time,
  createdBy: z.string(),
  expiresAt: Time,
  sentAt: Time.nullable(),
  acceptedAt: Time.nullable(),
  /** The mailbox that accepted (may differ from `email` when `allowOtherMailbox`). */
  acceptedMailbox: z.strictObject({ id: z.string(), address: z.string() }).nullable(),
  /** Accepted with a mailbox whose addresses do not include `email` (the invite allowed it). */
  acceptedOtherMailbox: z.boolean(),
  /** Null until accepted. */
  outcome: AcceptOutcome.nullable(),
  /** When the invite was withdrawn, or (`state: 'revoked'` after an acceptance) its authorization revoked. */
  revokedAt: Time.nullable(),
  /** Why sending failed (`state: 'failed'`), as Microsoft 365 said it. */
  sendError: z.string().nullable(),
});
export type Invite = z.output<typeof Invite>;

export const InviteList = z.strictObject({ invites: z.array(Invite) });
export const RevokeInvitesAnswer = z.strictObject({ revoked: z.array(Invite) });

export const InviteSkipReason = z.enum(['NoEmail', 'UnknownAssociate', 'Retired']);
export type InviteSkipReason = z.output<typeof InviteSkipReason>;

/** POST /api/v1/invites. */
export const InviteResult = z.strictObject({
  /** Invites created: sent (`email`) or ready to hand out (`link`). */
  invites: z.array(Invite),
  /** `link` delivery only: the invite links, shown once (only their hash is stored). */
  links: z.array(z.strictObject({ associateId: z.number().int(), url: z.url() })),
  /** Associates not invited, each with the reason (e.g. no email on the contact card). */
  skipped: z.array(z.strictObject({ associateId: z.number().int(), associateName: z.string(), reason: InviteSkipReason })),
  /** Emails Microsoft 365 did not send (the invite is kept as `failed`). */
  failed: z.array(z.strictObject({ associateId: z.number().int(), associateName: z.string(), email: z.string(), code: z.string(), message: z.string() })),
});
export type InviteResult = z.output<typeof InviteResult>;

/** POST /api/public/invites/open: what the invited user sees, and how to sign in. */
export const InviteOpened = z.strictObject({
  organisation: z.string(),
  associateName: z.string(),
  email: z.string(),
  invitedBy: z.string(),
  expiresAt: Time,
  allowOtherMailbox: z.boolean(),
  /** The link's options when the associate is already linked; null until an administrator links them. */
  sync: z.strictObject({ diary: z.boolean(), task: z.boolean(), contact: z.boolean() }).nullable(),
  /** @azure/msal-browser settings: redirect flow, with the nonce the backend will check. */
  signIn: z.strictObject({
    clientId: z.string(),
    authority: z.url(),
    knownAuthorities: z.array(z.string()),
    redirectUri: z.url(),
    scopes: z.array(z.string()),
    nonce: z.string(),
    loginHint: z.string(),
    /**
     * The grant's sign-in: where the page sends the browser (authorization code + PKCE with the
     * delegated sync scopes; the backend keeps the verifier and redeems the code at ACCEPT_CALLBACK).
     */
    authorizeUrl: z.url(),
    /** The same, with Microsoft's account picker instead of the invited address as hint. */
    anotherAccountUrl: z.url(),
  }),
});
export type InviteOpened = z.output<typeof InviteOpened>;

/** The grant sign-in's callback → the mailbox now authorized (in the accept page's fragment). */
export const InviteAccepted = z.strictObject({ mailboxAddress: z.string(), displayName: z.string(), account: z.string() });
export type InviteAccepted = z.output<typeof InviteAccepted>;
