import type Router from '@koa/router';
import { requireAdmin } from '../http/guards.js';
import { createRouter } from '../http/router.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { listRemoved, purgeLinks, restoreLinks } from '../links/removed-link.service.js';
import { PurgeBody, RestoreBody, UndoBody } from '../links/undo.schemas.js';
import { listUndoable, undoAction } from './undo.service.js';

/** The removed users (list, Restore, Purge) and the recent actions that can be undone. */
export function undoRouter(): Router<ApiState> {
  const router = createRouter();

  router.get('/links/removed', requireAdmin, async (ctx) => {
    ctx.body = await listRemoved(ctx.state.store, ctx.state.session.tenantId);
  });

  router.post('/links/removed/restore', requireAdmin, async (ctx) => {
    const { ids } = parse(RestoreBody, ctx.request.body, 'body');
    ctx.body = await restoreLinks(ctx.state.store, ctx.state.actor, ids, ctx.state.now());
  });

  router.post('/links/removed/purge', requireAdmin, async (ctx) => {
    const { ids } = parse(PurgeBody, ctx.request.body, 'body');
    ctx.body = await purgeLinks(ctx.state.store, ctx.state.actor, ids, ctx.state.now());
  });

  router.get('/undo', requireAdmin, async (ctx) => {
    ctx.body = await listUndoable(ctx.state.store, ctx.state.session.tenantId, ctx.state.now());
  });

  router.post('/undo', requireAdmin, async (ctx) => {
    const { actionId } = parse(UndoBody, ctx.request.body, 'body');
    ctx.body = await undoAction(ctx.state.store, ctx.state.actor, actionId, ctx.state.now());
  });

  return router;
}
