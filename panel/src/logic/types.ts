/**
 * The JSON contract of `/api/v1`, as the panel uses it. The types come from the backend's zod
 * schemas (backend/contract.ts), imported type-only: erased at build, so no zod reaches the
 * bundle, and the compiler sees when the panel and the API disagree.
 */
import type { LinkedUser, NewLink } from '../../../backend/contract.js';

export type {
  Associate,
  Authorization,
  AuthorizationRevokeResult,
  ErrorCode,
  Invite,
  InviteAccepted,
  InviteDefaults,
  InviteOpened,
  InviteRequest,
  InviteResult,
  InviteSkipReason,
  InviteState,
  KindState,
  KindSync,
  Link,
  LinkAuthorization,
  LinkedUser,
  LinkSync,
  Mailbox,
  MailboxKind,
  MailboxPage,
  NewLink,
  OptionsChange,
  RemovalCounts,
  SessionInfo,
  SyncReleaseAnswer,
  SyncRunAnswer,
  SyncSettingsChange,
  SyncState,
  TenantInfo,
  TenantMode,
  TenantSettingsChange,
  TicketSignIn,
} from '../../../backend/contract.js';

/** What Auto Link Users and Link User need to know of a link, saved ({@link LinkedUser}) or unsaved ({@link NewLink}). */
export type LinkRef = Pick<NewLink, 'associateId' | 'associateName' | 'mailboxId' | 'mailboxAddress'>;

/** What Save Users Options changes per linked user (Server Rank is an integer 1–99). */
export type LinkOptions = Pick<LinkedUser, 'diary' | 'task' | 'contact' | 'rank'>;
