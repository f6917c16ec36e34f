import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { actorOf } from '../links/link.router.js';
import { graphFor } from '../microsoft/microsoft.router.js';
import { listAssociates } from '../superoffice/associates.js';
import { webApiDeps } from '../superoffice/signin.router.js';
import { SuperOfficeWebApi } from '../superoffice/webapi.client.js';
import { requireTenant } from '../tenants/tenant.repository.js';
import { latestInvites } from './invite.repository.js';
import { InviteRequest, RevokeInvitesBody } from './invite.schemas.js';
import { createInvites, revokeInvites } from './invite.service.js';


/** Manage Invites (Token Authentication Manager, OAuth mode): list, send or copy, revoke. */
export function inviteRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/invites' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = { invites: await latestInvites(ctx.state.deps.store, ctx.state.session.tenantId, ctx.state.deps.clock()) };
  });

  router.post('/', requireAdmin, async (ctx) => {
    const body = parse(InviteRequest, ctx.request.body, 'body');
    const { tenantId, associateId } = ctx.state.session;
    const integration = ctx.state.deps.integration;
    const tenant = await requireTenant(ctx.state.deps.store, tenantId);
    ctx.body = await createInvites(
      {
        store: ctx.state.deps.store,
        actor: actorOf(ctx),
        tenant,
        publicUrl: integration?.publicUrl ?? ctx.state.deps.config.publicUrl,
        now: ctx.state.deps.clock(),
        associates: () => listAssociates(new SuperOfficeWebApi(webApiDeps(ctx), tenantId, associateId)),
        graph: () => graphFor(ctx, tenant),
        log: ctx.state.log,
      },
      body,
    );
  });

  router.post('/revoke', requireAdmin, async (ctx) => {
    const { ids } = parse(RevokeInvitesBody, ctx.request.body, 'body');
    ctx.body = { revoked: await revokeInvites(ctx.state.deps.store, actorOf(ctx), ids, ctx.state.deps.clock()) };
  });

  return router;
}
