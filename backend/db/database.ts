import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/**
 * Row types of every table. The column types are what the two drivers hand back:
 * SQLite stores times as ISO-8601 text and booleans as 0/1, SQL Server returns `Date` and
 * `boolean`. Services read them through `readTime`/`readBool` (dialect.ts) and never see the
 * difference.
 */
export type DbTime = ColumnType<string | Date, string | Date, string | Date>;
export type DbBool = ColumnType<number | boolean, number | boolean, number | boolean>;
/** A boolean column with a database default: optional on insert. */
export type DbBoolDefault = ColumnType<number | boolean, number | boolean | undefined, number | boolean>;

export type TenantMode = 'application' | 'oauth';

export interface TenantTable {
  /** SuperOffice context identifier, e.g. `Cust12345`. */
  id: string;
  name: string | null;
  mode: TenantMode;
  /** Entra ID (Microsoft 365) tenant id the mailboxes live in; null until configured. */
  entra_tenant_id: string | null;
  /** When a Microsoft 365 admin granted tenant-wide consent (application mode). */
  admin_consent_at: DbTime | null;
  /** Who approved it: the Microsoft 365 administrator's object id (`oid`) and name, from their verified sign-in. */
  admin_consent_oid: string | null;
  admin_consent_name: string | null;
  /** The Microsoft 365 organisation's name (Graph `/organization` displayName); null when unknown. */
  entra_organization_name: ColumnType<string | null, string | null | undefined, string | null>;
  invite_ttl_days: number;
  version: number;
  /** The invite email as an administrator last wrote it (null: the built-in text). */
  invite_sender_address: string | null;
  invite_sender_name: string | null;
  invite_subject: string | null;
  invite_message: string | null;
  invite_allow_other_mailbox: DbBoolDefault;
  /** Hash of the manifest the web panels were last provisioned from; null: never. */
  panels_version: string | null;
  panels_provisioned_at: DbTime | null;
  /** Why the last provisioning failed; null after a success. */
  panels_error: string | null;
  /** The synchronizer's date window around today, in days back and ahead (30 and 120 by default). */
  sync_window_past_days: ColumnType<number, number | undefined, number>;
  sync_window_future_days: ColumnType<number, number | undefined, number>;
  /** Who wins a field both sides changed since the last sync. */
  sync_conflict_winner: ColumnType<SyncSide, SyncSide | undefined, SyncSide>;
  /** IANA zone SuperOffice's wall-clock dates and all-day items are read in. */
  sync_time_zone: ColumnType<string, string | undefined, string>;
  created_at: DbTime;
  updated_at: DbTime;
}

export interface LinkTable {
  id: string;
  tenant_id: string;
  associate_id: number;
  /** Snapshot of the associate's name when linked, so audit and lists read without SuperOffice. */
  associate_name: string;
  /** Microsoft Graph user object id (lower-case GUID). */
  mailbox_id: string;
  mailbox_address: string;
  sync_diary: DbBool;
  sync_task: DbBool;
  sync_contact: DbBool;
  /** Server Rank: which sync service instance serves the user, 1–99. */
  rank: number;
  /** Optimistic concurrency: bumped on every change, checked by every update. */
  version: number;
  created_by: number;
  created_at: DbTime;
  updated_by: number;
  updated_at: DbTime;
}

export type SyncItemKind = 'appointment' | 'task' | 'contact';

export interface AuthorizedMailboxTable {
  tenant_id: string;
  mailbox_id: string;
  mailbox_address: string;
  /** The Microsoft account (UPN) that signed in and accepted. */
  account_upn: string;
  invite_id: string | null;
  display_name: string | null;
  /** JSON array of every SMTP address of the mailbox, lower-case. */
  addresses_json: string | null;
  authorized_at: DbTime;
  revoked_at: DbTime | null;
  revoked_by: number | null;
  /** The owner's delegated grant (msal-node's token cache of that account), sealed; null when none or revoked. */
  grant_sealed: string | null;
}

