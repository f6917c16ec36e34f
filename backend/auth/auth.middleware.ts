import type { Next } from 'koa';
import { ApiError } from '../http/errors.js';
import type { ApiContext } from '../http/types.js';
import { verifySession } from './session.service.js';

const BEARER = /^Bearer ([^\s]+)$/;

/** Requires `Authorization: Bearer <session token>` naming a live session; 401 otherwise. Names the caller. */
export async function authenticate(ctx: ApiContext, next: Next): Promise<void> {
  const header = ctx.get('Authorization');
  const match = BEARER.exec(header);
  if (!match) throw new ApiError(401, 'Unauthenticated', 'Sign in first: the request carries no session token.');
  const session = await verifySession(ctx.state.store, match[1]!, ctx.state.now());
  if (!session) throw new ApiError(401, 'InvalidSession', 'The session token is not valid or has expired. Sign in again.');
  ctx.state.session = session;
  ctx.state.token = match[1]!;
  ctx.state.actor = { tenantId: session.tenantId, associateId: session.associateId, associateName: session.associateName, requestId: ctx.state.requestId };
  await next();
}
