import { Readable } from 'node:stream';
import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { AuditActorsQuery, AuditExportQuery, AuditQuery } from './audit.schemas.js';
import { actorList, auditCsv, auditPage } from './audit.service.js';

/** The audit log, newest first, paged by `before` (the last id of the previous page), filtered; its actors; its CSV export. */
export function auditRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/audit' });
  router.get('/', requireAdmin, async (ctx) => {
    const query = parse(AuditQuery, ctx.query, 'query');
    ctx.body = await auditPage(ctx.state.store, ctx.state.session.tenantId, query);
  });
  router.get('/actors', requireAdmin, async (ctx) => {
    parse(AuditActorsQuery, ctx.query, 'query');
    ctx.body = await actorList(ctx.state.store, ctx.state.session.tenantId);
  });
  router.get('/export', requireAdmin, async (ctx) => {
    const filter = parse(AuditExportQuery, ctx.query, 'query');
    ctx.attachment(`audit-${ctx.state.now().toISOString().slice(0, 10)}.csv`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(auditCsv(ctx.state.store, ctx.state.session.tenantId, filter));
  });
  return router;
}
