/**
 * The health report's problems, shared by the report (health.service.ts), its panel tab and the
 * daily digest / outgoing webhook (backend/alerts/). A problem's `key` is stable while the problem
 * lasts (kind + the link, associate or mailbox it is about), so the digest can tell a new problem
 * from one it already reported, and "ignore" can be remembered.
 */
export const HEALTH_PROBLEM_KINDS = [
  /** A linked associate is retired (no longer active) in SuperOffice. */
  'associate_retired',
  /** A linked associate's contact card has no email address any more. */
  'associate_email_missing',
  /** A linked mailbox no longer exists in Microsoft 365. */
  'mailbox_deleted',
  /** A linked mailbox's account is disabled (sign-in blocked). */
  'mailbox_disabled',
  /** A linked mailbox became a shared or room/equipment mailbox. */
  'mailbox_not_user',
  /** A linked mailbox's user lost the Exchange Online licence. */
  'mailbox_unlicensed',
  /** The contact-card email differs from the linked mailbox's primary address. */
  'email_mismatch',
  /** An active associate whose email matches a user mailbox that is not linked. */
  'unlinked_match',
  /** OAuth mode: the mailbox owner's grant expired or was revoked. */
  'grant_lost',
  /** The synchronizer's circuit breaker stopped the link. */
  'sync_breaker',
  /** The link has been in error for more than a day. */
  'sync_error',
] as const;
export type HealthProblemKind = (typeof HEALTH_PROBLEM_KINDS)[number];

export interface HealthProblem {
  /** Stable while the problem lasts: `${kind}:${linkId | 'a' + associateId}`. */
  key: string;
  kind: HealthProblemKind;
  linkId: string | null;
  associateId: number | null;
  associateName: string | null;
  mailboxId: string | null;
  mailboxAddress: string | null;
  /** Plain English, one line, for logs, the digest and the webhook (the panel has its own words per kind). */
  message: string;
  /** When the problem was first seen (ISO), when known. */
  since: string | null;
}

/** Computes a tenant's current problems (the report's own computation; the digest calls the same). */
export type HealthSource = (tenantId: string, signal?: AbortSignal) => Promise<HealthReading>;

/**
 * What a computation of the report read: the problems, and each associate's state and
 * contact-card e-mail as SuperOffice has them now (the digest addresses its recipients by these).
 */
export interface HealthReading {
  problems: HealthProblem[];
  associates: ReadonlyMap<number, { active: boolean; email: string | null }>;
}
