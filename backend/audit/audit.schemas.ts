import { z } from 'zod';
import { opaqueText } from '../http/text.js';

/** GET /api/v1/audit `?limit&before&entityId`. */
export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
  entityId: opaqueText(64).optional(),
});

// ---- Answers ------------------------------------------------------------------------------------

export const AuditEntry = z.strictObject({
  id: z.number().int(),
  at: z.iso.datetime(),
  actor: z.strictObject({ associateId: z.number().int(), name: z.string() }),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
});
export type AuditEntry = z.output<typeof AuditEntry>;

/** GET /api/v1/audit: newest first; `nextBefore` pages on. */
export const AuditPage = z.strictObject({ entries: z.array(AuditEntry), nextBefore: z.number().int().nullable() });
