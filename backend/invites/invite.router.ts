import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../http/guards.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { listAssociates } from '../superoffice/associates.js';
import { InviteRequest, RevokeInvitesBody } from './invite.schemas.js';
import { createInvites, listInvites, revokeInvites } from './invite.service.js';


/** Manage Invites (Token Authentication Manager, OAuth mode): list, send or copy, revoke. */
export function inviteRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/invites' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = { invites: await listInvites(ctx.state.store, ctx.state.session.tenantId, ctx.state.now()) };
  });

  router.post('/', requireAdmin, async (ctx) => {
    const body = parse(InviteRequest, ctx.request.body, 'body');
    const { state } = ctx;
    ctx.body = await createInvites(
      {
        store: state.store,
        actor: state.actor,
        publicUrl: state.publicUrl,
        now: state.now(),
        associates: () => listAssociates(state.superoffice()),
        graph: (tenant) => state.graph(tenant),
        log: state.log,
      },
      body,
    );
  });

  router.post('/revoke', requireAdmin, async (ctx) => {
    const { ids } = parse(RevokeInvitesBody, ctx.request.body, 'body');
    ctx.body = { revoked: await revokeInvites(ctx.state.store, ctx.state.actor, ids, ctx.state.now()) };
  });

  return router;
}
