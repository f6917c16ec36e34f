import type { Store } from '../../db/store.js';
import { DomainError } from '../../domain-error.js';
import type { Integration, MicrosoftIntegration } from '../../integration.js';
import { graphOf } from '../../microsoft/graph.client.js';
import { auditActorsWithCredential, loadCredential, type SuperOfficeCredential } from '../../superoffice/credential.repository.js';
import { SuperOfficeWebApi, webApiDeps } from '../../superoffice/webapi.client.js';
import { findTenant } from '../../tenants/tenant.repository.js';
import { mailboxLimiter } from '../mailbox-limiter.js';
import { OutlookCalendar } from './outlook-calendar.js';
import type { OutlookCalendarPort, SuperOfficeDiaryPort } from './ports.js';
import { SuperOfficeDiary } from './superoffice-diary.js';
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
  /** Task: the mailbox's Microsoft To Do (same Graph client and limiter) and the tenant's checklists. */
  todo?: TodoPort;
  checklist?: SuperOfficeChecklistPort;
}

/**
 * The worker's SuperOffice identity: the stored sign-in of the tenant's most recent administrator
 * (the newest audit-log writer whose credential still opens). SuperOfficeWebApi refreshes it as
 * it does for the panel.
 */
async function syncCredential(deps: DiaryConnectionDeps, tenantId: string, box: Integration['box']): Promise<SuperOfficeCredential> {
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
  const graph = graphOf(integration as MicrosoftIntegration, tenant.entra_tenant_id);
  const limiter = mailboxLimiter(tenant.entra_tenant_id, target.mailboxId);
  const api = SuperOfficeWebApi.withCredential(so, credential);
  return {
    outlook: new OutlookCalendar(graph, target.mailboxId, limiter),
    superoffice: new SuperOfficeDiary(api),
    todo: new TodoTasks(graph, target.mailboxId, limiter, TASK_APP_NAME),
    // The CRM web client sits beside the Web API (`…/Cust12345/api/` → `…/Cust12345/`).
    checklist: new SuperOfficeChecklist(api, credential.webApiUrl.replace(/api\/?$/i, '')),
  };
}
