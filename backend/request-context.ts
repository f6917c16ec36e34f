import type { Next } from 'koa';
import { DomainError } from './domain-error.js';
import type { AppDeps, ApiContext } from './http/types.js';
import type { Integration, MicrosoftIntegration } from './integration.js';
import { graphOf, type Graph } from './microsoft/graph.client.js';
import { SuperOfficeWebApi, webApiDeps } from './superoffice/webapi.client.js';
import { findTenant } from './tenants/tenant.repository.js';

function microsoftOf(integration: Integration | null): MicrosoftIntegration {
  if (!integration?.microsoft) throw new DomainError('unavailable', 'MicrosoftNotConfigured', 'Microsoft 365 is not configured on this server.');
  return integration as MicrosoftIntegration;
}

/**
 * Gives every request its typed context (see ApiState), as Kysely's example app decorates Koa's:
 * the store, the clock and the outside services, and for the caller (once `authenticate` has
 * named them) a SuperOffice client and a Graph client for their tenant, each made on first use.
 * This is the one place routers get their wiring from; no router builds it or imports another.
 */
export function decorateContext(deps: AppDeps) {
  const integration = deps.integration ?? null;
  const publicUrl = integration?.publicUrl ?? deps.config.publicUrl;
  const panelOrigin = new URL(publicUrl).origin;
  return async function decorate(ctx: ApiContext, next: Next): Promise<void> {
    const state = ctx.state;
    state.store = deps.store;
    state.config = deps.config;
    state.now = deps.clock;
    state.integration = integration;
    state.publicUrl = publicUrl;
    state.panelOrigin = panelOrigin;
    state.microsoft = () => microsoftOf(integration);
    let superoffice: SuperOfficeWebApi | undefined;
    state.superoffice = () => (superoffice ??= new SuperOfficeWebApi(webApiDeps(state), state.session.tenantId, state.session.associateId));
    let graph: Promise<Graph> | undefined;
    state.graph = (known) =>
      (graph ??= (async () => {
        const microsoft = microsoftOf(integration);
        const tenant = known ?? (await findTenant(deps.store, state.session.tenantId));
        if (!tenant?.entra_tenant_id) {
          throw new DomainError('conflict', 'MicrosoftNotConnected', 'Approve the app in Microsoft 365 first (a Microsoft 365 administrator must consent).');
        }
        return graphOf(microsoft, tenant.entra_tenant_id);
      })());
    await next();
  };
}
