import Router from '@koa/router';
import { readTime } from '../db/dialect.js';
import { ApiError } from '../http/errors.js';
import type { ApiState } from '../http/types.js';
import { findTenant } from './tenant.repository.js';

/** The tenant's settings as the panel needs them: mode and whether Microsoft 365 is connected. */
export function tenantRouter(): Router<ApiState> {
  const router = new Router<ApiState>();
  router.get('/tenant', async (ctx) => {
    const tenant = await findTenant(ctx.state.deps.store, ctx.state.session.tenantId);
    if (!tenant) throw new ApiError(404, 'NotFound', 'No such tenant.');
    ctx.body = {
      id: tenant.id,
      mode: tenant.mode,
      inviteTtlDays: tenant.invite_ttl_days,
      version: tenant.version,
      microsoft: {
        configured: Boolean(ctx.state.deps.integration?.microsoft),
        connected: tenant.entra_tenant_id !== null,
        entraTenantId: tenant.entra_tenant_id,
        consentedAt: tenant.admin_consent_at === null ? null : readTime(tenant.admin_consent_at),
      },
    };
  });
  return router;
}
