import { z } from 'zod';
import { Link, LinkId } from '../links/link.schemas.js';
import { HEALTH_PROBLEM_KINDS } from './health.types.js';

/** The most problem keys one Ignore or Stop ignoring may name (a screenful of selection, and more). */
export const MAX_HEALTH_KEYS = 1000;

/** `${kind}:${linkId}` or `${kind}:a${associateId}` (health.types.ts), as the report answers it. */
const KEY = new RegExp(`^(${HEALTH_PROBLEM_KINDS.join('|')}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|a[1-9][0-9]{0,9})$`);
export const ProblemKey = z
  .string()
  .max(128)
  .transform((s) => s.toLowerCase())
  .refine((s) => KEY.test(s), { message: 'must be a health problem key, e.g. mailbox_disabled:<link id>' });

export const HealthKeysBody = z.strictObject({
  keys: z
    .array(ProblemKey)
    .min(1)
    .max(MAX_HEALTH_KEYS)
    .superRefine((keys, ctx) => {
      const seen = new Map<string, number>();
      keys.forEach((k, i) => {
        const first = seen.get(k);
        if (first === undefined) seen.set(k, i);
        else ctx.addIssue({ code: 'custom', path: [i], message: `this key also appears at position ${first}` });
      });
    }),
});
export type HealthKeysRequest = z.input<typeof HealthKeysBody>;

/**
 * POST /api/v1/health/repoint: the link whose contact-card email names another mailbox, and
 * optionally the version the caller saw (the report does not carry versions; the update is
 * conditional on the version read either way).
 */
export const RepointBody = z.strictObject({ linkId: LinkId, expectedVersion: z.number().int().min(1).optional() });
export type RepointRequest = z.input<typeof RepointBody>;

// ---- Answers ------------------------------------------------------------------------------------

export const HealthProblem = z.strictObject({
  key: z.string(),
  kind: z.enum(HEALTH_PROBLEM_KINDS),
  linkId: z.uuid().nullable(),
  associateId: z.number().int().nullable(),
  associateName: z.string().nullable(),
  mailboxId: z.string().nullable(),
  mailboxAddress: z.string().nullable(),
  message: z.string(),
  since: z.iso.datetime().nullable(),
});

/** GET /api/v1/health: the problems still to fix (ignored ones left out, and counted). */
export const HealthReport = z.strictObject({
  problems: z.array(HealthProblem),
  computedAt: z.iso.datetime(),
  ignored: z.number().int().min(0),
});
export type HealthReport = z.output<typeof HealthReport>;

export const IgnoreAnswer = z.strictObject({ ignored: z.number().int().min(0) });
export const UnignoreAnswer = z.strictObject({ unignored: z.number().int().min(1) });
export const RepointAnswer = z.strictObject({ link: Link });
