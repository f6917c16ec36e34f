import { z } from 'zod';
import { displayText } from '../http/text.js';

/** The most links one request may add, change or remove. */
export const MAX_BATCH = 20_000;

export const LinkId = z.uuid({ message: 'must be a link id' }).transform((s) => s.toLowerCase());
export const AssociateId = z.number().int().min(1).max(2_147_483_647);
export const Rank = z
  .number({ message: 'Server Rank must be a whole number from 1 to 99' })
  .int('Server Rank must be a whole number from 1 to 99')
  .min(1, 'Server Rank must be a whole number from 1 to 99')
  .max(99, 'Server Rank must be a whole number from 1 to 99');
/** Graph user object ids are GUIDs; compare them lower-case. */
export const MailboxId = z.guid({ message: 'must be a Microsoft Graph user id (GUID)' }).transform((s) => s.toLowerCase());
export const MailboxAddress = z.email({ message: 'must be an email address' }).max(320);
/** As SuperOffice shows it; one line, nothing invisible or reordering (see displayText). */
export const AssociateName = displayText(200);

export const NewLink = z.strictObject({
  associateId: AssociateId,
  associateName: AssociateName,
  mailboxId: MailboxId,
  mailboxAddress: MailboxAddress,
  diary: z.boolean().default(true),
  task: z.boolean().default(true),
  contact: z.boolean().default(true),
  rank: Rank.default(1),
});
export type NewLink = z.output<typeof NewLink>;

/** Reports every value that appears more than once in one batch. */
function unique<T>(
  items: T[],
  key: (item: T) => string | number,
  field: string | null,
  label: string,
  ctx: z.RefinementCtx,
) {
  const seen = new Map<string | number, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else {
      const path = field === null ? [i] : [i, field];
      ctx.addIssue({ code: 'custom', path, message: `${label} also appears at position ${first}` });
    }
  });
}

export const SaveLinksBody = z.strictObject({
  links: z
    .array(NewLink)
    .min(1)
    .max(MAX_BATCH)
    .superRefine((links, ctx) => {
      unique(links, (l) => l.associateId, 'associateId', 'this associate', ctx);
      unique(links, (l) => l.mailboxId, 'mailboxId', 'this mailbox', ctx);
    }),
});

export const OptionsChange = z.strictObject({
  id: LinkId,
  diary: z.boolean(),
  task: z.boolean(),
  contact: z.boolean(),
  rank: Rank,
  expectedVersion: z.number().int().min(1).max(2_147_483_647),
});
export type OptionsChange = z.output<typeof OptionsChange>;

export const SaveOptionsBody = z.strictObject({
  changes: z
    .array(OptionsChange)
    .min(1)
    .max(MAX_BATCH)
    .superRefine((changes, ctx) => unique(changes, (c) => c.id, 'id', 'this link', ctx)),
});

/** 1 to `max` link ids, each once. */
export const LinkIds = (max: number) =>
  z
    .array(LinkId)
    .min(1)
    .max(max)
    .superRefine((ids, ctx) => unique(ids, (id) => id, null, 'this link', ctx));

export const RemoveBody = z.strictObject({ ids: LinkIds(MAX_BATCH) });

// ---- Answers ------------------------------------------------------------------------------------

/** A link's authorization in OAuth mode; null in application mode. */
export const LinkAuthorization = z.enum(['authorized', 'revoked', 'missing']).nullable();
export type LinkAuthorization = z.output<typeof LinkAuthorization>;

const Time = z.iso.datetime();

/** A saved link as the API answers it (Save Added Users and Save Users Options answer these). */
export const Link = z.strictObject({
  id: z.uuid(),
  associateId: AssociateId,
  associateName: z.string(),
  mailboxId: z.guid(),
  mailboxAddress: z.string(),
  diary: z.boolean(),
  task: z.boolean(),
  contact: z.boolean(),
  rank: z.number().int().min(1).max(99),
  /**
   * `disabled` when Diary, Task and Contact are all off, or (OAuth mode) the mailbox is not
   * authorized: kept, with its history and options, but not synchronized.
   */
  state: z.enum(['active', 'disabled']),
  /** OAuth mode: whether the mailbox owner has authorized the app; null in application mode. */
  authorization: LinkAuthorization,
  version: z.number().int().min(1),
  createdBy: z.number().int(),
  createdAt: Time,
  updatedBy: z.number().int(),
  updatedAt: Time,
});
export type Link = z.output<typeof Link>;

/**
 * Where synchronization of a linked user stands, as an administrator reads it:
 * `disabled` (Diary, Task and Contact all off), `waiting_authorization` (OAuth mode: not
 * synchronized yet), `syncing` (a worker holds the mailbox now), else what the last pass left:
 * `pending` (not synchronized yet, or due again), `in_sync`, `throttled`, `error`, `breaker`
 * (stopped by the circuit breaker until an administrator resumes it).
 */
