import type { RegisteredClient, SimState, TenantState } from './sim.types.js';
import { tenantKey } from './sim.types.js';

export type Params = Record<string, string | undefined>;

export interface AuthorizeRequest {
  client: RegisteredClient;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  codeChallengeMethod: 'S256' | 'plain' | undefined;
  loginHint: string | undefined;
  /** The tenants the user may pick from: the `acr_values=tenant:…` one, or all. */
  tenants: TenantState[];
}

/**
 * Before client_id and redirect_uri are trusted, errors are shown to the user and never
 * redirected (an open redirector otherwise); after that they go back to the app (RFC 6749 §4.1.2.1).
 */
export type AuthorizeCheck =
  | { kind: 'ok'; request: AuthorizeRequest }
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; location: string };

/** `uri` with `params` added to its query, keeping any query it already has. */
export function withQuery(uri: string, params: Params): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

const PKCE_CHALLENGE = /^[A-Za-z0-9._~-]{43,128}$/;

export function checkAuthorizeRequest(sim: SimState, params: Params): AuthorizeCheck {
  const client = params.client_id ? sim.clients.get(params.client_id) : undefined;
  if (!client) return { kind: 'page', message: 'The application (client_id) is not registered.' };
  const redirectUri = params.redirect_uri;
  if (!redirectUri || !client.redirectUris.includes(redirectUri)) {
    return { kind: 'page', message: 'The redirect_uri does not exactly match a redirect URL registered for this application.' };
  }
  const state = params.state;
  const fail = (error: string, description: string): AuthorizeCheck => ({
    kind: 'redirect',
    location: withQuery(redirectUri, { error, error_description: description, state }),
  });

  if (params.response_type !== 'code') {
    return fail('unsupported_response_type', 'Only response_type=code is supported (implicit and hybrid flows are deprecated).');
  }
  if (!(params.scope ?? '').split(/\s+/).includes('openid')) return fail('invalid_scope', 'The scope must be openid.');

  let codeChallengeMethod: AuthorizeRequest['codeChallengeMethod'];
  if (params.code_challenge !== undefined) {
    // SuperID defaults to "plain" when the method is absent, as RFC 7636 does.
    const method = params.code_challenge_method ?? 'plain';
    if (method !== 'S256' && method !== 'plain') return fail('invalid_request', 'code_challenge_method must be S256 or plain.');
    if (!PKCE_CHALLENGE.test(params.code_challenge)) return fail('invalid_request', 'code_challenge is malformed.');
    codeChallengeMethod = method;
  } else if (params.code_challenge_method !== undefined) {
    return fail('invalid_request', 'code_challenge_method without code_challenge.');
  }

  let tenants = [...sim.tenants.values()];
  const acr = (params.acr_values ?? '').split(/\s+/).find((v) => v.startsWith('tenant:'));
  if (acr) {
    const wanted = sim.tenants.get(tenantKey(acr.slice('tenant:'.length)));
    if (!wanted) return fail('invalid_request', `Unknown tenant in acr_values: ${acr}.`);
    tenants = [wanted];
  }

  return {
    kind: 'ok',
    request: {
      client,
      redirectUri,
      state,
      nonce: params.nonce,
      codeChallenge: params.code_challenge,
      codeChallengeMethod,
      loginHint: params.login_hint,
      tenants,
    },
  };
}

/** The authorize parameters a sign-in form carries back in hidden fields. */
export const AUTHORIZE_FIELDS = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'acr_values',
  'login_hint',
] as const;
