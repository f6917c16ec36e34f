import { authorizedMailboxes } from '../authorizations/authorization.service.js';
import { DomainError } from '../domain-error.js';
import { ApiError } from '../http/errors.js';
import type { ApiState } from '../http/types.js';
import { requireTenant } from '../tenants/tenant.repository.js';
import { checkMailboxes, type MailboxKind } from './mailbox-check.js';
import { mailboxPage, usersNextLink } from './mailboxes.js';
import { refreshOrganizationName } from './organization.js';
import type { MailboxPage } from './microsoft.schemas.js';

type Caller = Pick<ApiState, 'store' | 'session' | 'microsoft' | 'graph'>;

const invalidCursor = (message: string) => new ApiError(400, 'InvalidCursor', message);

/**
 * Load External Users, one page at a time. The tenant's mode decides where mailboxes come from:
 * OAuth mode lists the mailboxes whose owners accepted an invite (one page, from our database);
 * application mode pages through Graph's users. The cursor is checked here, once, and a Graph
 * refusal of it (a made-up or stale $skiptoken) is the caller's 400, not our 502.
 */
export async function loadMailboxes(c: Caller, cursor: string | undefined): Promise<MailboxPage> {
  const tenant = await requireTenant(c.store, c.session.tenantId);
  if (tenant.mode === 'oauth') {
    const mailboxes = await authorizedMailboxes(c.store, c.session.tenantId);
    return { mailboxes, next: null, total: mailboxes.length };
  }
  let next: string | null = null;
  if (cursor !== undefined) {
    next = usersNextLink(c.microsoft().microsoft.settings.graphUrl, cursor);
    if (next === null) throw invalidCursor('The paging cursor is not a Microsoft Graph next link. Load External Users again from the start.');
  }
  const graph = await c.graph(tenant);
  // A tenant that approved the app before its name was read (or while Graph refused it) gets it
  // now, on the first page, with the same app token: the next load of the panel shows the name.
  if (next === null && tenant.entra_tenant_id !== null && tenant.entra_organization_name === null) {
    await refreshOrganizationName(c.store, c.microsoft(), { tenantId: tenant.id, entraTenantId: tenant.entra_tenant_id }, { retry: 'when due' });
  }
  try {
    return await mailboxPage(graph, next);
  } catch (err) {
    if (next && err instanceof DomainError && err.code === 'MicrosoftRequestRefused') {
      throw invalidCursor('Microsoft Graph did not accept the paging cursor. Load External Users again from the start.');
    }
    throw err;
  }
}

/** The mailbox check, for each id in request order (`unknown` where Graph did not say). */
export async function checkMailboxKinds(c: Caller, ids: string[]): Promise<{ id: string; kind: MailboxKind }[]> {
  const kinds = await checkMailboxes(await c.graph(), ids);
  return ids.map((id) => ({ id, kind: kinds.get(id) ?? 'unknown' }));
}
