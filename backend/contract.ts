/**
 * The JSON contract of the API in one place: the zod schemas the backend parses requests with,
 * the schemas of its answers, and the types derived from them (`z.input` for what a client sends,
 * `z.output` for what it receives). The panel imports these types type-only, so no zod reaches its
 * bundle; the tests parse every answer the backend gives with {@link ANSWERS}.
 * Imports schema files only: the panel's type-check reads them. Top-level, beside app.ts: it
 * gathers every feature's schemas, so inside a feature folder it would tie the folders together.
 */
import { z } from 'zod';
import { AuditActors, AuditPage } from './audit/audit.schemas.js';
import { SessionInfo, TicketSignIn } from './auth/session.schemas.js';
import { AuthorizationList, AuthorizationRevokeResult } from './authorizations/authorization.schemas.js';
import { InviteList, InviteOpened, InviteResult, RevokeInvitesAnswer } from './invites/invite.schemas.js';
import { ImportApplied, ImportPreview } from './links/link-csv.schemas.js';
import { LinkList, RemovalAnswer, RemovalCounts, SaveLinksAnswer, SaveOptionsAnswer, SaveLinksBody, SaveOptionsBody, RemoveBody } from './links/link.schemas.js';
import { CheckAnswer, ConsentAnswer, MailboxPage } from './microsoft/microsoft.schemas.js';
import { AssociateList } from './superoffice/associate.schemas.js';
import { SyncLinksBody, SyncReleaseAnswer, SyncRunAnswer } from './sync-admin/sync-admin.schemas.js';
import { TenantInfo } from './tenants/tenant.schemas.js';
import { ERROR_CODES, type ErrorCode } from './http/error-codes.js';
import { HealthKeysBody, HealthReport as HealthReportAnswer, IgnoreAnswer, RepointAnswer, RepointBody, UnignoreAnswer } from './health/health.schemas.js';
import { AlertAdminList, AlertSettings, AlertTestAnswer, WebhookSecretAnswer } from './alerts/alert.schemas.js';
import { ExplainAnswer, ExplainBody } from './explain/explain.schemas.js';
import { PurgeAnswer, PurgeBody, RemovedLinkList, RestoreAnswer, RestoreBody, UndoAnswer, UndoBody, UndoList } from './links/undo.schemas.js';
import { ProposalAnswer, RanksAnswer, type ProposalRequest } from './ranks/ranks.schemas.js';

export type { AuditCategory, AuditEntry } from './audit/audit.schemas.js';
export type { SessionInfo, TicketRequest, TicketSignIn } from './auth/session.schemas.js';
export type { Authorization, AuthorizationRevokeResult } from './authorizations/authorization.schemas.js';
export type { Invite, InviteAccepted, InviteOpened, InviteRequest, InviteResult, InviteSkipReason, InviteState } from './invites/invite.schemas.js';
export type { ImportApplied, ImportCounts, ImportPreview, ImportRow } from './links/link-csv.schemas.js';
export type { KindState, KindSync, Link, LinkAuthorization, LinkedUser, LinkSync, NewLink, OptionsChange, RemovalCounts, SyncState } from './links/link.schemas.js';
export type { CheckRequest, Mailbox, MailboxKind, MailboxPage } from './microsoft/microsoft.schemas.js';
export type { Associate } from './superoffice/associate.schemas.js';
export type { InviteDefaults, SyncSettingsChange, TenantInfo, TenantMode, TenantSettingsChange } from './tenants/tenant.schemas.js';
export { ERROR_CODES, type ErrorCode };
export type { RemovedLink, UndoAction, UndoKind } from './links/undo.schemas.js';

/** The removed users (GET, restore, purge) and Undo (GET, POST), as the client sends and receives them. */
export type RestoreRequest = z.input<typeof RestoreBody>;
export type PurgeRequest = z.input<typeof PurgeBody>;
export type UndoRequest = z.input<typeof UndoBody>;
export type RemovedLinkList = z.output<typeof RemovedLinkList>;
export type RestoreAnswer = z.output<typeof RestoreAnswer>;
export type PurgeAnswer = z.output<typeof PurgeAnswer>;
export type UndoList = z.output<typeof UndoList>;
export type UndoAnswer = z.output<typeof UndoAnswer>;
export type { AlertAdminList, AlertRecipient, AlertSettings, AlertSettingsChange, AlertTestAnswer, AlertTestRequest, WebhookPayload } from './alerts/alert.schemas.js';
export type { ExplainItem, Verdict } from './explain/explain.schemas.js';

/** POST /api/v1/links, PATCH /api/v1/links, and the removal endpoints, as the client sends them. */
export type SaveLinksRequest = z.input<typeof SaveLinksBody>;
export type SaveOptionsRequest = z.input<typeof SaveOptionsBody>;
export type RemoveRequest = z.input<typeof RemoveBody>;

