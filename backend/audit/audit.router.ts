import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { z } from 'zod';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { opaqueText } from '../http/text.js';
import { parse } from '../http/validate.js';
import { auditPage } from './audit.service.js';

const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().min(1).optional(),
  entityId: opaqueText(64).optional(),
});

/** The audit log, newest first, paged by `before` (the last id of the previous page). */
export function auditRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/audit' });
  router.get('/', requireAdmin, async (ctx) => {
    const query = parse(AuditQuery, ctx.query, 'query');
    ctx.body = await auditPage(ctx.state.store, ctx.state.session.tenantId, query);
  });
  return router;
}
