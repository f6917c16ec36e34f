import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * `application`: a Microsoft 365 admin consents once and every mailbox can be linked.
 * `oauth`: each mailbox owner authorizes the app first (invite → accept page); only authorized
 * mailboxes are listed and synchronized.
 */
export const TenantMode = z.enum(['application', 'oauth']);
export type TenantMode = z.output<typeof TenantMode>;

/** PATCH /api/v1/tenant: change the mode and/or the invite lifetime (audited; 409 VersionConflict when stale). */
export const TenantSettingsChange = z
  .strictObject({
    expectedVersion: z.number().int().min(1).max(2_147_483_647),
    mode: TenantMode.optional(),
    /** Days an invite stays valid. */
    inviteTtlDays: z.number().int().min(1).max(365).optional(),
  })
  .refine((b) => b.mode !== undefined || b.inviteTtlDays !== undefined, { message: 'Give mode and/or inviteTtlDays.' });
export type TenantSettingsChange = z.input<typeof TenantSettingsChange>;

/** Who wins a field both SuperOffice and Outlook changed since the last sync. */
export const ConflictWinner = z.enum(['superoffice', 'outlook']);

/** PUT /api/v1/tenant/sync-settings: the synchronizer's settings, all of them (audited; 409 VersionConflict when stale). */
export const SyncSettingsChange = z.strictObject({
  expectedVersion: z.number().int().min(1).max(2_147_483_647),
  /** Days back from today that are synchronized. */
  windowPastDays: z.number().int('must be a whole number of days from 0 to 365').min(0).max(365),
  /** Days ahead of today that are synchronized. */
  windowFutureDays: z.number().int('must be a whole number of days from 1 to 730').min(1).max(730),
  conflictWinner: ConflictWinner,
  /** The IANA zone SuperOffice's dates and all-day items are read in, e.g. `Europe/Oslo`. */
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone, such as Europe/Oslo'),
});
export type SyncSettingsChange = z.input<typeof SyncSettingsChange>;

// ---- Answers ------------------------------------------------------------------------------------

const Time = z.iso.datetime();

/** The invite email as the administrator last wrote it (remembered per tenant). */
export const InviteDefaults = z.strictObject({
  /** The mailbox invites are sent from (Graph `sendMail`); null until an administrator sets one. */
  senderAddress: z.string().nullable(),
  senderName: z.string(),
  subject: z.string(),
  /** Plain text; `{name}`, `{link}`, `{expires}` and `{organisation}` are filled in per invite. */
  message: z.string(),
  /** Let the invited user authorize a mailbox other than the invited address (recorded as such). */
  allowOtherMailbox: z.boolean(),
});
export type InviteDefaults = z.output<typeof InviteDefaults>;

/** GET /api/v1/tenant, and the answer of PATCH /api/v1/tenant. */
export const TenantInfo = z.strictObject({
  id: z.string(),
  mode: TenantMode,
  /** Days an invite stays valid, 1–365 (default 14). */
  inviteTtlDays: z.number().int().min(1).max(365),
  version: z.number().int().min(1),
  invites: InviteDefaults,
  microsoft: z.strictObject({
    configured: z.boolean(),
    connected: z.boolean(),
    entraTenantId: z.string().nullable(),
    /** The organisation's name (Graph `/organization` displayName); null when unknown (e.g. Organization.Read.All not approved). */
    organizationName: z.string().nullable(),
    consentedAt: Time.nullable(),
  }),
  /** What the synchronizer does for this tenant: the date window, who wins conflicts, the time zone. */
  sync: z.strictObject({
    windowPastDays: z.number().int().min(0).max(365),
    windowFutureDays: z.number().int().min(1).max(730),
    conflictWinner: ConflictWinner,
    timeZone: z.string(),
  }),
  /** The manifest's web panels, provisioned when an administrator signs in (or by `npm run deploy`). */
  panels: z.strictObject({ provisionedAt: Time.nullable(), error: z.string().nullable() }),
});
export type TenantInfo = z.output<typeof TenantInfo>;
