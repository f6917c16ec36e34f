import { AuthError, ConfidentialClientApplication, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import type { Fetch } from '../http/outbound.js';

export interface MicrosoftSettings {
  /** `https://login.microsoftonline.com`, or the Entra simulator. */
  authorityUrl: string;
  /** `https://graph.microsoft.com`, or the Graph simulator. */
  graphUrl: string;
  clientId: string;
  clientSecret?: string;
  /** Certificate credential instead of a secret: SHA-256 thumbprint (hex) and PEM private key. */
  clientCertificate?: { thumbprintSha256: string; privateKey: string };
}

/** Application permissions are always requested through Graph's `/.default` scope. */
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** MSAL's HTTP calls go through our fetch, so they honour the configured CAs and time limits. */
export function networkModule(fetchImpl: Fetch): INetworkModule {
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const res = await fetchImpl(url, { method, headers: options?.headers, body: options?.body });
    const headers: Record<string, string> = {};
    res.headers.forEach((value, key) => (headers[key] = value));
    return { status: res.status, headers, body: (await res.json().catch(() => ({}))) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

/** Microsoft refused to redeem a sign-in's code; `errorCode` is its OAuth error (never a description, which may echo what we sent). */
export class CodeRedemptionError extends Error {
  constructor(readonly errorCode: string) {
    super(`Microsoft refused the sign-in code (${errorCode})`);
    this.name = 'CodeRedemptionError';
  }
}

/** Our app registration as msal-node's confidential client at one organisation's authority (secret or certificate). */
export function confidentialClient(settings: MicrosoftSettings, fetchImpl: Fetch, entraTenantId: string): ConfidentialClientApplication {
  const authority = new URL(settings.authorityUrl);
  return new ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: `${authority.origin}/${entraTenantId}`,
      ...(settings.clientSecret
        ? { clientSecret: settings.clientSecret }
        : { clientCertificate: { thumbprintSha256: settings.clientCertificate!.thumbprintSha256, privateKey: settings.clientCertificate!.privateKey } }),
      // A non-Microsoft host (the simulator) is trusted as is, without instance discovery.
      ...(authority.hostname === 'login.microsoftonline.com' ? {} : { knownAuthorities: [authority.host] }),
    },
    system: { networkClient: networkModule(fetchImpl) },
  });
}

/**
 * App-only tokens for Microsoft Graph (client credentials), one MSAL client per Entra tenant;
 * MSAL caches each token until shortly before it expires. Also redeems the code of an
 * administrator's sign-in at `organizations` (admin consent's first step), with the same credential.
 */
export class GraphAppTokens {
  private readonly apps = new Map<string, ConfidentialClientApplication>();

  constructor(
    private readonly settings: MicrosoftSettings,
    private readonly fetchImpl: Fetch,
  ) {
    if (!settings.clientSecret && !settings.clientCertificate) throw new Error('Entra ID needs a client secret or certificate');
  }

  private app(entraTenantId: string): ConfidentialClientApplication {
    let app = this.apps.get(entraTenantId);
    if (!app) {
      app = confidentialClient(this.settings, this.fetchImpl, entraTenantId);
      this.apps.set(entraTenantId, app);
    }
    return app;
  }

  /**
   * Authorization code + PKCE, redeemed as the confidential client (secret or certificate).
   * Returns the raw id token, for the caller to verify; the account MSAL cached is dropped at
   * once (nothing but the identity is needed, and no user's tokens are kept in memory).
   */
  async redeemSignInCode(input: { code: string; codeVerifier: string; nonce: string; redirectUri: string; scopes: string[] }): Promise<string> {
    const app = this.app('organizations');
    let result;
    try {
      result = await app.acquireTokenByCode({ code: input.code, codeVerifier: input.codeVerifier, nonce: input.nonce, redirectUri: input.redirectUri, scopes: input.scopes });
    } catch (err) {
      if (err instanceof AuthError) throw new CodeRedemptionError(err.errorCode || 'error');
      throw err;
    }
    if (result?.account) await app.getTokenCache().removeAccount(result.account);
    if (!result?.idToken) throw new CodeRedemptionError('no_id_token');
    return result.idToken;
  }

  async token(entraTenantId: string): Promise<string> {
    const result = await this.app(entraTenantId).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    if (!result?.accessToken) throw new Error('Entra ID returned no access token');
    return result.accessToken;
  }
}
