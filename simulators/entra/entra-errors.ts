import { randomUUID } from 'node:crypto';

/**
 * Token-endpoint errors as Entra ID v2 sends them: an OAuth `error`, an `error_description` that
 * starts with the AADSTS code and ends with trace/correlation ids and a timestamp (separated by
 * CRLF), the numeric codes, and an `error_uri`. Clients branch on `error` and the AADSTS number.
 */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
}

export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
    this.name = 'EntraError';
  }

  body(authorityUrl: string, correlationId: string = randomUUID()): EntraErrorBody {
    const now = new Date();
    // Entra's timestamp format: "2024-05-01 10:15:30Z".
    const timestamp = `${now.toISOString().slice(0, 19).replace('T', ' ')}Z`;
    const traceId = randomUUID();
    return {
      error: this.error,
      error_description: `AADSTS${this.aadsts}: ${this.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${authorityUrl}/error?code=${this.aadsts}`,
    };
  }
}

/** The errors the simulator raises, named so the code reads like the behaviour it mimics. */
export const entraErrors = {
  tenantNotFound: (tenant: string) =>
    new EntraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
  noTenantInfo: () =>
    new EntraError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.'),
  appNotInDirectory: (clientId: string, tenant: string) =>
    new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`),
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  missingSecret: () =>
    new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidSecret: (clientId: string) =>
    new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`),
  publicClientWithSecret: () =>
    new EntraError(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented."),
  scopeNeedsDefault: (scope: string) =>
    new EntraError(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`),
  resourceNotFound: (resource: string, tenant: string) =>
    new EntraError(400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`),
  invalidScope: (scope: string) =>
    new EntraError(400, 'invalid_scope', 70011, `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  unsupportedGrant: (grant: string) =>
    new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`),
  invalidCode: () => new EntraError(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid."),
  codeRedeemed: () =>
    new EntraError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.'),
  codeExpired: () =>
    new EntraError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.'),
  codeForOtherClient: () =>
    new EntraError(400, 'invalid_grant', 70000, 'The provided authorization code was issued to a different client.'),
  codeForOtherTenant: () =>
    new EntraError(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.'),
  redirectMismatch: (redirectUri: string, clientId: string) =>
    new EntraError(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`),
  pkceMismatch: () =>
    new EntraError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.'),
  pkceRequired: () =>
    new EntraError(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for cross-origin authorization code redemption.'),
  spaNeedsCors: () =>
    new EntraError(400, 'invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."),
  // Microsoft identity platform error codes: AADSTS50173 FreshTokenNeeded, "the provided grant has
  // expired due to it being revoked" (sessions revoked, password changed or reset).
  grantRevoked: () =>
    new EntraError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.'),
  invalidRefreshToken: () => new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  unsupportedResponseType: (type: string) =>
    new EntraError(400, 'unsupported_response_type', 700054, `response_type '${type}' is not enabled for the application.`),
  loginRequired: () => new EntraError(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'),
  userCancelled: () => new EntraError(400, 'access_denied', 65004, 'User declined to consent to access the app.'),
  // Where users may not consent ("Users can consent to apps" off) and no administrator granted the
  // permissions; OpenID Connect's `consent_required` (Core 1.0 §3.1.2.6), which MSAL turns into
  // an InteractionRequiredAuthError.
  consentRequired: (clientId: string, appName: string) =>
    new EntraError(400, 'consent_required', 65001, `The user or administrator has not consented to use the application with ID '${clientId}' named '${appName}'. Send an interactive authorization request for this user and resource.`),
} as const;
