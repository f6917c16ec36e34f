import type { InviteOpened } from '../logic/types.js';

/** What the backend's open answer says about signing in (MSAL settings and the nonce to send). */
export type SignInSettings = InviteOpened['signIn'];

/** The Microsoft account that came back from the redirect, with its raw ID token. */
export interface SignedIn {
  /** The raw ID token (a JWT) as Microsoft issued it; the backend verifies it. */
  idToken: string;
  /** `name` of the account, '' when Microsoft gave none. */
  name: string;
  /** `preferred_username` (usually the UPN or email). */
  username: string;
}

/**
 * The accept page's only view of Microsoft sign-in (redirect flow). The real one wraps
 * `@azure/msal-browser` (msal-sign-in-client.ts, the only module importing it); tests pass a stub.
 */
export interface SignInClient {
  /**
   * Finishes a sign-in when this page load is Microsoft's redirect back (the response is in the
   * URL fragment); null when it is not. Rejects when Microsoft answered with an error.
   */
  handleRedirect(settings: SignInSettings): Promise<SignedIn | null>;
  /**
   * Leaves for Microsoft's sign-in page; the answer arrives in a later {@link handleRedirect}.
   * `pickAccount`: let the user choose another account instead of hinting the invited one.
   */
  signIn(settings: SignInSettings, options?: { pickAccount?: boolean }): Promise<void>;
  /** Forgets what sign-in kept in this tab (accounts, tokens, request state). */
  clear(settings: SignInSettings): Promise<void>;
}
