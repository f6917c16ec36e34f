import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { auditRouter } from './audit/audit.router.js';
import { authenticate } from './auth/auth.middleware.js';
import { sessionRouter } from './auth/session.router.js';
import { signInRouter } from './auth/signin.router.js';
import { compression } from './http/compression.js';
import { ApiError, errorHandler } from './http/errors.js';
import { requestLogging } from './http/logging.js';
import { acceptPageRouter, panelRouter } from './http/panel.js';
import { publicRateLimit } from './http/rate-limit.js';
import { createRouter } from './http/router.js';
import { acceptCallbackRouter, acceptRouter } from './invites/accept.router.js';
import { inviteRouter } from './invites/invite.router.js';
import { authorizationRouter } from './authorizations/authorization.router.js';
import { securityHeaders } from './http/security.js';
import type { ApiContext, ApiState, AppDeps } from './http/types.js';
import { linkRouter } from './links/link.router.js';
import { linkCsvRouter } from './links/link-csv.router.js';
import { isUpload } from './http/upload.js';
import { consentCallbackRouter, microsoftRouter } from './microsoft/microsoft.router.js';
import { associatesRouter } from './superoffice/associates.router.js';
import { syncAdminRouter } from './sync-admin/sync-admin.router.js';
import { decorateContext } from './request-context.js';
import { tenantRouter } from './tenants/tenant.router.js';
import { triggerRouter } from './triggers/trigger.router.js';
import { undoRouter } from './undo/undo.router.js';
import { healthRouter } from './health/health.router.js';
import { alertRouter } from './alerts/alert.router.js';
import { explainRouter } from './explain/explain.router.js';
import { ranksRouter } from './ranks/ranks.router.js';

const JSON_TYPE = 'application/json';
/** Endpoints anyone may call that write (a sign-in state) or test a secret (tickets, invite links). */
const PUBLIC_WRITES = /^\/(auth\/superoffice\/(start|ticket)|auth\/microsoft\/accept\/|api\/public\/)/;

/** Mutations must say they send JSON; a form post or plain text is refused, not half-read. */
async function requireJson(ctx: ApiContext, next: () => Promise<void>): Promise<void> {
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(ctx.method);
  if (hasBody && !ctx.is(JSON_TYPE)) {
    throw new ApiError(415, 'UnsupportedMediaType', 'Send the request body as application/json.');
  }
  await next();
}

/**
 * The body parser decodes invalid UTF-8 to U+FFFD without a word, so a name with a broken byte
 * would be saved mangled. Refuse the body instead. (A literal U+FFFD, the replacement character,
 * is refused too: it only ever stands for text that was already lost. Escaped as \ufffd it passes.)
 */
async function requireUtf8(ctx: ApiContext, next: () => Promise<void>): Promise<void> {
  const raw = (ctx.request as { rawBody?: unknown }).rawBody;
  if (typeof raw === 'string' && raw.includes('\uFFFD')) {
    throw new ApiError(400, 'InvalidJson', 'The request body is not valid UTF-8.');
  }
  await next();
}

export function createApp(deps: AppDeps): Koa<ApiState> {
  // Behind trusted proxies, the client address is the one the nearest of them saw.
  const app = new Koa<ApiState>({ proxy: deps.config.trustProxy, maxIpsCount: deps.config.trustProxyHops });
  app.on('error', (err: unknown, ctx?: ApiContext) => {
    (ctx?.state?.log ?? deps.logger).error({ err }, 'unexpected error');
  });

  const api = createRouter({ prefix: '/api/v1' });
  // Authenticate before reading a body: strangers cannot make the server parse megabytes.
  const parseJson = bodyParser({ enableTypes: ['json'], jsonLimit: deps.config.bodyLimit, encoding: 'utf-8' });
  // The file uploads read their own body, after their role check (http/upload.ts).
  const jsonBody = (ctx: ApiContext, next: () => Promise<void>) =>
    isUpload(ctx) ? next() : requireJson(ctx, () => parseJson(ctx, () => requireUtf8(ctx, next)));
  api.use(authenticate, jsonBody);
  for (const router of [
    sessionRouter(),
    tenantRouter(),
    linkRouter(),
    auditRouter(),
    associatesRouter(),
    microsoftRouter(),
    inviteRouter(),
    authorizationRouter(),
    syncAdminRouter(),
    undoRouter(),
    healthRouter(),
    alertRouter(),
    explainRouter(),
    ranksRouter(),
    linkCsvRouter(),
  ]) {
    api.use(router.routes(), router.allowedMethods({ throw: true }));
  }

  app.use(requestLogging(deps.logger));
  app.use(decorateContext(deps));
  app.use(errorHandler());
  app.use(securityHeaders(deps.config.frameAncestors, deps.config.superoffice?.url ?? null));
  app.use(compression());
  // No session needed here, so an address gets a budget (the rest of the API requires a session).
  const limited = publicRateLimit(deps.config.publicRateLimit);
  app.use((ctx, next) => (PUBLIC_WRITES.test(ctx.path) ? limited(ctx, next) : next()));
  app.use(api.routes());
  app.use(api.allowedMethods({ throw: true }));
  // Sign-in and consent popups: pages, not API calls.
  // The accept page's API: no session (the invite secret is the credential).
  // Graph change notifications and SuperOffice webhooks: callers with no session, each checked by its own secret.
  const triggers = triggerRouter();
  app.use(triggers.routes());
  app.use(triggers.allowedMethods({ throw: true }));
  const accept = acceptRouter();
  app.use(accept.routes());
  app.use(accept.allowedMethods({ throw: true }));
  for (const router of [signInRouter(), consentCallbackRouter(), acceptCallbackRouter(), panelRouter(), acceptPageRouter()]) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
