import { z } from 'zod';

/** GET /api/v1/mailboxes `?cursor=`: the `next` of the page before, to page on. */
export const MailboxQuery = z.strictObject({ cursor: z.url().max(4000).optional() });

/** POST /api/v1/mailboxes/check `{ ids }`: Graph user ids to probe. */
export const CheckBody = z.strictObject({
  ids: z.array(z.guid().transform((s) => s.toLowerCase())).min(1).max(1000),
});
export type CheckRequest = z.input<typeof CheckBody>;

/** POST /api/v1/microsoft/consent takes no input. */
export const ConsentBody = z.strictObject({});

// ---- Answers ------------------------------------------------------------------------------------

/** One Microsoft 365 user as Load External Users lists it. */
export const Mailbox = z.strictObject({
  /** Graph user object id (a GUID, lower-case). */
  id: z.guid(),
  displayName: z.string(),
  /** The primary SMTP address (the `SMTP:` proxy, else `mail`), as Graph spells it. */
  primaryAddress: z.string().nullable(),
  /** Every SMTP address (primary and aliases), lower-case. */
  addresses: z.array(z.string()),
  userPrincipalName: z.string(),
  accountEnabled: z.boolean(),
  guest: z.boolean(),
});
export type Mailbox = z.output<typeof Mailbox>;

/** GET /api/v1/mailboxes: one page of Load External Users. */
export const MailboxPage = z.strictObject({
  mailboxes: z.array(Mailbox),
  /** Pass back as `cursor` for the next page; null on the last page. */
  next: z.string().nullable(),
  /** All users in the directory, when Graph tells (first page only). */
  total: z.number().int().min(0).nullable(),
});
export type MailboxPage = z.output<typeof MailboxPage>;

/** What the `userPurpose` probe found for one user. */
export const MailboxKind = z.enum(['user', 'shared', 'room', 'equipment', 'linked', 'others', 'noMailbox', 'notFound', 'unknown']);
export type MailboxKind = z.output<typeof MailboxKind>;

/** POST /api/v1/mailboxes/check. */
export const CheckAnswer = z.strictObject({ results: z.array(z.strictObject({ id: z.guid(), kind: MailboxKind })) });

/** POST /api/v1/microsoft/consent: the admin-consent page to open in a popup. */
export const ConsentAnswer = z.strictObject({ url: z.url() });
