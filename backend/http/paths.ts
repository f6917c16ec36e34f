/** Where the identity providers send the browser back, and the accept page: this server's fixed paths. */
export const SUPEROFFICE_CALLBACK = '/auth/superoffice/callback';
export const CONSENT_CALLBACK = '/auth/microsoft/consent/callback';
/** Admin consent's first step: the administrator's OpenID Connect sign-in comes back here. */
export const MICROSOFT_SIGNIN_CALLBACK = '/auth/microsoft/signin/callback';
/** The Token Authentication Manager's accept page (a top-level page; the sign-in callback sends the browser back here). */
export const ACCEPT_PATH = '/accept/';
/** The accept page's grant sign-in (authorization code + PKCE, redeemed by the backend) comes back here: a "web" redirect URI. */
export const ACCEPT_CALLBACK = '/auth/microsoft/accept/callback';
