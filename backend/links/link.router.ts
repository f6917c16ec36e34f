import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { Actor } from '../audit/audit.repository.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { RemoveBody, SaveLinksBody, SaveOptionsBody } from './link.schemas.js';
import { listLinkedUsers, previewRemoval, removeLinks, saveAddedLinks, saveLinkOptions } from './link.service.js';

export function actorOf(ctx: ApiContext): Actor {
  const s = ctx.state.session;
  return { tenantId: s.tenantId, associateId: s.associateId, associateName: s.associateName, requestId: ctx.state.requestId };
}

/** Linked Users for Synchronization: list, Save Added Users, Save Users Options, Remove Selected Users. */
export function linkRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/links' });

  router.get('/', async (ctx) => {
    const links = await listLinkedUsers(ctx.state.deps.store, ctx.state.session.tenantId);
    ctx.body = { links };
  });

  router.post('/', requireAdmin, async (ctx) => {
    const { links } = parse(SaveLinksBody, ctx.request.body, 'body');
    const result = await saveAddedLinks(ctx.state.deps.store, actorOf(ctx), links, ctx.state.deps.clock());
    ctx.status = result.created.length > 0 ? 201 : 200;
    ctx.body = result;
  });

  router.patch('/', requireAdmin, async (ctx) => {
    const { changes } = parse(SaveOptionsBody, ctx.request.body, 'body');
    ctx.body = await saveLinkOptions(ctx.state.deps.store, actorOf(ctx), changes, ctx.state.deps.clock());
  });

  router.post('/removal-preview', requireAdmin, async (ctx) => {
    const { ids } = parse(RemoveBody, ctx.request.body, 'body');
    ctx.body = await previewRemoval(ctx.state.deps.store, ctx.state.session.tenantId, ids);
  });

  router.post('/removal', requireAdmin, async (ctx) => {
    const { ids } = parse(RemoveBody, ctx.request.body, 'body');
    ctx.body = { removed: await removeLinks(ctx.state.deps.store, actorOf(ctx), ids, ctx.state.deps.clock()) };
  });

  return router;
}