export const SyncState = z.enum(['in_sync', 'syncing', 'pending', 'throttled', 'error', 'breaker', 'disabled', 'waiting_authorization']);
export type SyncState = z.output<typeof SyncState>;

const Count = z.number().int().min(0);

/**
 * Where one kind of a linked user stands: `off` (the option is off: nothing of that kind is read
 * or written, its items in sync are kept), `waiting_authorization` (as the link), `pending` (on,
 * but no pass of that kind has run yet), else what its last pass left: `in_sync`, `throttled`,
 * `error`, `breaker`.
 */
export const KindState = z.enum(['off', 'pending', 'in_sync', 'throttled', 'error', 'breaker', 'waiting_authorization']);
export type KindState = z.output<typeof KindState>;

export const KindSync = z.strictObject({
  state: KindState,
  /** That kind's items in sync (its active mappings). */
  itemsInSync: Count,
  lastSuccessAt: Time.nullable(),
  /** What that kind's last good pass did; null before it has one. */
  lastPass: z.strictObject({ created: Count, updated: Count, deleted: Count, conflicts: Count }).nullable(),
  /** Plain words: that kind's last error (or what stopped the breaker); null when there is nothing to say. */
  message: z.string().nullable(),
});
export type KindSync = z.output<typeof KindSync>;

export const LinkSync = z.strictObject({
  state: SyncState,
  lastSuccessAt: Time.nullable(),
  nextDueAt: Time.nullable(),
  /** The user's items in sync (their active mappings); the same number as `historyCount`. */
  itemsInSync: Count,
  /** What the last pass did; null before the first pass. */
  lastPass: z.strictObject({ created: Count, updated: Count, deleted: Count, conflicts: Count }).nullable(),
  /** In plain words: why it is in this state (the last error, what stopped the breaker); null when there is nothing to say. */
  message: z.string().nullable(),
  /** Each kind on its own: one may fail while the others stay in sync. */
  kinds: z.strictObject({ diary: KindSync, task: KindSync, contact: KindSync }),
});
export type LinkSync = z.output<typeof LinkSync>;

/** GET /api/v1/links → `{ links: LinkedUser[] }`: a saved link with its items in sync and its sync status. */
export const LinkedUser = Link.extend({ historyCount: Count, sync: LinkSync });
export type LinkedUser = z.output<typeof LinkedUser>;

/**
 * GET /api/v1/links `?cursor&limit`: one page, in list order (name, then id). SQLite answers
 * synchronously, so a page is what holds the event loop: 500 links 16–19 ms on the bench's
 * machine, 1,000 links 24–29 ms (at the 30 ms budget, and over it when the collector runs), so no
 * client may ask for more than 500; smaller pages may be asked for.
 */
export const LINK_PAGE_DEFAULT = 500;
export const LINK_PAGE_MAX = 500;
export const LinksQuery = z.object({
  limit: z.coerce
    .number({ message: `must be a whole number from 1 to ${LINK_PAGE_MAX}` })
    .int(`must be a whole number from 1 to ${LINK_PAGE_MAX}`)
    .min(1, `must be a whole number from 1 to ${LINK_PAGE_MAX}`)
    .max(LINK_PAGE_MAX, `must be a whole number from 1 to ${LINK_PAGE_MAX}`)
    .default(LINK_PAGE_DEFAULT),
  cursor: z.string().min(1).max(1000).optional(),
});
/** A page of the list; `nextCursor` fetches the next one, null on the last. */
export const LinkList = z.strictObject({ links: z.array(LinkedUser), nextCursor: z.string().min(1).nullable() });
/** POST /api/v1/links: the links created, and those that were already there exactly so. */
export const SaveLinksAnswer = z.strictObject({ created: z.array(Link), unchanged: z.array(Link) });
/** PATCH /api/v1/links. */
export const SaveOptionsAnswer = z.strictObject({ updated: z.array(Link), unchanged: z.array(Link) });

/** POST /api/v1/links/removal-preview, and what POST /api/v1/links/removal removed. */
export const RemovalCounts = z.strictObject({
  links: z.number().int().min(0),
  historyRows: z.number().int().min(0),
  users: z.array(z.strictObject({ id: z.uuid(), associateName: z.string(), mailboxAddress: z.string(), historyRows: z.number().int().min(0) })),
});
export type RemovalCounts = z.output<typeof RemovalCounts>;
/** POST /api/v1/links/removal: what was removed, and until when it can be restored (GET /api/v1/links/removed). */
export const RemovalAnswer = z.strictObject({ removed: RemovalCounts, restorableUntil: Time });
