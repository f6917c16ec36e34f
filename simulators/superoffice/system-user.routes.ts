import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { asBody, field } from './body.js';
import { CLAIM_PREFIX, isAdministrator } from './id-token.js';
import { tenantKey, webApiUrlOf, type RegisteredClient, type SimState } from './sim.types.js';

/**
 * The `system_token` claim an administrator's consent hands the app for a tenant: stable per app
 * and tenant, as SuperOffice's is [INF: the real value's format].
 */
export function systemTokenFor(client: RegisteredClient, contextId: string): string {
  const digest = createHash('sha256').update(`${client.clientId}|${contextId.toLowerCase()}`).digest('base64url').slice(0, 10);
  return `${client.appName ?? client.clientId}-${digest}`;
}

const STAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/;
/** How far the signed token's time may be from the server's (minutes) [INF]. */
const SKEW_MINUTES = 5;

/**
 * `POST /login/api/PartnerSystemUser/Authenticate` (auth-application docs): a system token signed
 * with the app's registered private key (`token.yyyyMMddHHmm.base64(RSA-SHA256)`) and the app's
 * token become a ticket for the tenant's system user, wrapped in a JWT (issuer `SuperOffice AS`,
 * audience `spn:<serial>`, claim `…/ticket`). The simulator runs the system user as the tenant's
 * first administrator [INF: the real system user is a SystemAssociate with full rights].
 */
export function systemUserRouter(sim: SimState): Router {
  const router = new Router();
  router.post('/login/api/PartnerSystemUser/Authenticate', bodyParser({ enableTypes: ['json'], jsonLimit: '16kb' }), async (ctx) => {
    const fail = (message: string) => {
      ctx.body = { IsSuccessful: false, Token: null, ErrorMessage: message };
    };
    const body = asBody(ctx.request.body);
    const signed = field(body, 'SignedSystemToken');
    const appToken = field(body, 'ApplicationToken');
    const contextId = field(body, 'ContextIdentifier');
    if (typeof signed !== 'string' || typeof appToken !== 'string' || typeof contextId !== 'string') {
      ctx.status = 400;
      return fail('SignedSystemToken, ApplicationToken and ContextIdentifier are required.');
    }
    const client = [...sim.clients.values()].find((c) => c.clientSecret === appToken);
    if (!client) return fail('Unknown application token.');
    if (!client.systemUserPublicKey) return fail('The application has no system user certificate.');
    const tenant = sim.tenants.get(tenantKey(contextId));
    if (!tenant) return fail(`Unknown tenant ${contextId}.`);
    const last = signed.lastIndexOf('.');
    const stampStart = signed.lastIndexOf('.', last - 1);
    if (last < 0 || stampStart < 0) return fail('Malformed signed system token.');
    const token = signed.slice(0, stampStart);
    const stamp = signed.slice(stampStart + 1, last);
    const signature = Buffer.from(signed.slice(last + 1), 'base64');
    if (token !== systemTokenFor(client, contextId)) return fail('The system token does not belong to this application and tenant.');
    const m = STAMP.exec(stamp);
    if (!m) return fail('Malformed timestamp.');
    const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
    if (Math.abs(at - sim.clock()) > SKEW_MINUTES * 60_000) return fail('The signed system token has expired.');
    const ok = verify('RSA-SHA256', Buffer.from(`${token}.${stamp}`), createPublicKey(client.systemUserPublicKey), signature);
    if (!ok) return fail('The signature of the system token is not valid.');
    const system = [...tenant.associates.values()].find((a) => a.isActive && isAdministrator(a));
    if (!system) return fail('The tenant has no system user.');
    const grant = sim.tokens.issueTicket(tenant.tenant.contextId, system.associateId, client.clientId, sim.clock() + 6 * 3600_000);
    const now = Math.floor(sim.clock() / 1000);
    const jwt = await sim.key.sign({
      iss: 'SuperOffice AS',
      aud: `spn:${tenant.tenant.serial}`,
      nbf: now - 60,
      // A string, as SuperOffice sends it (validate-security-tokens.md), which jose's jwtVerify refuses.
      iat: String(now),
      exp: now + 6 * 3600,
      [`${CLAIM_PREFIX}ticket`]: grant.token,
      [`${CLAIM_PREFIX}ctx`]: tenant.tenant.contextId,
      [`${CLAIM_PREFIX}webapi_url`]: webApiUrlOf(sim, tenant.tenant.contextId),
    });
    ctx.body = { IsSuccessful: true, Token: jwt, ErrorMessage: null };
  });
  return router;
}
