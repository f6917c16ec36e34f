import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { LinksQuery, RemoveBody, SaveLinksBody, SaveOptionsBody } from './link.schemas.js';
import { linkedUsersPage, previewRemoval, removeLinks, saveAddedLinks, saveLinkOptions, undoableUntil } from './link.service.js';

/** Linked Users for Synchronization: list, Save Added Users, Save Users Options, Remove Selected Users. */
export function linkRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/links' });

  router.get('/', async (ctx) => {
    const query = parse(LinksQuery, ctx.query, 'query');
    ctx.body = await linkedUsersPage(ctx.state.store, ctx.state.session.tenantId, query);
  });

  router.post('/', requireAdmin, async (ctx) => {
    const { links } = parse(SaveLinksBody, ctx.request.body, 'body');
    const result = await saveAddedLinks(ctx.state.store, ctx.state.actor, links, ctx.state.now());
    ctx.status = result.created.length > 0 ? 201 : 200;
    ctx.body = result;
  });

  router.patch('/', requireAdmin, async (ctx) => {
    const { changes } = parse(SaveOptionsBody, ctx.request.body, 'body');
    ctx.body = await saveLinkOptions(ctx.state.store, ctx.state.actor, changes, ctx.state.now());
  });

  router.post('/removal-preview', requireAdmin, async (ctx) => {
    const { ids } = parse(RemoveBody, ctx.request.body, 'body');
    ctx.body = await previewRemoval(ctx.state.store, ctx.state.session.tenantId, ids);
  });

  router.post('/removal', requireAdmin, async (ctx) => {
    const { ids } = parse(RemoveBody, ctx.request.body, 'body');
    const now = ctx.state.now();
    ctx.body = { removed: await removeLinks(ctx.state.store, ctx.state.actor, ids, now), restorableUntil: undoableUntil(now).toISOString() };
  });

  return router;
}
