import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { actorOf } from '../links/link.router.js';
import { requireTenant } from './tenant.repository.js';
import { TenantSettingsChange } from './tenant.schemas.js';
import { toTenantInfo, updateTenantSettings } from './tenant.service.js';

/** The tenant's settings: mode, invite lifetime and text, and whether Microsoft 365 is connected. */
export function tenantRouter(): Router<ApiState> {
  const router = createRouter();
  router.get('/tenant', async (ctx) => {
    const tenant = await requireTenant(ctx.state.deps.store, ctx.state.session.tenantId);
    ctx.body = toTenantInfo(tenant, Boolean(ctx.state.deps.integration?.microsoft));
  });
  router.patch('/tenant', requireAdmin, async (ctx) => {
    const change = parse(TenantSettingsChange, ctx.request.body, 'body');
    const tenant = await updateTenantSettings(ctx.state.deps.store, actorOf(ctx), change, ctx.state.deps.clock());
    ctx.body = toTenantInfo(tenant, Boolean(ctx.state.deps.integration?.microsoft));
  });
  return router;
}
