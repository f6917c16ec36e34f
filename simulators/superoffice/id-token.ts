import type { DemoAssociate, DemoTenant } from '../demo-tenant.types.js';
import { webApiUrlOf, type RegisteredClient, type SimState } from './sim.types.js';
import { systemTokenFor } from './system-user.routes.js';

/** SuperOffice's own claims are namespaced with this prefix. */
export const CLAIM_PREFIX = 'http://schemes.superoffice.net/identity/';

export function isAdministrator(associate: DemoAssociate): boolean {
  return associate.functionRights.includes('admin-all');
}

/** "Tony Yates" → "TY": the `initials` claim is the full name's initials. */
export function initialsOf(associate: DemoAssociate): string {
  return [associate.firstName, associate.lastName]
    .map((part) => part.trim().charAt(0).toUpperCase())
    .join('');
}

/**
 * The id_token claims set, in the order and with the value types SuperOffice documents
 * (validate-security-tokens.md): every SuperOffice claim is a string ("5", "False"), and so is
 * `iat`; `nbf` and `exp` are numbers. `nonce` is present when the authorize request had one.
 */
export function idTokenClaims(
  sim: SimState,
  tenant: DemoTenant,
  associate: DemoAssociate,
  client: RegisteredClient,
  nonce: string | undefined,
): Record<string, unknown> {
  const now = Math.floor(sim.clock() / 1000);
  const c = (name: string) => `${CLAIM_PREFIX}${name}`;
  const claims: Record<string, unknown> = {
    sub: associate.userName,
    [c('associateid')]: String(associate.associateId),
    [c('identityprovider')]: 'central-superid',
    [c('email')]: associate.userName,
    [c('upn')]: associate.userName,
    [c('is_administrator')]: isAdministrator(associate) ? 'True' : 'False',
    [c('ctx')]: tenant.contextId,
    [c('company_name')]: tenant.companyName,
    [c('serial')]: tenant.serial,
    [c('netserver_url')]: `${sim.webApiBaseUrl}/${tenant.contextId}/Remote/Services88/`,
    [c('webapi_url')]: webApiUrlOf(sim, tenant.contextId),
    [c('system_token')]: systemTokenFor(client, tenant.contextId),
    iat: String(now),
    [c('initials')]: initialsOf(associate),
    [c('so_primary_email_address')]: associate.personEmail ?? '',
  };
  if (nonce !== undefined) claims.nonce = nonce;
  claims.nbf = now - 60;
  claims.exp = now + 300;
  claims.iss = sim.baseUrl;
  claims.aud = client.clientId;
  return claims;
}
