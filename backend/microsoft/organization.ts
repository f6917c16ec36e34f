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

/**
 * Reads the organisation's name and keeps it on the tenant (null when unknown). Never fails the
 * caller: the connection is recorded already, the name only makes it readable.
 */
export async function refreshOrganizationName(
  store: Store,
  integration: MicrosoftIntegration,
  tenant: { tenantId: string; entraTenantId: string },
  log?: Logger,
): Promise<string | null> {
  try {
    const name = await readOrganizationName(graphOf(integration, tenant.entraTenantId));
    await recordOrganizationName(store, tenant.tenantId, tenant.entraTenantId, name);
    return name;
  } catch (err) {
    log?.warn({ err, tenant: tenant.tenantId }, 'reading the Microsoft 365 organisation name failed');
    return null;
  }
}
