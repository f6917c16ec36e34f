import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { SyncSettingsChange, TenantSettingsChange } from './tenant.schemas.js';
import { tenantInfo, toTenantInfo, updateSyncSettings, updateTenantSettings } from './tenant.service.js';

/** The tenant's settings: mode, invite lifetime and text, the synchronizer's settings, and whether Microsoft 365 is connected. */
export function tenantRouter(): Router<ApiState> {
  const router = createRouter();
  router.get('/tenant', async (ctx) => {
    ctx.body = await tenantInfo(ctx.state.store, ctx.state.session.tenantId, Boolean(ctx.state.integration?.microsoft));
  });
  router.patch('/tenant', requireAdmin, async (ctx) => {
    const change = parse(TenantSettingsChange, ctx.request.body, 'body');
    const tenant = await updateTenantSettings(ctx.state.store, ctx.state.actor, change, ctx.state.now());
    ctx.body = toTenantInfo(tenant, Boolean(ctx.state.integration?.microsoft));
  });
  router.put('/tenant/sync-settings', requireAdmin, async (ctx) => {
    const change = parse(SyncSettingsChange, ctx.request.body, 'body');
    const tenant = await updateSyncSettings(ctx.state.store, ctx.state.actor, change, ctx.state.now());
    ctx.body = toTenantInfo(tenant, Boolean(ctx.state.integration?.microsoft));
  });
  return router;
}
