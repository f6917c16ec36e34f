import type { Store } from '../../db/store.js';
import { DomainError } from '../../domain-error.js';
import type { Integration, MicrosoftIntegration } from '../../integration.js';
import { dropGrant, loadGrant, replaceGrant } from '../../authorizations/authorization.repository.js';
import { GrantRefusedError } from '../../microsoft/delegated-token.js';
import { Graph, graphOf, type GraphTokenSource } from '../../microsoft/graph.client.js';
import type { TenantRow } from '../../db/database.js';
import { auditActorsWithCredential, loadCredential, type SuperOfficeCredential } from '../../superoffice/credential.repository.js';
import { SuperOfficeWebApi, webApiDeps } from '../../superoffice/webapi.client.js';
import { findTenant } from '../../tenants/tenant.repository.js';
import { GraphUsage } from '../graph-usage.js';
import { mailboxLimiter } from '../mailbox-limiter.js';
import { OutlookContacts } from '../contact/outlook-contacts.js';
import type { OutlookContactsPort, SuperOfficePersonsPort } from '../contact/ports.js';
import { SuperOfficePersons } from '../contact/superoffice-persons.js';
import { OutlookCalendar } from './outlook-calendar.js';
import type { OutlookCalendarPort, SuperOfficeDiaryPort } from './ports.js';
import { SuperOfficeDiary } from './superoffice-diary.js';
import { SharedAppointmentArchive } from './shared-archive.js';
import type { SuperOfficeChecklistPort, TodoPort } from '../task/ports.js';
import { SuperOfficeChecklist } from '../task/superoffice-checklist.js';
import { TASK_APP_NAME } from '../task/task-kind.js';
import { TodoTasks } from '../task/todo-tasks.js';

export interface DiaryConnectionDeps {
  store: Store;
  integration: Integration | null;
  now: () => Date;
}

export interface DiaryConnections {
  outlook: OutlookCalendarPort;
  superoffice: SuperOfficeDiaryPort;
  /** The Contact kind: our contact folder in the mailbox, and the tenant's persons. */
  contacts: OutlookContactsPort;
  persons: SuperOfficePersonsPort;
  /** Task: the mailbox's Microsoft To Do (same Graph client and limiter) and the tenant's checklists. */
  todo?: TodoPort;
  checklist?: SuperOfficeChecklistPort;
  /**
   * The pass's one read of the appointment archive, shared by the Diary and Task kinds' clients
   * (shared-archive.ts): each kind announces its question before any kind runs (KindPass.prepare).
   */
  appointments?: SharedAppointmentArchive;
  /** The pass's Graph requests and 429s, counted as they go out (recorded with its outcome, load.repository.ts). */
  usage?: GraphUsage;
}

/**
 * The worker's SuperOffice identity: the stored sign-in of the tenant's most recent administrator
 * (the newest audit-log writer whose credential still opens). SuperOfficeWebApi refreshes it as
 * it does for the panel.
 */
export async function syncCredential(deps: DiaryConnectionDeps, tenantId: string, box: Integration['box']): Promise<SuperOfficeCredential> {
  for (const associateId of await auditActorsWithCredential(deps.store, tenantId)) {
    const credential = await loadCredential(deps.store, box, tenantId, associateId);
    if (credential) return credential;
  }
  throw new DomainError(
    'unauthenticated',
    'SuperOfficeSignInRequired',
    'The sync has no SuperOffice sign-in to work with. Open the panel once as a SuperOffice administrator of this tenant and save a change; the sync then uses that sign-in.',
  );
}

/** What a pass shows while an OAuth-mode mailbox has no working grant of its owner. */
export const WAITING_AUTHORIZATION_MESSAGE =
  "This mailbox's owner has not authorized the sync (or the authorization was revoked, expired or refused by Microsoft 365). Nothing is read or written until they accept a new invitation: send one from the Token Authentication Manager.";

const waitingAuthorization = () => new DomainError('forbidden', 'SyncWaitingAuthorization', WAITING_AUTHORIZATION_MESSAGE);

/**
 * OAuth mode: the mailbox owner's own delegated access token, never the app's. The grant is read
 * (sealed) once per pass and kept in memory only for that pass; MSAL refreshes the access token
 * when it is due and the rotated refresh token is sealed again at once (a crash right after the
 * refresh would otherwise leave only a used one). Entra's invalid_grant (revoked, password reset,
 * consent withdrawn) drops the grant and stops the pass as waiting for authorization.
 */
class OwnerTokens implements GraphTokenSource {
  private current: { grant: string; accessToken: string; expiresAt: number } | null = null;

