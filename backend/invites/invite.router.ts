import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { z } from 'zod';
import { requireAdmin } from '../auth/auth.middleware.js';
import { displayText } from '../http/text.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { actorOf } from '../links/link.router.js';
import { graphFor } from '../microsoft/microsoft.router.js';
import { listAssociates } from '../superoffice/associates.js';
import { webApiDeps } from '../superoffice/signin.router.js';
import { SuperOfficeWebApi } from '../superoffice/webapi.client.js';
import { requireTenant } from '../tenants/tenant.repository.js';
import { latestInvites } from './invite.repository.js';
import { createInvites, revokeInvites } from './invite.service.js';

/** Invites per request: the panel sends more as several requests and shows progress. */
export const MAX_INVITES_PER_REQUEST = 100;

const InviteBody = z.strictObject({
  associateIds: z.array(z.number().int().positive().max(2_147_483_647)).min(1).max(MAX_INVITES_PER_REQUEST),
  delivery: z.enum(['email', 'link']),
  senderAddress: z.email().max(320).optional(),
  // The sender's name and the subject go into mail headers: one line each.
  senderName: displayText(200).optional(),
  subject: displayText(300).optional(),
  message: displayText(4000, { multiline: true }).optional(),
  allowOtherMailbox: z.boolean().optional(),
});
const RevokeBody = z.strictObject({ ids: z.array(z.uuid()).min(1).max(1000) });

/** Manage Invites (Token Authentication Manager, OAuth mode): list, send or copy, revoke. */
export function inviteRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/invites' });

  router.get('/', requireAdmin, async (ctx) => {
    ctx.body = { invites: await latestInvites(ctx.state.deps.store, ctx.state.session.tenantId, ctx.state.deps.clock()) };
  });

  router.post('/', requireAdmin, async (ctx) => {
    const body = parse(InviteBody, ctx.request.body, 'body');
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
    const { ids } = parse(RevokeBody, ctx.request.body, 'body');
    ctx.body = { revoked: await revokeInvites(ctx.state.deps.store, actorOf(ctx), ids, ctx.state.deps.clock()) };
  });

  return router;
}
