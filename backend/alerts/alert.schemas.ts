import { z } from 'zod';
import { HEALTH_PROBLEM_KINDS } from '../health/health.types.js';

/** The most administrators one digest goes to (one Graph `$batch` of 20 is plenty; a list, not a mailing list). */
export const MAX_RECIPIENTS = 20;

/** An associate id as SuperOffice gives them. */
const AssociateId = z.number().int().min(1).max(2_147_483_647);

/**
 * The webhook's address: https only (the body is signed, not encrypted), no user name or
 * password in it (they would end up in logs and audit rows), at most 2,048 characters.
 */
export const WebhookUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an https:// URL without a user name or password');

/** PUT /api/v1/alerts/settings: all the settings (audited; 409 VersionConflict when stale). */
export const AlertSettingsChange = z.strictObject({
  /** The version GET answered; 0 before the settings were first saved. */
  expectedVersion: z.number().int().min(0).max(2_147_483_647),
  enabled: z.boolean(),
  /** Associate ids of SuperOffice administrators of the tenant, each with an e-mail on the contact card. */
  recipients: z.array(AssociateId).max(MAX_RECIPIENTS).refine((ids) => new Set(ids).size === ids.length, 'must not name an associate twice'),
  /** The hour of day (UTC) the digest goes out. */
  hourUtc: z.number().int().min(0).max(23),
  webhookUrl: WebhookUrl.nullable(),
});
export type AlertSettingsChange = z.input<typeof AlertSettingsChange>;

/** POST /api/v1/alerts/test: which channels to try (both by default). */
export const AlertTestBody = z.strictObject({
  email: z.boolean().default(true),
  webhook: z.boolean().default(true),
});
export type AlertTestRequest = z.input<typeof AlertTestBody>;

/** POST /api/v1/alerts/webhook/secret: no fields (the secret is made by the server). */
export const WebhookSecretBody = z.strictObject({});

// ---- Answers ------------------------------------------------------------------------------------

const Time = z.iso.datetime();

export const AlertRecipient = z.strictObject({
  associateId: z.number().int(),
  name: z.string(),
  email: z.string(),
});
export type AlertRecipient = z.output<typeof AlertRecipient>;

/** GET /api/v1/alerts/settings and the answer of PUT: never the webhook secret, only whether there is one. */
export const AlertSettings = z.strictObject({
  enabled: z.boolean(),
  recipients: z.array(AlertRecipient),
  hourUtc: z.number().int().min(0).max(23),
  webhookUrl: z.string().nullable(),
  webhookSecretSet: z.boolean(),
  /** 0 until the settings are first saved. */
  version: z.number().int().min(0),
  /** The last digest sent (or tried), if any. */
  lastDigest: z
    .strictObject({
      day: z.string(),
      problems: z.number().int().min(0),
      deliveries: z.array(z.strictObject({ channel: z.string(), state: z.enum(['pending', 'sending', 'sent', 'failed', 'lost']), error: z.string().nullable() })),
    })
    .nullable(),
});
export type AlertSettings = z.output<typeof AlertSettings>;

/** GET /api/v1/alerts/admins: who can receive the digest (SuperOffice administrators seen signing in here). */
export const AlertAdminList = z.strictObject({
  admins: z.array(
    z.strictObject({
      associateId: z.number().int(),
      name: z.string(),
      /** The contact card's primary e-mail; null: it cannot be chosen. */
      email: z.string().nullable(),
      active: z.boolean(),
    }),
  ),
});
export type AlertAdminList = z.output<typeof AlertAdminList>;

/** POST /api/v1/alerts/webhook/secret: the new secret, shown this once. */
export const WebhookSecretAnswer = z.strictObject({ secret: z.string().regex(/^whsec_[A-Za-z0-9_-]{43}$/), version: z.number().int().min(1) });

const Outcome = z.strictObject({
  channel: z.string(),
  /** The e-mail address or the webhook URL. */
  address: z.string(),
  ok: z.boolean(),
  /** HTTP status Graph or the webhook gave; 0: no answer. */
  status: z.number().int(),
  message: z.string(),
});

/** POST /api/v1/alerts/test: what happened on each channel. */
export const AlertTestAnswer = z.strictObject({
  sentAt: Time,
  /** The health report's problems the test carried (what it shows now, without the ignored); null when it could not be read. */
  problems: z.number().int().nullable(),
  /** Why the health report could not be read (the test went out saying so). */
  unreadable: z.string().optional(),
  outcomes: z.array(Outcome),
});
export type AlertTestAnswer = z.output<typeof AlertTestAnswer>;

/** The webhook's body: the tenant, when, and the new problems (a test sends `test: true` and the problems the health report shows now). */
export const WebhookPayload = z.strictObject({
  tenantId: z.string(),
  generatedAt: Time,
  test: z.boolean().optional(),
  problems: z.array(
    z.strictObject({
      key: z.string(),
      kind: z.enum(HEALTH_PROBLEM_KINDS),
      linkId: z.string().nullable(),
      associateId: z.number().int().nullable(),
      associateName: z.string().nullable(),
      mailboxId: z.string().nullable(),
      mailboxAddress: z.string().nullable(),
      message: z.string(),
      since: z.string().nullable(),
    }),
  ),
});
export type WebhookPayload = z.output<typeof WebhookPayload>;
