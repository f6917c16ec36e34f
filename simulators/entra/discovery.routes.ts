import Router from '@koa/router';
import type { EntraEnv } from './env.js';
import { entraErrors } from './entra-errors.js';
import { v2Issuer } from './tokens.js';

/**
 * The v2.0 OpenID configuration, with Entra's field set. For `common`/`organizations` the issuer
 * keeps the literal `{tenantid}` placeholder, as Entra's does (validators must substitute `tid`).
 */
export function openIdConfiguration(baseUrl: string, tenantSegment: string, tenantId: string | null): Record<string, unknown> {
  const authority = `${baseUrl}/${tenantId ?? tenantSegment}`;
  return {
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: v2Issuer(baseUrl, tenantId ?? '{tenantid}'),
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${authority}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${authority}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

export function discoveryRoutes(env: EntraEnv): Router {
  const router = new Router();

  router.get('/:tenant/v2.0/.well-known/openid-configuration', (ctx) => {
    const ref = env.directory.resolve(ctx.params.tenant!);
    if (!ref) throw entraErrors.tenantNotFound(ctx.params.tenant!);
    ctx.body = openIdConfiguration(env.baseUrl, ctx.params.tenant!, ref.kind === 'tenant' ? ref.tenant.entraTenantId : null);
  });

  router.get('/:tenant/discovery/v2.0/keys', (ctx) => {
    const ref = env.directory.resolve(ctx.params.tenant!);
    if (!ref) throw entraErrors.tenantNotFound(ctx.params.tenant!);
    // Tenant-specific key sets carry the issuer each key may sign for.
    const issuer = v2Issuer(env.baseUrl, ref.kind === 'tenant' ? ref.tenant.entraTenantId : '{tenantid}');
    ctx.body = { keys: [{ ...env.key.publicJwk, issuer }] };
  });

  return router;
}