export interface InviteTable {
  id: string;
  tenant_id: string;
  associate_id: number;
  associate_name: string;
  email: string;
  /** SHA-256 of the secret in the invite link; the secret itself is never stored. */
  token_hash: string;
  created_by: number;
  created_at: DbTime;
  expires_at: DbTime;
  sent_at: DbTime | null;
  accepted_at: DbTime | null;
  accepted_mailbox_id: string | null;
  revoked_at: DbTime | null;
  delivery: 'email' | 'link';
  allow_other_mailbox: DbBool;
  created_by_name: string | null;
  /** Why Microsoft 365 did not send it; such an invite cannot be accepted. */
  send_error: string | null;
  /** The nonce the accept sign-in must carry; replaced each time the link is opened. */
  accept_nonce: string | null;
  /** The PKCE verifier of that opening's sign-in, sealed (the backend redeems the code). */
  accept_verifier_sealed: string | null;
  /** SHA-256 (hex) of that opening's OAuth `state`. */
  accept_state_hash: string | null;
  /** Link the associate to the accepting mailbox at once (else the acceptance is proposed as a link). */
  link_on_accept: DbBoolDefault;
  /** What accepting did: `proposed`, `linked`, `associate_linked`, `mailbox_linked`; null until accepted. */
  accept_outcome: ColumnType<AcceptOutcome | null, AcceptOutcome | null | undefined, AcceptOutcome | null>;
  /** The other side of the existing link (`associate_linked`: its mailbox; `mailbox_linked`: its associate). */
  accept_outcome_detail: ColumnType<string | null, string | null | undefined, string | null>;
}

export type AcceptOutcome = 'proposed' | 'linked' | 'associate_linked' | 'mailbox_linked';

export interface AuditLogTable {
  id: Generated<number>;
  tenant_id: string;
  actor_associate_id: number;
  actor_name: string;
  action: string;
  entity_type: string;
  entity_id: string;
  /** JSON of the entity before the change (null on create). */
  before_json: string | null;
  /** JSON of the entity after the change (null on delete). */
  after_json: string | null;
  request_id: string | null;
  created_at: DbTime;
}

export interface SessionTable {
  /** SHA-256 of the bearer token: a database dump holds no usable token. */
  token_hash: string;
  tenant_id: string;
  associate_id: number;
  associate_name: string;
  is_admin: DbBool;
  created_at: DbTime;
  expires_at: DbTime;
}

export interface LoginStateTable {
  /** SHA-256 of the OAuth `state` sent to the identity provider. */
  state_hash: string;
  /** `microsoft_signin`: admin consent's first step (OpenID Connect); `admin_consent`: its second. */
  purpose: 'superoffice' | 'microsoft_signin' | 'admin_consent';
  tenant_id: string | null;
  associate_id: number | null;
  associate_name: string | null;
  nonce: string;
  code_verifier_sealed: string | null;
  /** `admin_consent` only: the Microsoft 365 administrator verified in the first step. */
  entra_tenant_id: string | null;
  entra_oid: string | null;
  entra_name: string | null;
  created_at: DbTime;
  expires_at: DbTime;
}

export interface SuperOfficeCredentialTable {
  tenant_id: string;
  associate_id: number;
  webapi_url: string;
  auth_scheme: 'Bearer' | 'SOTicket';
  access_token_sealed: string;
  refresh_token_sealed: string | null;
  access_expires_at: DbTime;
  updated_at: DbTime;
}

/** What the last pass of a mailbox left it in; `pending` until a pass says otherwise. */
export type SyncMailboxState = 'pending' | 'in_sync' | 'throttled' | 'error' | 'breaker' | 'waiting_authorization';

/** The two sides of a sync: where an item was born, who wins a conflict. */
export type SyncSide = 'superoffice' | 'outlook';
export type SyncItemState = 'pending' | 'active' | 'out_of_window' | 'detached' | 'error';

/** One SuperOffice item mapped to one Microsoft 365 item in one mailbox (see migration 007). */
export interface SyncItemTable {
  id: Generated<number>;
  tenant_id: string;
  associate_id: number;
  mailbox_id: string;
  kind: SyncItemKind;
  so_id: number | null;
  graph_id: string | null;
  origin: SyncSide;
  state: SyncItemState;
  op_id: string | null;
  op_started_at: DbTime | null;
  so_updated_at: DbTime | null;
  so_hash: string | null;
  graph_change_key: string | null;
  graph_hash: string | null;
  base_json: string | null;
  error_count: ColumnType<number, number | undefined, number>;
  last_error: string | null;
  created_at: DbTime;
  updated_at: DbTime;
}

