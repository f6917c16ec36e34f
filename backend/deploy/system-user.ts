import { createPrivateKey, sign } from 'node:crypto';
import { createRemoteJWKSet, customFetch } from 'jose';
import type { Fetch } from '../http/outbound.js';
import { SO_CLAIM, verifySuperOfficeJwt } from '../superoffice/oidc.js';
import { SuperOfficeDeployError, type SuperOfficeTarget } from './superoffice-panels.js';

export interface SystemUserSettings {
  /** e.g. `https://online.superoffice.com` (SuperID and the tenant status service live there). */
  superofficeUrl: string;
  contextId: string;
  /** The `system_token` claim an administrator's consent gave the app for this tenant. */
  systemToken: string;
  /** PEM of the private key whose certificate is registered for the app. */
  privateKeyPem: string;
  /** The app's client secret (application token). */
  appToken: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `system_token.yyyyMMddHHmm.base64(RSA-SHA256(system_token.yyyyMMddHHmm))` (sign-system-user-token.md). */
export function signSystemToken(systemToken: string, privateKeyPem: string, at: Date): string {
  const stamp = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}`;
  const signed = `${systemToken}.${stamp}`;
  return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), createPrivateKey(privateKeyPem)).toString('base64')}`;
}

/**
 * Signs in as the tenant's system user (server to server, no person involved): the signed system
 * token is exchanged at `PartnerSystemUser/Authenticate` for a JWT carrying a ticket, which is
 * verified (SuperOffice's keys, issuer `SuperOffice AS`, audience `spn:<serial>`, the tenant)
 * before use. Calls then go with `SOTicket <ticket>` and `SO-AppToken`.
 */
export async function systemUserTarget(s: SystemUserSettings, fetchImpl: Fetch, now = new Date()): Promise<SuperOfficeTarget> {
  const base = s.superofficeUrl.replace(/\/+$/, '');
  let res: Response;
  try {
    res = await fetchImpl(`${base}/login/api/PartnerSystemUser/Authenticate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        SignedSystemToken: signSystemToken(s.systemToken, s.privateKeyPem, now),
        ApplicationToken: s.appToken,
        ContextIdentifier: s.contextId,
        ReturnTokenType: 'JWT',
      }),
    });
  } catch (err) {
    throw new SuperOfficeDeployError(`The system user sign-in did not answer (${(err as Error).message}).`, null);
  }
  const body = (await res.json().catch(() => null)) as { IsSuccessful?: boolean; Token?: string; ErrorMessage?: string } | null;
  if (!res.ok || !body?.IsSuccessful || !body.Token) {
    throw new SuperOfficeDeployError(`SuperOffice refused the system user sign-in: ${body?.ErrorMessage ?? `HTTP ${res.status}`}`, res.status);
  }
  const jwks = createRemoteJWKSet(new URL(`${base}/login/.well-known/jwks`), { [customFetch]: fetchImpl });
  // Verified as the sign-in's id_token is: SuperOffice's `iat` is a string here too.
  const claims = await verifySuperOfficeJwt(body.Token, jwks, { issuer: 'SuperOffice AS', audience: (a) => a.startsWith('spn:') });
  if (claims === 'signature') throw new SuperOfficeDeployError('The system user ticket could not be verified (its signature is not SuperOffice\'s).', null);
  if (claims === 'claims') throw new SuperOfficeDeployError('The system user ticket is not from SuperOffice AS for a tenant (spn:), or has expired.', null);
  const ctx = claims[`${SO_CLAIM}ctx`];
  if (typeof ctx === 'string' && ctx.toLowerCase() !== s.contextId.toLowerCase()) throw new SuperOfficeDeployError('The system user ticket is for another tenant.', null);
  const ticket = claims[`${SO_CLAIM}ticket`];
  if (typeof ticket !== 'string' || !ticket) throw new SuperOfficeDeployError('The system user answer carries no ticket.', null);
  const webApiUrl = typeof claims[`${SO_CLAIM}webapi_url`] === 'string' ? (claims[`${SO_CLAIM}webapi_url`] as string) : await tenantApi(base, s.contextId, fetchImpl);
  return { webApiUrl, authorization: `SOTicket ${ticket}`, appToken: s.appToken };
}

/** The tenant's Web API from Online's tenant status service (`/api/state/{ctx}` → `Api`). */
async function tenantApi(base: string, contextId: string, fetchImpl: Fetch): Promise<string> {
  const res = await fetchImpl(`${base}/api/state/${encodeURIComponent(contextId)}`, { headers: { accept: 'application/json' } });
  const state = (await res.json().catch(() => null)) as { Api?: string; IsRunning?: boolean } | null;
  if (!res.ok || !state?.Api) throw new SuperOfficeDeployError(`The tenant ${contextId} is unknown to SuperOffice.`, res.status);
  if (state.IsRunning === false) throw new SuperOfficeDeployError(`The tenant ${contextId} is not running.`, null);
  return state.Api.endsWith('/') ? state.Api : `${state.Api}/`;
}
