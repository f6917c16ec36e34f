import type { Next } from 'koa';
import { SoError } from './errors.js';
import type { Grant } from './token.store.js';
import { tenantKey, type SimContext, type SimState, type TenantState } from './sim.types.js';

function unauthorized(message: string): SoError {
  return new SoError(401, 'SoAuthenticationException', message);
}

function resolveGrant(sim: SimState, ctx: SimContext): Grant {
  const header = ctx.get('Authorization');
  const space = header.indexOf(' ');
  const scheme = space > 0 ? header.slice(0, space).toLowerCase() : '';
  const credential = space > 0 ? header.slice(space + 1).trim() : '';
  if (scheme === 'bearer') {
    const grant = sim.tokens.accessToken(credential);
    if (!grant || grant.revoked) throw unauthorized('The access token is not valid.');
    if (grant.expiresAt <= sim.clock()) throw unauthorized('The access token has expired.');
    return grant;
  }
  if (scheme === 'soticket') {
    const grant = sim.tokens.ticket(credential);
    if (!grant || grant.revoked || grant.expiresAt <= sim.clock()) throw unauthorized('The ticket is not valid or has expired.');
    // Online accepts a ticket only together with the app's token.
    const client = sim.clients.get(grant.clientId);
    if (!client || ctx.get('SO-AppToken') !== client.clientSecret) throw unauthorized('SO-AppToken is missing or does not match.');
    return grant;
  }
  throw unauthorized('Authorization header with a Bearer token or SOTicket is required.');
}

/**
 * Runs every `/{ctx}/api/v1/…` request as the associate its Bearer token or SOTicket belongs to.
 * A credential from another tenant is refused like an unknown one.
 */
export function authenticateWebApi(sim: SimState, tenant: TenantState) {
  return async function authenticate(ctx: SimContext, next: Next): Promise<void> {
    const grant = resolveGrant(sim, ctx);
    if (tenantKey(grant.contextId) !== tenantKey(tenant.tenant.contextId)) throw unauthorized('The credential belongs to another tenant.');
    const associate = tenant.associates.get(grant.associateId);
    if (!associate || !associate.isActive) throw unauthorized('The user can no longer sign in.');
    ctx.state.caller = { tenant, associate, clientId: grant.clientId };
    await next();
  };
}
