import { createRemoteJWKSet, customFetch, decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from '../domain-error.js';
import type { Fetch } from '../http/outbound.js';
import type { MicrosoftSettings } from './app-token.js';

/** Seconds of clock difference tolerated on `exp` and `nbf`. */
const CLOCK_TOLERANCE = 60;

/** Who signed in (the accept page's invitee, or an administrator approving the app), from a verified Entra ID v2.0 id token. */
export interface EntraIdentity {
  /** The user's object id in the directory (lower-case GUID). */
  oid: string;
  tid: string;
  /** The sign-in name (UPN), `preferred_username`. */
  username: string;
  name: string | null;
  email: string | null;
  nonce: string;
}

/** Why an id token is refused; `code` is the API error code, the message is safe to show. */
export class IdTokenError extends DomainError {
  constructor(status: 401 | 403, code: 'InvalidIdToken' | 'WrongOrganisation', message: string) {
    super(status === 401 ? 'unauthenticated' : 'forbidden', code, message);
    this.name = 'IdTokenError';
  }
}

const refused = (why: string) => new IdTokenError(401, 'InvalidIdToken', `Your Microsoft sign-in could not be verified (${why}). Sign in again.`);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The directory of personal Microsoft accounts: never an organisation. */
const CONSUMER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';

/**
 * What the token must be for: `tenantId` names the one organisation allowed (the accept page), or
 * null for a sign-in at `organizations`, where any work or school organisation's token is
 * accepted and its issuer must name that organisation's own `tid`. `nonce`, when given, must match.
 */
export interface IdTokenExpectation {
  tenantId: string | null;
  nonce?: string;
}

/**
 * Verifies id tokens that Entra ID issued to this app (the accept page's MSAL sign-in, and the
 * administrator's sign-in before admin consent): the signature with the published keys (JWKS,
 * cached and refreshed by jose), the v2.0 issuer of the token's own tenant, our client id as
 * audience, expiry, the nonce and the `tid` claim. MSAL itself only decodes the token, so this is
 * the check that counts.
 */
export class EntraIdTokens {
  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(
    private readonly settings: Pick<MicrosoftSettings, 'authorityUrl' | 'clientId'>,
    private readonly fetchImpl: Fetch,
  ) {}

  private authority(): string {
    return this.settings.authorityUrl.replace(/\/+$/, '');
  }

  private keys(tenantId: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.keySets.get(tenantId);
    if (!set) {
      set = createRemoteJWKSet(new URL(`${this.authority()}/${tenantId}/discovery/v2.0/keys`), {
        [customFetch]: this.fetchImpl,
        cacheMaxAge: 60 * 60 * 1000,
        cooldownDuration: 30_000,
      });
      this.keySets.set(tenantId, set);
    }
    return set;
  }

  /** Resolves with the identity, or rejects with {@link IdTokenError} (never with the token in the message). */
  async verify(idToken: string, expected: IdTokenExpectation): Promise<EntraIdentity> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(idToken);
    } catch {
      throw refused('not a token');
    }
    // Checked before the signature only to give the clearer message; the issuer check below
    // (which names the tenant) is what enforces it.
    if (expected.tenantId !== null && typeof unverified.tid === 'string' && unverified.tid.toLowerCase() !== expected.tenantId.toLowerCase()) {
      throw new IdTokenError(
        403,
        'WrongOrganisation',
        'You signed in with an account of another Microsoft 365 organisation. Sign in with your work account of the organisation that invited you.',
      );
    }
    // At `organizations` the issuer is the signed-in user's own tenant: its `tid`, which the
    // signature then vouches for (Entra's multi-tenant issuer validation).
    const tenantId = expected.tenantId ?? (typeof unverified.tid === 'string' ? unverified.tid.toLowerCase() : '');
    if (!GUID.test(tenantId)) throw refused('no organisation');
    if (tenantId === CONSUMER_TENANT) throw new IdTokenError(403, 'WrongOrganisation', 'Sign in with a work or school account, not a personal Microsoft account.');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(idToken, this.keys(expected.tenantId ?? 'organizations'), {
        algorithms: ['RS256'],
        issuer: `${this.authority()}/${tenantId}/v2.0`,
        audience: this.settings.clientId,
        clockTolerance: CLOCK_TOLERANCE,
        requiredClaims: ['exp', 'iat', 'nonce', 'oid', 'tid'],
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw refused('the sign-in has expired');
      if (err instanceof errors.JWTClaimValidationFailed) {
        const claim = err.claim === 'aud' ? 'it was issued to another app' : err.claim === 'iss' ? 'wrong issuer' : `claim ${err.claim}`;
        throw refused(claim);
      }
      if (err instanceof errors.JWSSignatureVerificationFailed || err instanceof errors.JWKSNoMatchingKey) throw refused('bad signature');
      if (err instanceof errors.JOSEError) throw refused('malformed token');
      throw err;
    }
    const tid = String(payload.tid).toLowerCase();
    if (tid !== tenantId.toLowerCase()) throw new IdTokenError(403, 'WrongOrganisation', 'You signed in with an account of another Microsoft 365 organisation.');
    if (expected.nonce !== undefined && payload.nonce !== expected.nonce) throw refused('it belongs to another sign-in');
    const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    return {
      oid: String(payload.oid).toLowerCase(),
      tid,
      username: str(payload.preferred_username) ?? str(payload.email) ?? String(payload.oid),
      name: str(payload.name),
      email: str(payload.email),
      nonce: String(payload.nonce),
    };
  }
}