export type SaveLinksAnswer = z.output<typeof SaveLinksAnswer>;
export type SaveOptionsAnswer = z.output<typeof SaveOptionsAnswer>;
export type RemovalAnswer = z.output<typeof RemovalAnswer>;
/** POST /api/v1/sync/run and POST /api/v1/sync/release. */
export type SyncLinksRequest = z.input<typeof SyncLinksBody>;
export type SyncRunAnswer = z.output<typeof SyncRunAnswer>;
export type SyncReleaseAnswer = z.output<typeof SyncReleaseAnswer>;
/** POST /api/v1/explain ("Why didn't this sync?"). */
export type ExplainRequest = z.input<typeof ExplainBody>;
export type ExplainAnswer = z.output<typeof ExplainAnswer>;
/** GET /api/v1/ranks and POST /api/v1/ranks/proposal (Server Rank balancing). */
export type RankLoadAnswer = z.output<typeof RanksAnswer>;
export type RankProposal = z.output<typeof ProposalAnswer>;
export type { ProposalRequest as RankProposalRequest };

/** One problem of a refused request; `path` names the field (`body.links.3.rank`). */
export const ErrorDetail = z.looseObject({ path: z.string().optional(), code: z.string().optional(), message: z.string() });
export type ErrorDetail = z.output<typeof ErrorDetail>;

/** Every refusal: `{"error":{"code","message","details"}}`. */
export const ErrorEnvelope = z.strictObject({
  error: z.strictObject({ code: z.enum(ERROR_CODES), message: z.string().min(1), details: z.array(ErrorDetail) }),
});
export type ErrorEnvelope = z.output<typeof ErrorEnvelope>;

/**
 * A CSV download (`text/csv`): the file as text, led by the byte order mark every CSV this
 * product writes starts with (backend/http/csv.ts), then its header row.
 */
export const CsvFile = z.string().regex(/^\uFEFF[^\r\n]+\r\n/);

/**
 * The answer of each JSON endpoint when it succeeds, by `METHOD /path` (the route as mounted).
 * `null`: no body (204).
 */
export const ANSWERS = {
  'GET /api/v1/session': SessionInfo,
  'DELETE /api/v1/session': null,
  'POST /auth/superoffice/ticket': TicketSignIn,
  'GET /api/v1/tenant': TenantInfo,
  'PATCH /api/v1/tenant': TenantInfo,
  'PUT /api/v1/tenant/sync-settings': TenantInfo,
  'GET /api/v1/associates': AssociateList,
  'GET /api/v1/links': LinkList,
  'POST /api/v1/links': SaveLinksAnswer,
  'PATCH /api/v1/links': SaveOptionsAnswer,
  'POST /api/v1/links/removal-preview': RemovalCounts,
  'POST /api/v1/links/removal': RemovalAnswer,
  'GET /api/v1/mailboxes': MailboxPage,
  'POST /api/v1/mailboxes/check': CheckAnswer,
  'POST /api/v1/microsoft/consent': ConsentAnswer,
  'GET /api/v1/invites': InviteList,
  'POST /api/v1/invites': InviteResult,
  'POST /api/v1/invites/revoke': RevokeInvitesAnswer,
  'GET /api/v1/authorizations': AuthorizationList,
  'POST /api/v1/authorizations/revoke': AuthorizationRevokeResult,
  'POST /api/v1/sync/run': SyncRunAnswer,
  'POST /api/v1/sync/release': SyncReleaseAnswer,
  'GET /api/v1/audit': AuditPage,
  'POST /api/public/invites/open': InviteOpened,
  'GET /api/v1/links/removed': RemovedLinkList,
  'POST /api/v1/links/removed/restore': RestoreAnswer,
  'POST /api/v1/links/removed/purge': PurgeAnswer,
  'GET /api/v1/undo': UndoList,
  'POST /api/v1/undo': UndoAnswer,
  'GET /api/v1/health': HealthReportAnswer,
  'POST /api/v1/health/ignores': IgnoreAnswer,
  'POST /api/v1/health/ignores/remove': UnignoreAnswer,
  'POST /api/v1/health/repoint': RepointAnswer,
  'GET /api/v1/alerts/settings': AlertSettings,
  'PUT /api/v1/alerts/settings': AlertSettings,
  'GET /api/v1/alerts/admins': AlertAdminList,
  'POST /api/v1/alerts/webhook/secret': WebhookSecretAnswer,
  'POST /api/v1/alerts/test': AlertTestAnswer,
  'GET /api/v1/audit/actors': AuditActors,
  'GET /api/v1/audit/export': CsvFile,
  'POST /api/v1/explain': ExplainAnswer,
  'GET /api/v1/ranks': RanksAnswer,
  'POST /api/v1/ranks/proposal': ProposalAnswer,
  'GET /api/v1/links/export': CsvFile,
  'POST /api/v1/links/import/preview': ImportPreview,
  'POST /api/v1/links/import/apply': ImportApplied,
} as const satisfies Record<string, z.ZodType | null>;

export type Endpoint = keyof typeof ANSWERS;

/** The health report (GET /api/v1/health), Ignore / Stop ignoring, Update the link. */
export type { HealthProblem, HealthProblemKind } from './health/health.types.js';
export type HealthReport = z.output<typeof HealthReportAnswer>;
export type HealthKeysRequest = z.input<typeof HealthKeysBody>;
export type RepointRequest = z.input<typeof RepointBody>;
export type RepointAnswer = z.output<typeof RepointAnswer>;