/** Where a mailbox's change detection stands, per kind. */
export interface SyncCursorTable {
  tenant_id: string;
  mailbox_id: string;
  kind: SyncItemKind;
  delta_link: string | null;
  window_start: DbTime | null;
  window_end: DbTime | null;
  so_watermark: DbTime | null;
  last_reconcile_at: DbTime | null;
  /** The To Do list or contact folder of ours (null for the diary: the primary calendar). */
  container_id: string | null;
  /** Mappings of the kind at the end of its last good pass (migration 015); null: not known. */
  mapped_items: number | null;
  updated_at: DbTime;
}

/** A field both sides changed since the last sync, and who won. */
export interface SyncConflictTable {
  id: Generated<number>;
  tenant_id: string;
  associate_id: number;
  mailbox_id: string;
  kind: SyncItemKind;
  so_id: number | null;
  graph_id: string | null;
  field: string;
  base_value: string | null;
  superoffice_value: string | null;
  outlook_value: string | null;
  winner: SyncSide;
  created_at: DbTime;
}

/** Per-mailbox sync state and the fenced lease a sync worker holds on it (backend/sync/). */
export interface SyncMailboxTable {
  tenant_id: string;
  /** The link's `mailbox_id` (Graph user object id); the claim joins the link on it. */
  mailbox_id: string;
  lease_owner: string | null;
  /** The fencing token: bumped by every claim, checked by every write of a pass. */
  lease_epoch: number;
  lease_expires_at: DbTime | null;
  next_due_at: DbTime;
  last_pass_at: DbTime | null;
  state: SyncMailboxState;
  last_error: string | null;
  created_at: DbTime;
  last_success_at: DbTime | null;
  last_created: number | null;
  last_updated: number | null;
  last_deleted: number | null;
  last_conflicts: number | null;
  breaker_detail: string | null;
  breaker_released_at: DbTime | null;
}

/** Our Graph change-notification subscription for one mailbox and kind (migration 013). */
export interface SyncSubscriptionTable {
  tenant_id: string;
  mailbox_id: string;
  kind: 'appointment' | 'contact';
  subscription_id: string;
  /** SHA-256 (hex) of the clientState secret Graph echoes in each notification. */
  client_state_hash: string;
  expires_at: DbTime;
  created_at: DbTime;
  updated_at: DbTime;
}

/** The tenant's SuperOffice webhook; its signing secret sealed (secret-box.ts). */
export interface SuperOfficeWebhookTable {
  tenant_id: string;
  webhook_id: number;
  secret_sealed: string;
  target_url: string;
  created_at: DbTime;
}

/** What a kind's pass is left in (see migration 014); the API adds off, pending and waiting_authorization. */
export type SyncKindState = 'in_sync' | 'throttled' | 'error' | 'breaker';

/** Where one kind of one mailbox stands after its last pass. */
export interface SyncKindStatusTable {
  tenant_id: string;
  mailbox_id: string;
  kind: SyncItemKind;
  state: SyncKindState;
  last_pass_at: DbTime;
  last_success_at: DbTime | null;
  last_created: number | null;
  last_updated: number | null;
  last_deleted: number | null;
  last_conflicts: number | null;
  last_error: string | null;
}

/** What an undo action undoes (migration 016). */
export type UndoKind = 'links.added' | 'links.options_saved' | 'links.removed';

/** One Save Added Users, Save Users Options or Remove Selected Users that can still be undone. */
export interface UndoActionTable {
  id: string;
  tenant_id: string;
  kind: UndoKind;
  actor_associate_id: number;
  actor_name: string;
  links: number;
  detail_json: string;
  created_at: DbTime;
  expires_at: DbTime;
  undone_at: DbTime | null;
  undone_by: number | null;
}

/** A removed link, restorable until purged (migration 016): the link's own columns, and who removed it when. */
export interface RemovedLinkTable extends LinkTable {
  removed_at: DbTime;
  removed_by: number;
  removed_by_name: string;
  action_id: string | null;
}

/** A removed link's mapping, column for column as `sync_item` had it. */
export interface RemovedSyncItemTable extends SyncItemTable {
  removed_link_id: string;
}

