import { AuthError, ConfidentialClientApplication, InteractionRequiredAuthError } from '@azure/msal-node';
import type { Fetch } from '../http/outbound.js';
import { CodeRedemptionError, confidentialClient, type MicrosoftSettings } from './app-token.js';

/**
 * What an OAuth-mode mailbox owner grants on the accept page: their own calendar, To Do and
 * contacts (delegated, so Graph acts as that user and nobody else), and `offline_access`, without
 * which Entra issues no refresh token and the worker could act only for the hour the first access
 * token lives (Microsoft identity platform, "Permissions and consent": offline_access).
 * `openid profile email` identify the account, as the id-token-only sign-in did.
 */
export const DELEGATED_SYNC_SCOPES = ['Calendars.ReadWrite', 'Tasks.ReadWrite', 'Contacts.ReadWrite'];
export const ACCEPT_GRANT_SCOPES = ['openid', 'profile', 'email', 'offline_access', ...DELEGATED_SYNC_SCOPES];

/** The owner's grant no longer works (revoked, password reset, consent withdrawn, or never given): a new acceptance is needed. */
export class GrantRefusedError extends Error {
  constructor(readonly errorCode: string) {
    super(`Microsoft refused the mailbox owner's grant (${errorCode})`);
    this.name = 'GrantRefusedError';
  }
}

/**
 * The mailbox owner's delegated grant, through @azure/msal-node. The grant IS msal-node's token
 * cache for that one account (serialized JSON: its refresh token and current access token), kept
 * by the caller sealed at rest; each call builds a ConfidentialClientApplication around it, so no
 * user's tokens stay in this process's memory between passes. acquireTokenSilent gives the cached
 * access token while it is fresh, else redeems the refresh token (MSAL's own rule: five minutes
 * before `expires_in` ends); Entra rotates the refresh token then, so the cache that comes back
 * is what must be stored again.
 */
export class DelegatedGrants {
  constructor(
    private readonly settings: MicrosoftSettings,
    private readonly fetchImpl: Fetch,
  ) {}

  private app(entraTenantId: string): ConfidentialClientApplication {
    return confidentialClient(this.settings, this.fetchImpl, entraTenantId);
  }

  /** Where the accept page sends the browser: authorization code with PKCE (S256) at the organisation's authority. */
  authorizeUrl(input: { entraTenantId: string; redirectUri: string; state: string; nonce: string; codeChallenge: string; loginHint?: string; pickAccount?: boolean }): string {
    const url = new URL(`${new URL(this.settings.authorityUrl).origin}/${encodeURIComponent(input.entraTenantId)}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: this.settings.clientId,
      response_type: 'code',
      redirect_uri: input.redirectUri,
      response_mode: 'query',
      scope: ACCEPT_GRANT_SCOPES.join(' '),
      state: input.state,
      nonce: input.nonce,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
      // Entra refuses login_hint with prompt=select_account: the picker, or the hint.
      ...(input.pickAccount ? { prompt: 'select_account' } : input.loginHint ? { login_hint: input.loginHint } : {}),
    }).toString();
    return url.toString();
  }

  /**
   * Redeems the accept page's code with our PKCE verifier, as the confidential client. Returns the
   * raw id token (the caller verifies it) and the token cache to seal; `refreshable` is false when
   * Entra gave no refresh token (then the worker could not go on after the first hour).
   */
  async redeem(input: { entraTenantId: string; code: string; codeVerifier: string; nonce: string; redirectUri: string }): Promise<{ idToken: string; grant: string; refreshable: boolean }> {
    const app = this.app(input.entraTenantId);
    let result;
    try {
      result = await app.acquireTokenByCode({
        code: input.code,
        codeVerifier: input.codeVerifier,
        nonce: input.nonce,
        redirectUri: input.redirectUri,
        scopes: ACCEPT_GRANT_SCOPES,
      });
    } catch (err) {
      if (err instanceof AuthError) throw new CodeRedemptionError(err.errorCode || 'error');
      throw err;
    }
    if (!result?.idToken) throw new CodeRedemptionError('no_id_token');
    const grant = app.getTokenCache().serialize();
    const refreshable = Object.keys((JSON.parse(grant) as { RefreshToken?: Record<string, unknown> }).RefreshToken ?? {}).length > 0;
    return { idToken: result.idToken, grant, refreshable };
  }

  /**
   * A delegated Graph access token for the grant's account, and the grant as it is now (changed
   * when MSAL redeemed and Entra rotated the refresh token). A refused grant (Entra's
   * invalid_grant: revoked, password reset, consent withdrawn; or no refresh token) is a
   * GrantRefusedError; an outage is thrown as it came.
   */
  async accessToken(entraTenantId: string, grant: string): Promise<{ accessToken: string; grant: string; userId: string; expiresAt: number }> {
    const app = this.app(entraTenantId);
    const cache = app.getTokenCache();
    cache.deserialize(grant);
    const [account] = await cache.getAllAccounts();
    if (!account) throw new GrantRefusedError('no_account');
    let result;
    try {
      result = await app.acquireTokenSilent({ account, scopes: DELEGATED_SYNC_SCOPES });
    } catch (err) {
      if (err instanceof InteractionRequiredAuthError || (err instanceof AuthError && err.errorCode === 'invalid_grant')) {
        throw new GrantRefusedError(err.errorCode || 'invalid_grant');
      }
      throw err;
    }
    if (!result?.accessToken) throw new GrantRefusedError('no_access_token');
    return { accessToken: result.accessToken, grant: cache.serialize(), userId: account.localAccountId, expiresAt: result.expiresOn?.getTime() ?? Date.now() };
  }
}
