import { createHash, randomBytes } from 'node:crypto';
import { compactVerify, createRemoteJWKSet, customFetch } from 'jose';
import { z } from 'zod';
import { DomainError } from '../domain-error.js';
import type { ErrorCode } from '../http/error-codes.js';
import type { Fetch } from '../http/outbound.js';

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
const CLOCK_TOLERANCE = 60;

/** SuperOffice puts its own claims under this prefix, with string values ("5", "False"). */
export const SO_CLAIM = 'http://schemes.superoffice.net/identity/';

export interface SuperOfficeOidcSettings {
  /** e.g. `https://sod.superoffice.com` (the issuer; `/login/...` holds the endpoints). */
  url: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

const Metadata = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
});
type Metadata = z.infer<typeof Metadata>;

export const TokenResponse = z.object({
  token_type: z.string(),
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().default(3600),
  refresh_token: z.string().min(1).optional(),
  id_token: z.string().min(1).optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Who signed in, from a verified id_token. */
export interface SuperOfficeIdentity {
  tenantId: string;
  associateId: number;
  name: string;
  email: string | null;
  webApiUrl: string;
}

/** A sign-in the identity provider refused, or whose answer we refuse; safe to show. */
export class SignInError extends DomainError {
  constructor(code: ErrorCode, message: string) {
    super('unauthenticated', code, message);
    this.name = 'SignInError';
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

type KeySource = Parameters<typeof compactVerify>[1];

/**
 * Verifies a JWT SuperOffice signed (an id_token, a system user ticket): the RS256 signature from
 * `keys`, then issuer, audience, expiry and not-before. SuperOffice sends `iat` as a string
 * ("1581665207", validate-security-tokens.md), which jose's jwtVerify refuses (its NumericDate
 * check), so the signature is checked by compactVerify and the registered claims here.
 * Answers the claims, or which check failed.
 */
export async function verifySuperOfficeJwt(
  token: string,
  keys: KeySource,
  expected: { issuer: string; audience: (aud: string) => boolean },
): Promise<Record<string, unknown> | 'signature' | 'claims'> {
  let payload: Record<string, unknown>;
  try {
    const verified = await compactVerify(token, keys, { algorithms: ['RS256'] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
  } catch {
    return 'signature';
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'claims';
  const now = Math.floor(Date.now() / 1000);
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN);
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  const exp = num(payload.exp);
  const nbf = payload.nbf === undefined ? now : num(payload.nbf);
  const ok =
    payload.iss === expected.issuer &&
    audience.some((a) => typeof a === 'string' && expected.audience(a)) &&
    exp + CLOCK_TOLERANCE > now &&
    nbf - CLOCK_TOLERANCE <= now;
  return ok ? payload : 'claims';
}

/**
 * OpenID Connect authorization code + PKCE against SuperOffice (SuperID). Tokens stay on the
 * server; only the verified identity leaves this class.
 */
export class SuperOfficeOidc {
  private metadata: Promise<Metadata> | undefined;
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(
    private readonly settings: SuperOfficeOidcSettings,
    private readonly fetchImpl: Fetch,
  ) {}

  private async meta(): Promise<Metadata> {
    this.metadata ??= (async () => {
      const res = await this.fetchImpl(new URL('login/.well-known/openid-configuration', withSlash(this.settings.url)));
      if (!res.ok) throw new Error(`SuperOffice OpenID metadata answered ${res.status}`);
      return Metadata.parse(await res.json());
    })();
    try {
      return await this.metadata;
    } catch (err) {
      this.metadata = undefined; // try again next time
      throw err;
    }
  }

  /**
   * `prompt: 'none'` asks SuperOffice to answer without showing anything (OpenID Connect Core
   * 1.0 §3.1.2.1): a code when its sign-in session is alive, else `error=login_required`
   * (§3.1.2.6). SuperOffice's docs list no `prompt`; a provider that ignores it shows its sign-in
   * page, which refuses to render in the hidden frame, and the panel falls back to the popup.
   */
  async authorizeUrl(input: { state: string; nonce: string; challenge: string; tenantId?: string; prompt?: 'none' }): Promise<string> {
    const url = new URL((await this.meta()).authorization_endpoint);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      scope: 'openid',
      redirect_uri: this.settings.redirectUri,
      response_type: 'code',
      state: input.state,
      nonce: input.nonce,
      code_challenge: input.challenge,
      code_challenge_method: 'S256',
      ...(input.tenantId ? { acr_values: `tenant:${input.tenantId}` } : {}),
      ...(input.prompt ? { prompt: input.prompt } : {}),
    }).toString();
    return url.toString();
  }

  private async token(form: Record<string, string>): Promise<TokenResponse> {
    const res = await this.fetchImpl((await this.meta()).token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ client_id: this.settings.clientId, client_secret: this.settings.clientSecret, ...form }),
    });
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    if (!res.ok) {
      // The error code only: descriptions may echo what we sent.
      throw new SignInError('TokenRequestRefused', `SuperOffice refused the token request (${body?.error ?? res.status}).`);
    }
    return TokenResponse.parse(body);
  }

  exchangeCode(code: string, verifier: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'authorization_code', code, redirect_uri: this.settings.redirectUri, code_verifier: verifier });
  }

  refresh(refreshToken: string): Promise<TokenResponse> {
    return this.token({ grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  /**
   * Verifies the id_token: RS256 signature from the JWKS, issuer, audience, expiry and not-before,
   * our nonce, and (when the panel named one) the tenant it was issued for.
   */
  async verifyIdToken(idToken: string, expected: { nonce: string; tenantId?: string | null }): Promise<SuperOfficeIdentity> {
    const meta = await this.meta();
    this.jwks ??= createRemoteJWKSet(new URL(meta.jwks_uri), { [customFetch]: this.fetchImpl });
    const verified = await verifySuperOfficeJwt(idToken, this.jwks, {
      issuer: meta.issuer,
      audience: (aud) => aud === this.settings.clientId,
    });
    if (verified === 'signature') throw new SignInError('InvalidIdToken', 'The sign-in answer from SuperOffice could not be verified.');
    if (verified === 'claims' || typeof verified.sub !== 'string') {
      throw new SignInError('InvalidIdToken', 'The sign-in answer from SuperOffice is not for this app, or has expired.');
    }
    const payload = verified;
    if (payload.nonce !== expected.nonce) throw new SignInError('InvalidIdToken', 'The sign-in answer does not belong to this sign-in.');
    const claim = (name: string) => {
      const v = payload[SO_CLAIM + name];
      return typeof v === 'string' && v.length > 0 ? v : null;
    };
    const tenantId = claim('ctx');
    const associateId = Number(claim('associateid'));
    const webApiUrl = claim('webapi_url');
    if (!tenantId || !Number.isInteger(associateId) || associateId <= 0 || !webApiUrl) {
      throw new SignInError('InvalidIdToken', 'The sign-in answer lacks the tenant, associate or Web API address.');
    }
    if (expected.tenantId && expected.tenantId !== tenantId) {
      throw new SignInError('WrongTenant', `You signed in to ${tenantId}, but this panel belongs to ${expected.tenantId}.`);
    }
    return {
      tenantId,
      associateId,
      name: String(payload.name ?? claim('upn') ?? payload.sub),
      email: claim('email'),
      webApiUrl,
    };
  }
}

export function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