/** A removed link's conflict record, as `sync_conflict` had it. */
export interface RemovedSyncConflictTable extends SyncConflictTable {
  removed_link_id: string;
}

/** A removed link's cursor per kind (with its To Do list or contact folder), as `sync_cursor` had it. */
export interface RemovedSyncCursorTable extends SyncCursorTable {
  removed_link_id: string;
}

/** A health problem an administrator chose to ignore (migration 018), by its stable key. */
export interface HealthIgnoreTable {
  tenant_id: string;
  problem_key: string;
  ignored_by: number;
  ignored_by_name: string;
  ignored_at: DbTime;
}

/** Alerts (migration 019): one row per tenant. */
export interface AlertSettingsTable {
  tenant_id: string;
  enabled: DbBool;
  /** `[{associateId, name, email}]` as SuperOffice had them when the settings were saved. */
  recipients_json: string;
  hour_utc: number;
  webhook_url: string | null;
  webhook_secret_sealed: string | null;
  version: number;
  updated_at: DbTime;
}

export interface AlertReportedTable {
  tenant_id: string;
  problem_key: string;
  first_reported_at: DbTime;
}

export interface AlertDigestTable {
  tenant_id: string;
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  problems_json: string;
  problem_count: number;
  claimed_at: DbTime;
  lease_owner: string | null;
  lease_until: DbTime | null;
  completed_at: DbTime | null;
}

export type AlertDeliveryState = 'pending' | 'sending' | 'sent' | 'failed' | 'lost';

export interface AlertDeliveryTable {
  tenant_id: string;
  day: string;
  /** `mail:<associateId>` or `webhook`. */
  channel: string;
  /** The e-mail address, or the webhook URL. */
  address: string;
  state: AlertDeliveryState;
  attempts: number;
  last_error: string | null;
  updated_at: DbTime;
}

export interface SuperOfficeAdminTable {
  tenant_id: string;
  associate_id: number;
  associate_name: string;
  is_admin: DbBool;
  seen_at: DbTime;
}

/** One mailbox's sync work in one hour (migration 017): what Server Rank balancing measures. */
export interface SyncLoadTable {
  tenant_id: string;
  mailbox_id: string;
  hour_start: DbTime;
  passes: number;
  requests: number;
  throttled: number;
  items: number;
}

export interface Database {
  tenant: TenantTable;
  link: LinkTable;
  authorized_mailbox: AuthorizedMailboxTable;
  invite: InviteTable;
  audit_log: AuditLogTable;
  session: SessionTable;
  login_state: LoginStateTable;
  superoffice_credential: SuperOfficeCredentialTable;
  sync_mailbox: SyncMailboxTable;
  sync_item: SyncItemTable;
  sync_cursor: SyncCursorTable;
  sync_conflict: SyncConflictTable;
  sync_subscription: SyncSubscriptionTable;
  superoffice_webhook: SuperOfficeWebhookTable;
  sync_kind_status: SyncKindStatusTable;
  undo_action: UndoActionTable;
  removed_link: RemovedLinkTable;
  removed_sync_item: RemovedSyncItemTable;
  removed_sync_conflict: RemovedSyncConflictTable;
  removed_sync_cursor: RemovedSyncCursorTable;
  health_ignore: HealthIgnoreTable;
  alert_settings: AlertSettingsTable;
  alert_reported: AlertReportedTable;
  alert_digest: AlertDigestTable;
  alert_delivery: AlertDeliveryTable;
  superoffice_admin: SuperOfficeAdminTable;
  sync_load: SyncLoadTable;
}

export type LinkRow = Selectable<LinkTable>;
export type NewLinkRow = Insertable<LinkTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
export type TenantRow = Selectable<TenantTable>;
export type SessionRow = Selectable<SessionTable>;
export type InviteRow = Selectable<InviteTable>;
export type NewInviteRow = Insertable<InviteTable>;
export type AuthorizedMailboxRow = Selectable<AuthorizedMailboxTable>;
export type SyncMailboxRow = Selectable<SyncMailboxTable>;
export type SyncItemRow = Selectable<SyncItemTable>;
export type NewSyncItemRow = Insertable<SyncItemTable>;
export type SyncCursorRow = Selectable<SyncCursorTable>;
export type SyncSubscriptionRow = Selectable<SyncSubscriptionTable>;
