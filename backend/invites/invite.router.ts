import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { z } from 'zod';
import { requireAdmin } from '../http/guards.js';
import { displayText } from '../http/text.js';
import type { ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { listAssociates } from '../superoffice/associates.js';
import { createInvites, listInvites, revokeInvites } from './invite.service.js';

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
    ctx.body = { invites: await listInvites(ctx.state.store, ctx.state.session.tenantId, ctx.state.now()) };
  });

  router.post('/', requireAdmin, async (ctx) => {
    const body = parse(InviteBody, ctx.request.body, 'body');
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
    const { ids } = parse(RevokeBody, ctx.request.body, 'body');
    ctx.body = { revoked: await revokeInvites(ctx.state.store, ctx.state.actor, ids, ctx.state.now()) };
  });

  return router;
}
