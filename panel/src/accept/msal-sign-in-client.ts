import {
  BrowserCacheLocation,
  ProtocolMode,
  createStandardPublicClientApplication,
  type Configuration,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import type { SignInClient, SignInSettings, SignedIn } from './sign-in-client.js';

/**
 * MSAL browser v5 settings for the redirect flow. `protocolMode` lives in `system` in v5; AAD mode
 * reads `{authority}/v2.0/.well-known/openid-configuration`, and `knownAuthorities` (host:port of
 * the authority) stops MSAL asking login.microsoftonline.com for instance discovery, so a
 * non-Microsoft host (the Entra simulator) works too. The cache lives in sessionStorage: it only
 * has to survive the round trip to Microsoft in this tab.
 */
export function msalConfiguration(s: SignInSettings): Configuration {
  return {
    auth: {
      clientId: s.clientId,
      authority: s.authority,
      knownAuthorities: s.knownAuthorities,
      redirectUri: s.redirectUri,
      postLogoutRedirectUri: null,
    },
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
    system: { protocolMode: ProtocolMode.AAD },
  };
}

/** {@link SignInClient} over `@azure/msal-browser` (redirect flow, PKCE, nonce from the backend). */
export class MsalSignInClient implements SignInClient {
  private app: { key: string; ready: Promise<{ pca: IPublicClientApplication; redirect: Promise<SignedIn | null> }> } | null = null;

  /**
   * One application per settings; MSAL wants `handleRedirectPromise` to run once on every page
   * load before anything else (it also clears a sign-in left half-way), so it starts here.
   */
  private ready(s: SignInSettings) {
    const key = JSON.stringify([s.clientId, s.authority, s.knownAuthorities, s.redirectUri]);
    if (this.app?.key !== key) {
      const ready = createStandardPublicClientApplication(msalConfiguration(s)).then((pca) => {
        // The page that starts the sign-in is the redirect URI itself: no second navigation.
        const redirect = pca.handleRedirectPromise({ navigateToLoginRequestUrl: false }).then(
          (r): SignedIn | null => r && { idToken: r.idToken, name: r.account?.name ?? '', username: r.account?.username ?? '' },
        );
        // Marked as handled here; callers still see the rejection through handleRedirect().
        redirect.catch(() => undefined);
        return { pca, redirect };
      });
      this.app = { key, ready };
    }
    return this.app.ready;
  }

  async handleRedirect(s: SignInSettings): Promise<SignedIn | null> {
    return (await this.ready(s)).redirect;
  }

  async signIn(s: SignInSettings, options: { pickAccount?: boolean } = {}): Promise<void> {
    const { pca, redirect } = await this.ready(s);
    await redirect.catch(() => null);
    // MSAL drops login_hint when prompt=select_account (Entra rejects the pair), so the first
    // sign-in hints the invited account and "another account" asks Microsoft for the picker.
    await pca.loginRedirect(
      options.pickAccount
        ? { scopes: s.scopes, nonce: s.nonce, prompt: 'select_account' }
        : { scopes: s.scopes, nonce: s.nonce, ...(s.loginHint ? { loginHint: s.loginHint } : {}) },
    );
  }

  async clear(s: SignInSettings): Promise<void> {
    const { pca, redirect } = await this.ready(s);
    await redirect.catch(() => null);
    await pca.clearCache();
  }
}
