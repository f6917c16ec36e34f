import type { DemoAppointmentSeed } from './demo-appointments.js';

/**
 * The demo tenant both simulators serve: the same people seen from SuperOffice (associates with
 * the email on their contact card) and from Microsoft 365 (mailbox users). Generated
 * deterministically by `demoTenant()` in demo-tenant.ts.
 */

export interface DemoAssociate {
  /** `associateDbId` in the InternalUsers archive. */
  associateId: number;
  /** Short login name / initials (`assocName`). */
  assocName: string;
  /** SuperID user name (Online: an email address). */
  userName: string;
  fullName: string;
  firstName: string;
  lastName: string;
  personId: number;
  contactId: number;
  /** `assocType` display text; the InternalUsers archive holds employees. */
  assocType: 'Employee';
  usergroupId: number;
  usergroup: string;
  /** False for a retired associate ("Former employee"). */
  isActive: boolean;
  /** Primary (rank 1) email on the associate's contact person card; null when the card has none. */
  personEmail: string | null;
  /**
   * Every address on the card in the order the `email` rows were stored, with their `rank`, when
   * the card has more than one; the rank-1 address is `personEmail`.
   */
  cardEmails?: { address: string; rank: number }[];
  /** SuperOffice function rights; administrators have `admin-all`. */
  functionRights: string[];
  roleName: string;
}

/** What the mailbox check (`mailboxSettings/userPurpose`) answers; null means no Exchange Online mailbox (404). */
export type DemoUserPurpose = 'user' | 'shared' | 'room' | 'equipment' | 'linked' | 'others' | null;

export interface DemoMailbox {
  /** Graph user object id (lower-case GUID). */
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
  /** `SMTP:` marks the primary address, `smtp:` the aliases, no space after the colon. */
  proxyAddresses: string[];
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  userPurpose: DemoUserPurpose;
  /**
   * False when an administrator removed the user's licence: `assignedLicenses` is empty and the
   * Exchange plan stays in `assignedPlans` with `capabilityStatus: 'Deleted'` (Graph's
   * assignedPlan resource), while the mailbox itself is kept for a while (Exchange Online keeps an
   * unlicensed mailbox 30 days). Absent: licensed as the purpose says (user mailboxes are).
   */
  licensed?: boolean;
}

export interface DemoTenant {
  /** SuperOffice context identifier, e.g. `Cust12345`. */
  contextId: string;
  companyName: string;
  serial: string;
  /** Entra ID tenant id (GUID) and the verified domain the mailboxes use. */
  entraTenantId: string;
  domain: string;
  associates: DemoAssociate[];
  mailboxes: DemoMailbox[];
  /** Diary entries the SuperOffice simulator materialises at start (and on reset). */
  appointments?: DemoAppointmentSeed[];
}

/** `demo`: ~60 associates / ~80 mailboxes with the awkward cases; `large`: 10,000 / 50,000 for benchmarks. */
export type DemoSize = 'demo' | 'large';
