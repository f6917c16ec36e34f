import { z } from 'zod';
import { LinkId } from '../links/link.schemas.js';

/** A calendar date, `YYYY-MM-DD`, that exists (2026-02-30 does not). */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  .refine((d) => {
    const t = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
  }, { message: 'must be a date that exists' });

/**
 * POST /api/v1/explain: one linked user, optionally one kind, and a day and/or a subject to look
 * for. Contacts are found by the person's name (the subject); without a kind, a subject is
 * looked for among the diary, the tasks and the persons.
 */
export const ExplainBody = z
  .strictObject({
    linkId: LinkId,
    kind: z.enum(['diary', 'task', 'contact']).optional(),
    date: CalendarDate.optional(),
    subject: z.string().trim().min(2, { message: 'must be at least 2 characters' }).max(200).optional(),
  })
  .refine((b) => b.date !== undefined || b.subject !== undefined, { message: 'give a date, a subject, or both', path: ['date'] })
  .refine((b) => b.kind !== 'contact' || b.subject !== undefined, { message: "contacts are found by name: give the person's name as the subject", path: ['subject'] });
export type ExplainQuestion = z.output<typeof ExplainBody>;

/** What the engine decided about one item (see backend/explain/explain.service.ts). */
export const VERDICTS = ['synced', 'pending', 'out_of_window', 'kind_disabled', 'filtered_type', 'not_tagged', 'deleted', 'conflict', 'error', 'breaker', 'detached'] as const;
export type Verdict = (typeof VERDICTS)[number];

// ---- Answers ------------------------------------------------------------------------------------

const ExplainMapping = z.strictObject({
  state: z.enum(['pending', 'active', 'out_of_window', 'detached', 'error']),
  origin: z.enum(['superoffice', 'outlook']),
  superofficeId: z.number().int().nullable(),
  outlookId: z.string().nullable(),
  errorCount: z.number().int(),
  lastError: z.string().nullable(),
  updatedAt: z.string(),
});

export const ExplainItem = z.strictObject({
  kind: z.enum(['diary', 'task', 'contact']),
  side: z.enum(['superoffice', 'outlook']),
  id: z.string(),
  subject: z.string(),
  /** ISO instant, or the date for an all-day item or a task; null: a task without a due date, or a contact. */
  start: z.string().nullable(),
  private: z.boolean(),
  verdict: z.enum(VERDICTS),
  detail: z.string(),
  mapping: ExplainMapping.optional(),
});
export type ExplainItem = z.output<typeof ExplainItem>;

export const ExplainAnswer = z.strictObject({
  link: z.strictObject({
    id: z.string(),
    associateId: z.number().int(),
    associateName: z.string(),
    mailboxAddress: z.string(),
    diary: z.boolean(),
    task: z.boolean(),
    contact: z.boolean(),
    state: z.enum(['pending', 'in_sync', 'throttled', 'error', 'breaker', 'waiting_authorization']).nullable(),
    breakerDetail: z.string().nullable(),
  }),
  window: z.strictObject({ start: z.string(), end: z.string() }),
  searched: z.strictObject({ start: z.string(), end: z.string() }),
  /** More items matched than an explanation reads (per side and kind): narrow the search. */
  truncated: z.boolean(),
  items: z.array(ExplainItem),
});
export type ExplainResult = z.output<typeof ExplainAnswer>;
