import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { pageAudit } from './audit.repository.js';
import { AuditQuery } from './audit.schemas.js';

/** The audit log, newest first, paged by `before` (the last id of the previous page). */
export function auditRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/audit' });
  router.get('/', requireAdmin, async (ctx) => {
    const query = parse(AuditQuery, ctx.query, 'query');
    const entries = await pageAudit(ctx.state.deps.store, ctx.state.session.tenantId, query);
    const last = entries.at(-1);
    ctx.body = { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
  });
  return router;
}
