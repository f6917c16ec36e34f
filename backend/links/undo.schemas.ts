import { z } from 'zod';
import { Link, LinkIds, MAX_BATCH } from './link.schemas.js';

/**
 * How long what an administrator did can be undone, and a removed link restored, in days. The
 * same for all three actions: an administrator who notices a mistake a week later should not
 * have to know which button it came from.
 */
export const UNDO_DAYS = 30;

/** POST /api/v1/links/removed/restore: the removed links to put back. */
export const RestoreBody = z.strictObject({ ids: LinkIds(MAX_BATCH) });

/**
 * POST /api/v1/links/removed/purge: `confirm: true` and `count`, the number of users the
 * confirmation showed, so a request sent by mistake (or with another selection) deletes nothing.
 */
export const PurgeBody = z
  .strictObject({
    ids: LinkIds(MAX_BATCH),
    confirm: z.literal(true, { message: 'must be true: purging deletes for good' }),
    count: z.number().int().min(1).max(MAX_BATCH),
  })
  .refine((b) => b.count === b.ids.length, { path: ['count'], message: 'must be the number of ids' });

export const UndoActionId = z.uuid({ message: 'must be an action id' }).transform((s) => s.toLowerCase());

/** POST /api/v1/undo. */
export const UndoBody = z.strictObject({ actionId: UndoActionId });

// ---- Answers ------------------------------------------------------------------------------------

const Time = z.iso.datetime();
const Count = z.number().int().min(0);

/** A removed link: what it was (options, rank, version), who removed it when, and what is kept of it. */
export const RemovedLink = z.strictObject({
  id: z.uuid(),
  associateId: z.number().int(),
  associateName: z.string(),
  mailboxId: z.guid(),
  mailboxAddress: z.string(),
  diary: z.boolean(),
  task: z.boolean(),
  contact: z.boolean(),
  rank: z.number().int().min(1).max(99),
  version: z.number().int().min(1),
  removedAt: Time,
  removedBy: z.strictObject({ associateId: z.number().int(), name: z.string() }),
  /** After this, the periodic sweep purges it. */
  restorableUntil: Time,
  /** Mappings kept (items that were in sync, any state) and conflict records. */
  historyRows: Count,
  conflicts: Count,
});
export type RemovedLink = z.output<typeof RemovedLink>;

/** GET /api/v1/links/removed: every restorable removal of the tenant, newest first. */
export const RemovedLinkList = z.strictObject({ removed: z.array(RemovedLink), restorableDays: z.number().int().min(1) });
/** POST /api/v1/links/removed/restore: the links as they are again. */
export const RestoreAnswer = z.strictObject({ restored: z.array(Link) });
/** POST /api/v1/links/removed/purge: what was deleted for good. */
export const PurgeAnswer = z.strictObject({ purged: z.strictObject({ links: Count, historyRows: Count }) });

export const UndoKind = z.enum(['links.added', 'links.options_saved', 'links.removed']);
export type UndoKind = z.output<typeof UndoKind>;

/** One recent action that can still be undone. */
export const UndoAction = z.strictObject({
  id: z.uuid(),
  /** Save Added Users, Save Users Options or Remove Selected Users. */
  kind: UndoKind,
  at: Time,
  actor: z.strictObject({ associateId: z.number().int(), name: z.string() }),
  /** How many links it touched, and the names of the first few. */
  links: Count,
  names: z.array(z.string()),
  undoableUntil: Time,
});
export type UndoAction = z.output<typeof UndoAction>;

/** GET /api/v1/undo: the tenant's undoable actions, newest first. */
export const UndoList = z.strictObject({ actions: z.array(UndoAction) });
/** POST /api/v1/undo: what undoing did (`links`: how many links it put back or removed). */
export const UndoAnswer = z.strictObject({ undone: z.strictObject({ id: z.uuid(), kind: UndoKind, links: Count }) });