  constructor(
    private readonly deps: DiaryConnectionDeps,
    private readonly integration: MicrosoftIntegration,
    private readonly target: { tenantId: string; mailboxId: string },
    private grant: string,
  ) {}

  async token(entraTenantId: string): Promise<string> {
    // One token serves a pass's many requests; MSAL's cache decides when it is refreshed.
    if (this.current && this.current.expiresAt > Date.now()) return this.current.accessToken;
    const { store } = this.deps;
    const { box } = this.integration;
    let got;
    try {
      got = await this.integration.microsoft.grants.accessToken(entraTenantId, this.grant);
    } catch (err) {
      if (err instanceof GrantRefusedError) {
        await store.transaction((tx) => dropGrant(tx, box, this.target.tenantId, this.target.mailboxId, this.grant));
        throw waitingAuthorization();
      }
      // Entra unreachable or answering 5xx: an outage, tried again at the next pass; MSAL's text stays out of the status.
      throw new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 sign-in did not answer. Try again in a moment.');
    }
    if (got.userId.toLowerCase() !== this.target.mailboxId.toLowerCase()) throw waitingAuthorization();
    if (got.grant !== this.grant) {
      const stored = await store.transaction((tx) => replaceGrant(tx, box, this.target.tenantId, this.target.mailboxId, this.grant, got.grant));
      // Revoked (or accepted anew) while this pass ran: stop acting on the old grant.
      if (!stored) throw waitingAuthorization();
      this.grant = got.grant;
    }
    // Reused until shortly before it expires; then MSAL is asked again (and refreshes).
    this.current = { grant: this.grant, accessToken: got.accessToken, expiresAt: got.expiresAt - 5_000 };
    return got.accessToken;
  }
}

/**
 * Graph for one linked mailbox, chosen in this one place for every kind's port: the app token in
 * application mode, the owner's delegated token in OAuth mode (no grant: waiting for authorization).
 */
async function mailboxGraph(deps: DiaryConnectionDeps, integration: MicrosoftIntegration, tenant: TenantRow, mailboxId: string): Promise<Graph> {
  if (tenant.mode !== 'oauth') return graphOf(integration, tenant.entra_tenant_id!);
  const grant = await loadGrant(deps.store, integration.box, tenant.id, mailboxId);
  if (!grant) throw waitingAuthorization();
  const tokens = new OwnerTokens(deps, integration, { tenantId: tenant.id, mailboxId }, grant);
  // The first token now: a refused grant stops the pass before anything is read.
  await tokens.token(tenant.entra_tenant_id!);
  const { settings, retry } = integration.microsoft;
  return new Graph(settings, tokens, tenant.entra_tenant_id!, { dispatcher: integration.dispatcher, retry });
}

/** Outlook (the mailbox's primary calendar, through its process-wide limiter) and SuperOffice for one linked mailbox. */
export async function openDiaryConnections(deps: DiaryConnectionDeps, target: { tenantId: string; mailboxId: string }): Promise<DiaryConnections> {
  const { integration } = deps;
  if (!integration?.microsoft) throw new DomainError('unavailable', 'MicrosoftNotConfigured', 'Microsoft 365 is not configured on this server.');
  const tenant = await findTenant(deps.store, target.tenantId);
  if (!tenant?.entra_tenant_id) {
    throw new DomainError('forbidden', 'MicrosoftConsentRequired', 'The app is not approved in Microsoft 365 for this tenant yet. An administrator approves it in the panel (Connect Microsoft 365).');
  }
  const so = webApiDeps({ store: deps.store, now: deps.now, integration });
  const credential = await syncCredential(deps, target.tenantId, integration.box);
  const usage = new GraphUsage();
  const graph = usage.sender(await mailboxGraph(deps, integration as MicrosoftIntegration, tenant, target.mailboxId));
  const limiter = mailboxLimiter(tenant.entra_tenant_id, target.mailboxId);
  const api = SuperOfficeWebApi.withCredential(so, credential);
  // New with each pass's connections: rows are shared within a pass, never kept to the next.
  const appointments = new SharedAppointmentArchive();
  return {
    outlook: new OutlookCalendar(graph, target.mailboxId, limiter),
    superoffice: new SuperOfficeDiary(api, appointments),
    contacts: new OutlookContacts(graph, target.mailboxId, limiter),
    persons: new SuperOfficePersons(api),
    todo: new TodoTasks(graph, target.mailboxId, limiter, TASK_APP_NAME),
    // The CRM web client sits beside the Web API (`…/Cust12345/api/` → `…/Cust12345/`).
    checklist: new SuperOfficeChecklist(api, credential.webApiUrl.replace(/api\/?$/i, ''), appointments),
    appointments,
    usage,
  };
}
