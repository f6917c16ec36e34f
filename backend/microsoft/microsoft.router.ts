import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { requireAdmin } from '../auth/auth.middleware.js';
import { ApiError } from '../http/errors.js';
import { renderPopupResult } from '../http/popup-page.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import type { Integration } from '../integration.js';
import { actorOf } from '../links/link.router.js';
import { SignInError } from '../superoffice/oidc.js';
import { panelOrigin } from '../superoffice/signin.router.js';
import type { TenantRow } from '../db/database.js';
import { findTenant, requireTenant } from '../tenants/tenant.repository.js';
import { authorizedMailboxes } from '../authorizations/authorization.service.js';
import { adminConsentUrl, completeAdminConsent, continueAdminConsent } from './consent.js';
import { Graph } from './graph.client.js';
import { checkMailboxes } from './mailbox-check.js';
import { mailboxPage } from './mailboxes.js';
import { CheckBody, ConsentBody, MailboxQuery } from './microsoft.schemas.js';

function microsoft(ctx: ApiContext): Integration & { microsoft: NonNullable<Integration['microsoft']> } {
  const integration = ctx.state.deps.integration;
  if (!integration?.microsoft) throw new ApiError(503, 'MicrosoftNotConfigured', 'Microsoft 365 is not configured on this server.');
  return integration as Integration & { microsoft: NonNullable<Integration['microsoft']> };
}

/** Graph for the caller's tenant (read unless given); it must have been approved in Microsoft 365 first. */
export async function graphFor(ctx: ApiContext, known?: TenantRow): Promise<Graph> {
  const integration = microsoft(ctx);
  const tenant = known ?? (await findTenant(ctx.state.deps.store, ctx.state.session.tenantId));
  if (!tenant?.entra_tenant_id) {
    throw new ApiError(409, 'MicrosoftNotConnected', 'Approve the app in Microsoft 365 first (a Microsoft 365 administrator must consent).');
  }
  const { settings, tokens, retry } = integration.microsoft;
  return new Graph(settings, tokens, tenant.entra_tenant_id, { dispatcher: integration.dispatcher, retry });
}


/**
 * A cursor is a Graph `@odata.nextLink` of the users list, nothing else: an https URL on Graph's
 * own origin, path `/v1.0/users`, no credentials. Anything else would have our app token sent
 * for another resource (or the SDK to a host it mistakes for Graph). Returns the normalized URL.
 */
function usersNextLink(ctx: ApiContext, cursor: string): string {
  const graph = new URL(microsoft(ctx).microsoft.settings.graphUrl);
  let url: URL;
  try {
    url = new URL(cursor);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' || url.origin !== graph.origin || url.pathname !== '/v1.0/users' || url.username || url.password || url.hash) {
    throw new ApiError(400, 'InvalidCursor', 'The paging cursor is not a Microsoft Graph next link. Load External Users again from the start.');
  }
  return url.href;
}

/** Load External Users (paged, so the panel shows progress and can stop), the mailbox check, admin consent. */
export function microsoftRouter(): Router<ApiState> {
  const router = createRouter();

  router.post('/microsoft/consent', requireAdmin, async (ctx) => {
    parse(ConsentBody, ctx.request.body, 'body');
    const url = await adminConsentUrl(ctx.state.deps.store, microsoft(ctx), actorOf(ctx), ctx.state.deps.clock());
    ctx.body = { url };
  });

  router.get('/mailboxes', requireAdmin, async (ctx) => {
    const { cursor } = parse(MailboxQuery, ctx.query, 'query');
    const { store } = ctx.state.deps;
    const tenant = await requireTenant(store, ctx.state.session.tenantId);
    // OAuth mode: only mailboxes whose owners accepted an invite (one page, from our database).
    if (tenant.mode === 'oauth') {
      const mailboxes = await authorizedMailboxes(store, ctx.state.session.tenantId);
      ctx.body = { mailboxes, next: null, total: mailboxes.length };
      return;
    }
    const next = cursor === undefined ? null : usersNextLink(ctx, cursor);
    try {
      ctx.body = await mailboxPage(await graphFor(ctx, tenant), next);
    } catch (err) {
      // Graph refusing a cursor (a made-up or stale $skiptoken) is the caller's 400, not our 502.
      if (next && err instanceof ApiError && err.code === 'MicrosoftRequestRefused') {
        throw new ApiError(400, 'InvalidCursor', 'Microsoft Graph did not accept the paging cursor. Load External Users again from the start.');
      }
      throw err;
    }
  });

  router.post('/mailboxes/check', requireAdmin, async (ctx) => {
    const { ids } = parse(CheckBody, ctx.request.body, 'body');
    const kinds = await checkMailboxes(await graphFor(ctx), ids);
    ctx.body = { results: ids.map((id) => ({ id, kind: kinds.get(id) ?? 'unknown' })) };
  });

  return router;
}

/** A refused step ends the popup with an error page posted to the panel, and a log line (code only). */
function refusedStep(ctx: ApiContext, err: unknown): boolean {
  if (!(err instanceof SignInError || err instanceof ApiError)) return false;
  ctx.state.log.warn({ code: err.code }, 'admin consent refused');
  renderPopupResult(ctx, { type: 'mailbox-link:error', code: err.code, message: err.message }, panelOrigin(ctx));
  return true;
}

/**
 * The consent popup comes back here, twice (not under /api: these are pages, with no session
 * header): from the administrator's Microsoft sign-in, which goes on to Microsoft's admin-consent
 * page for the verified organisation, and from that page.
 */
export function consentCallbackRouter(): Router<ApiState> {
  const router = createRouter({ prefix: '/auth/microsoft' });
  router.get('/signin/callback', async (ctx) => {
    try {
      const next = await continueAdminConsent(ctx.state.deps.store, microsoft(ctx), ctx.query, ctx.state.deps.clock());
      // The popup stays the panel's popup on its way through Microsoft's pages (as on the result page).
      ctx.set('Cross-Origin-Opener-Policy', 'unsafe-none');
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(next);
    } catch (err) {
      if (!refusedStep(ctx, err)) throw err;
    }
  });
  router.get('/consent/callback', async (ctx) => {
    try {
      const done = await completeAdminConsent(ctx.state.deps.store, microsoft(ctx), ctx.query, ctx.state.requestId, ctx.state.deps.clock());
      ctx.state.log.info({ tenant: done.tenantId, entraTenant: done.entraTenantId }, 'admin consent recorded');
      renderPopupResult(ctx, { type: 'mailbox-link:consented', tenant: done.tenantId }, panelOrigin(ctx));
    } catch (err) {
      if (!refusedStep(ctx, err)) throw err;
    }
  });
  return router;
}
