import { randomBytes } from 'node:crypto';
import { provisionOnSignIn } from '../deploy/provision.js';
import type { Store } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import type { Fetch } from '../http/outbound.js';
import type { ApiState } from '../http/types.js';
import type { SecretBox } from '../security/secret-box.js';
import { loadCredential, saveCredential } from '../superoffice/credential.repository.js';
import { pkcePair, SignInError, type SuperOfficeOidc } from '../superoffice/oidc.js';
import { currentPrincipal, sameTenant } from '../superoffice/principal.js';
import { SuperOfficeWebApi } from '../superoffice/webapi.client.js';
import { consumeLoginState, createLoginState, discardLoginState } from './login-state.repository.js';
import { issueSession, type Session } from './session.service.js';

export interface SignInDeps {
  store: Store;
  box: SecretBox;
  oidc: SuperOfficeOidc;
  fetch: Fetch;
  clock: () => Date;
  sessionTtlMinutes: number;
}

const TENANT = /^[A-Za-z0-9_-]{1,64}$/;

/** The OpenID Connect sign-in's needs, from the request context; 503 when SuperOffice sign-in is not configured. */
export function signInDeps(s: ApiState): SignInDeps {
  const { integration } = s;
  if (!integration?.superoffice) {
    throw new ApiError(503, 'SuperOfficeNotConfigured', 'SuperOffice sign-in is not configured on this server.');
  }
  return { store: s.store, clock: s.now, box: integration.box, oidc: integration.superoffice, fetch: integration.fetch, sessionTtlMinutes: s.config.sessionTtlMinutes };
}

/**
 * An administrator signed in (in Online, the moment they approve the app): the manifest's web
 * panels are provisioned with their fresh credential, once per manifest change (never blocking
 * the sign-in; see provisionOnSignIn).
 */
export async function provisionAfterSignIn(s: ApiState, session: Session): Promise<void> {
  const { store, config, integration } = s;
  if (!config.provisionPanels || !integration) return;
  const credential = await loadCredential(store, integration.box, session.tenantId, session.associateId);
  if (!credential) return;
  await provisionOnSignIn(
    // A localhost URL is a developer's machine (SuperOffice Online frames only https pages).
    { store, publicUrl: integration.publicUrl, production: !config.demo && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(integration.publicUrl), log: s.log, now: s.now() },
    { tenantId: session.tenantId, associateId: session.associateId, associateName: session.associateName, requestId: s.requestId },
    { webApiUrl: credential.webApiUrl, authorization: `${credential.scheme} ${credential.accessToken}` },
  );
}

/** Step 1: remember state, nonce and PKCE verifier; return where to send the popup. */
export async function beginSignIn(deps: SignInDeps, tenantHint: string | null, prompt?: 'none'): Promise<string> {
  const tenantId = tenantHint && TENANT.test(tenantHint) ? tenantHint : null;
  const nonce = randomBytes(16).toString('base64url');
  const { verifier, challenge } = pkcePair();
  const state = await createLoginState(deps.store, deps.box, { purpose: 'superoffice', tenantId, nonce, verifier }, deps.clock());
  return deps.oidc.authorizeUrl({ state, nonce, challenge, tenantId: tenantId ?? undefined, prompt });
}

/** The provider answered with an error (cancelled, or `login_required` to a silent sign-in): the state is spent. */
export function abandonSignIn(store: Store, state: string): Promise<void> {
  return discardLoginState(store, state, 'superoffice');
}

/**
 * Step 2, the callback: the state must be ours and unused; the code is exchanged with the PKCE
 * verifier; the id_token is verified; SuperOffice itself (currentPrincipal) says who the user is
 * and whether they administer the tenant. Then the tokens are stored sealed and a session issued.
 */
export async function completeSignIn(
  deps: SignInDeps,
  code: string,
  state: string,
): Promise<{ token: string; session: Session }> {
  const now = deps.clock();
  const pending = await consumeLoginState(deps.store, deps.box, state, 'superoffice', now);
  if (!pending || !pending.verifier) {
    throw new SignInError('InvalidState', 'This sign-in has expired or was already used. Close this window and sign in again.');
  }
  const tokens = await deps.oidc.exchangeCode(code, pending.verifier);
  if (!tokens.id_token) throw new SignInError('InvalidIdToken', 'SuperOffice sent no identity with the sign-in.');
  const identity = await deps.oidc.verifyIdToken(tokens.id_token, { nonce: pending.nonce, tenantId: pending.tenantId });
  const credential = {
    tenantId: identity.tenantId,
    associateId: identity.associateId,
    webApiUrl: identity.webApiUrl,
    scheme: 'Bearer' as const,
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token ?? null,
    accessExpiresAt: new Date(now.getTime() + tokens.expires_in * 1000).toISOString(),
  };
  const principal = await currentPrincipal(SuperOfficeWebApi.withCredential(deps, credential));
  if (principal.associateId !== identity.associateId || (principal.tenantId && !sameTenant(principal.tenantId, identity.tenantId))) {
    throw new SignInError('IdentityMismatch', 'SuperOffice reported a different user than the one who signed in.');
  }
  const issued = await issueSession(
    deps.store,
    { tenantId: identity.tenantId, associateId: identity.associateId, associateName: principal.name, isAdmin: principal.isAdmin },
    deps.sessionTtlMinutes,
    now,
  );
  await saveCredential(deps.store, deps.box, credential, now);
  return issued;
}
