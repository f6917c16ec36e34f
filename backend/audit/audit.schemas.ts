import { z } from 'zod';
import { opaqueText } from '../http/text.js';
import { AUDIT_CATEGORIES, type AuditCategory } from './audit.categories.js';

export { AUDIT_CATEGORIES, type AuditCategory } from './audit.categories.js';

const DAY_MS = 86_400_000;
/** The product keeps no entry older than this, and SQL Server's `datetime2` ends at 9999. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);

/**
 * A bound of the date filter: an instant (`2026-12-03T10:00:00Z`, with any offset) or a UTC day
 * (`2026-12-03`). Read as the span it names, so `to=2026-12-03` takes the whole of that day.
 */
const when = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((text) => {
    const start = Date.parse(text.length === 10 ? `${text}T00:00:00.000Z` : text);
    return { start, end: text.length === 10 ? start + DAY_MS : start + 1 };
  })
  .refine((t) => t.start >= EARLIEST && t.end <= LATEST + DAY_MS, 'must be between 2000-01-01 and 9999-12-31');

/** An action name as the product writes them: `link.options_changed`. */
const actionName = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/, 'must be an action name such as link.removed');

/** The filters GET /api/v1/audit and GET /api/v1/audit/export share. */
const filterShape = {
  /** The associate who acted. */
  actor: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  category: z.enum(AUDIT_CATEGORIES).optional(),
  action: actionName.optional(),
  entityId: opaqueText(64).optional(),
  /** From this instant or day on (inclusive). */
  from: when.optional(),
  /** Up to this instant or to the end of this day (inclusive). */
  to: when.optional(),
};

/** What the repository filters by: times as epoch milliseconds, `from` inclusive, `until` exclusive. */
export interface AuditFilter {
  actor?: number;
  category?: AuditCategory;
  action?: string;
  entityId?: string;
  since?: number;
  until?: number;
}

function toFilter<T extends { from?: { start: number }; to?: { end: number } }>(q: T): Omit<T, 'from' | 'to'> & { since?: number; until?: number } {
  const { from, to, ...rest } = q;
  return { ...rest, ...(from ? { since: from.start } : {}), ...(to ? { until: to.end } : {}) };
}

const ordered = (q: { from?: { start: number }; to?: { end: number } }) => !q.from || !q.to || q.from.start < q.to.end;
const ORDER = { message: 'from must not be after to', path: ['from'] };

/** GET /api/v1/audit `?limit&before&actor&category&action&entityId&from&to`. */
export const AuditQuery = z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    before: z.coerce.number().int().min(1).optional(),
    ...filterShape,
  })
  .refine(ordered, ORDER)
  .transform(toFilter);

/** GET /api/v1/audit/export: the same filters, no paging (the file holds every matching entry). */
export const AuditExportQuery = z.strictObject(filterShape).refine(ordered, ORDER).transform(toFilter);

/** GET /api/v1/audit/actors: no parameters. */
export const AuditActorsQuery = z.strictObject({});

// ---- Answers ------------------------------------------------------------------------------------

export const AuditEntry = z.strictObject({
  id: z.number().int(),
  at: z.iso.datetime(),
  actor: z.strictObject({ associateId: z.number().int(), name: z.string() }),
  action: z.string(),
  /** The action's category (by its name's prefix), as the `category` filter reads it. */
  category: z.enum(AUDIT_CATEGORIES),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.output<typeof AuditEntry>;

/** GET /api/v1/audit: newest first; `nextBefore` pages on. */
export const AuditPage = z.strictObject({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() });

/** GET /api/v1/audit/actors: everyone who appears in the tenant's audit log, by name, each under the name of their newest entry. */
export const AuditActors = z.strictObject({
  actors: z.array(z.strictObject({ associateId: z.number().int(), name: z.string() })),
});
