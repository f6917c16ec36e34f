import type { Logger } from 'pino';
import type { Store } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import type { MicrosoftIntegration } from '../integration.js';
import { plainMessage } from '../http/text.js';
import { recordOrganizationName } from '../tenants/tenant.repository.js';
import { graphOf, type Graph } from './graph.client.js';

/** Graph `GET /v1.0/organization` (api/organization-get): one organization per tenant. */
interface OrganizationList {
  value: { id: string; displayName?: string | null }[];
}

/**
 * The Microsoft 365 organisation's name, as Graph `GET /organization` gives it (`displayName`),
 * read with the app's token. It needs the application permission `Organization.Read.All` (or
 * `Directory.Read.All`); an organisation that approved the app before it asked for that refuses
 * with 403, and the name is then unknown (null), as it is when Graph does not answer: the panel
 * shows the organisation's id instead.
 */
export async function readOrganizationName(graph: Graph): Promise<string | null> {
  try {
    const list = await graph.get<OrganizationList>('/organization?$select=id,displayName');
    return plainMessage(list.value?.[0]?.displayName ?? null, 256);
  } catch (err) {
    if (err instanceof DomainError) return null;
    throw err;
  }
}

/** How long a read that found no name (refused: the permission is not approved) is not tried again. */
export const ORGANIZATION_RETRY_MS = 60 * 60_000;
/** By Microsoft 365 organisation: when its name was last asked for in vain (this process). */
const unnamedAt = new Map<string, number>();

/**
 * Reads the organisation's name and keeps it on the tenant (null when unknown). Never fails the
 * caller: the connection is recorded already, the name only makes it readable. A read that found
 * no name is not repeated for an hour (`retry: 'when due'`, Load External Users), so an
 * organisation that never approved Organization.Read.All is not asked, and refused, at every
 * load; an approval (`retry: 'now'`) always reads it.
 */
export async function refreshOrganizationName(
  store: Store,
  integration: MicrosoftIntegration,
  tenant: { tenantId: string; entraTenantId: string },
  options: { retry: 'now' | 'when due'; log?: Logger; now?: number },
): Promise<string | null> {
  const now = options.now ?? Date.now();
  const triedAt = unnamedAt.get(tenant.entraTenantId);
  if (options.retry === 'when due' && triedAt !== undefined && now - triedAt < ORGANIZATION_RETRY_MS) return null;
  try {
    const name = await readOrganizationName(graphOf(integration, tenant.entraTenantId));
    if (name === null) {
      if (unnamedAt.size >= 10_000) unnamedAt.clear();
      unnamedAt.set(tenant.entraTenantId, now);
    } else unnamedAt.delete(tenant.entraTenantId);
    await recordOrganizationName(store, tenant.tenantId, tenant.entraTenantId, name);
    return name;
  } catch (err) {
    options.log?.warn({ err, tenant: tenant.tenantId }, 'reading the Microsoft 365 organisation name failed');
    return null;
  }
}
