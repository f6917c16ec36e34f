import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { z } from 'zod';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { tenantInfo, toTenantInfo, updateTenantSettings } from './tenant.service.js';

const SettingsBody = z
  .strictObject({
    expectedVersion: z.number().int().min(1).max(2_147_483_647),
    mode: z.enum(['application', 'oauth']).optional(),
    inviteTtlDays: z.number().int().min(1).max(365).optional(),
  })
  .refine((b) => b.mode !== undefined || b.inviteTtlDays !== undefined, { message: 'Give mode and/or inviteTtlDays.' });

/** The tenant's settings: mode, invite lifetime and text, and whether Microsoft 365 is connected. */
export function tenantRouter(): Router<ApiState> {
  const router = createRouter();
  router.get('/tenant', async (ctx) => {
    ctx.body = await tenantInfo(ctx.state.store, ctx.state.session.tenantId, Boolean(ctx.state.integration?.microsoft));
  });
  router.patch('/tenant', requireAdmin, async (ctx) => {
    const change = parse(SettingsBody, ctx.request.body, 'body');
    const tenant = await updateTenantSettings(ctx.state.store, ctx.state.actor, change, ctx.state.now());
    ctx.body = toTenantInfo(tenant, Boolean(ctx.state.integration?.microsoft));
  });
  return router;
}
