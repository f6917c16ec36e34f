import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { AuditQuery } from './audit.schemas.js';
import { auditPage } from './audit.service.js';

/** The audit log, newest first, paged by `before` (the last id of the previous page). */
export function auditRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/audit' });
  router.get('/', requireAdmin, async (ctx) => {
    const query = parse(AuditQuery, ctx.query, 'query');
    ctx.body = await auditPage(ctx.state.store, ctx.state.session.tenantId, query);
  });
  return router;
}
