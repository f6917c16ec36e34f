import type { JSONWebKeySet } from 'jose';
import type { DemoTenant } from '../demo-tenant.types.js';
import type { RequestCounts } from '../request-counts.js';

/** An app registration. */
export interface EntraApp {
  clientId: string;
  /** Confidential (web) client secret. Absent for a SPA-only/public registration. */
  clientSecret?: string;
  /** "Web" platform redirect URIs: codes sent there are redeemed with the secret. */
  redirectUris: string[];
  /** "Single-page application" redirect URIs: PKCE required, redeemed cross-origin without a secret. */
  spaRedirectUris?: string[];
  /** Graph application permissions (app roles) an admin grants by consenting, e.g. `User.Read.All`. */
  permissions: string[];
  /**
   * Graph delegated permissions listed in the registration (`openid`, `profile`, `User.Read`…).
   * Admin consent through `/.default` grants these for every user of the tenant, and only these.
   */
  delegatedPermissions?: string[];
  displayName?: string;
}

export interface EntraSimulatorOptions {
  tenant: DemoTenant;
  /** More directories, for multi-tenant tests; `organizations` consent lands in `tenant`. */
  otherTenants?: DemoTenant[];
  apps: EntraApp[];
  /** Grant every app its permissions in `tenant` from the start (as if an admin had consented). */
  consentGranted?: boolean;
  /**
   * The tenants' "Users can consent to apps" setting. `false`: a user who is not a directory
   * administrator may not consent, so a sign-in asking for delegated permissions that no admin
   * granted tenant-wide is refused (AADSTS65001). Default true (Entra's default for new tenants).
   */
  userConsent?: boolean;
  /** Object ids of users holding an administrator role: they may consent for themselves whatever `userConsent` says. */
  directoryAdmins?: string[];
  port?: number;
  /** `expires_in` of access tokens; Entra's usual value is 3599 (60–90 min in reality). */
  tokenLifetimeSeconds?: number;
}

/** What a resource server (the Graph simulator) needs to validate the tokens Entra issues. */
export interface TokenAuthority {
  /** The public keys as `/discovery/v2.0/keys` serves them. */
  jwks(): JSONWebKeySet;
  /** `iss` of access tokens for a tenant. */
  accessTokenIssuer(tenantId: string): string;
  /** Base URL of the authority, for `WWW-Authenticate` hints. */
  readonly url: string;
}

export interface MintAccessTokenOptions {
  tenantId: string;
  clientId: string;
  /** Application permissions; omit for none (no `roles` claim). */
  roles?: string[];
  /** Delegated permissions (`scp`) for a user token; needs `userId`. */
  scopes?: string[];
  userId?: string;
  /** Negative values mint an already-expired token. */
  lifetimeSeconds?: number;
  audience?: string;
}

export interface MintIdTokenOptions {
  tenantId: string;
  clientId: string;
  userId: string;
  nonce?: string;
  /** Negative values mint an already-expired token. */
  lifetimeSeconds?: number;
  /** Claims to add or replace after the usual ones (`aud`, `iss`, `tid`… for negative tests). */
  claims?: Record<string, unknown>;
}

export interface EntraControl extends TokenAuthority {
  /** Admin consent: application `permissions` and tenant-wide `delegated` ones (default: the registration's). */
  grantConsent(tenantId: string, clientId: string, permissions?: string[], delegated?: string[]): void;
  /** The user-consent switch (see {@link EntraSimulatorOptions.userConsent}), for all tenants. */
  setUserConsent(allowed: boolean): void;
  /** Delegated permissions granted tenant-wide (lower-case). */
  delegatedConsent(tenantId: string, clientId: string): string[];
  revokeConsent(tenantId: string, clientId: string): void;
  /** Granted application permissions, or null when the app has no consent in that tenant. */
  consent(tenantId: string, clientId: string): string[] | null;
  requests(): RequestCounts;
  resetRequests(): void;
  /** PEM (SPKI) of the signing key, for verifiers that want a key rather than a JWKS. */
  publicKeyPem(): string;
  /** Signs an access token directly (expired, wrong audience, no roles… for negative tests). */
  mintAccessToken(options: MintAccessTokenOptions): Promise<string>;
  /** Every authorization code, refresh token and signed (access/id) token issued so far. */
  issued(): { kind: 'code' | 'refresh' | 'token'; value: string }[];
  /** Signs a v2.0 id token for a directory user, as the token endpoint would issue it. */
  mintIdToken(options: MintIdTokenOptions): Promise<string>;
  /** Revokes the user's sessions (or resets their password): their refresh tokens get invalid_grant AADSTS50173. Returns how many. */
  revokeUserSessions(tenantId: string, userId: string): number;
  /** `expires_in` of access tokens issued from now on (seconds). */
  setTokenLifetime(seconds: number): void;
  /** Consent back to the start-up state; codes, refresh tokens and counts cleared. */
  reset(): void;
}

export interface EntraSimulator {
  /** `https://127.0.0.1:<port>` — the authority host; tenants are path segments under it. */
  url: string;
  /** The v2.0 issuer of id tokens for a tenant (`{url}/{tid}/v2.0`). */
  issuer(tenantId: string): string;
  /** `{url}/{tid}` — what MSAL takes as `authority`. */
  authority(tenantId: string): string;
  control: EntraControl;
  close(): Promise<void>;
}
