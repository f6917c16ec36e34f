import { Readable } from 'node:stream';
import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { readUpload } from '../http/upload.js';
import { parse } from '../http/validate.js';
import { ImportQuery, MAX_IMPORT_BYTES } from './link-csv.schemas.js';
import { applyImport, exportLinksCsv, previewImport } from './link-csv.service.js';

/**
 * CSV export and import of the linked users. The uploads are `text/csv` (the API's JSON body
 * parser leaves them alone, see http/upload.ts): the role is checked, then the query, and only
 * then is the body read, at most {@link MAX_IMPORT_BYTES}.
 */
export function linkCsvRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/links' });

  router.get('/export', requireAdmin, async (ctx) => {
    const day = ctx.state.now().toISOString().slice(0, 10);
    ctx.set('Content-Disposition', `attachment; filename="linked-users-${day}.csv"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.from(exportLinksCsv(ctx.state.store, ctx.state.session.tenantId));
  });

  router.post('/import/preview', requireAdmin, async (ctx) => {
    const bytes = await readUpload(ctx, 'text/csv', MAX_IMPORT_BYTES);
    ctx.body = await previewImport(ctx.state.store, ctx.state.session.tenantId, bytes);
  });

  router.post('/import/apply', requireAdmin, async (ctx) => {
    const query = parse(ImportQuery, ctx.query, 'query');
    const bytes = await readUpload(ctx, 'text/csv', MAX_IMPORT_BYTES);
    ctx.body = await applyImport(ctx.state.store, ctx.state.actor, bytes, query, ctx.state.now());
  });

  return router;
}
