import type Router from '@koa/router';
import { createRouter } from '../http/router.js';
import { DomainError } from '../domain-error.js';
import { ApiError } from '../http/errors.js';
import { requireAdmin } from '../http/guards.js';
import { renderPopupResult } from '../http/popup-page.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { parse } from '../http/validate.js';
import { refreshOrganizationName } from './organization.js';
import { adminConsentUrl, completeAdminConsent, continueAdminConsent } from './consent.service.js';
import { checkMailboxKinds, loadMailboxes } from './mailbox.service.js';
import { CheckBody, ConsentBody, MailboxQuery } from './microsoft.schemas.js';

/** Load External Users (paged, so the panel shows progress and can stop), the mailbox check, admin consent. */
export function microsoftRouter(): Router<ApiState> {
  const router = createRouter();

  router.post('/microsoft/consent', requireAdmin, async (ctx) => {
    parse(ConsentBody, ctx.request.body, 'body');
    const url = await adminConsentUrl(ctx.state.store, ctx.state.microsoft(), ctx.state.actor, ctx.state.now());
    ctx.body = { url };
  });

  router.get('/mailboxes', requireAdmin, async (ctx) => {
    const { cursor } = parse(MailboxQuery, ctx.query, 'query');
    ctx.body = await loadMailboxes(ctx.state, cursor);
  });

  router.post('/mailboxes/check', requireAdmin, async (ctx) => {
    const { ids } = parse(CheckBody, ctx.request.body, 'body');
    ctx.body = { results: await checkMailboxKinds(ctx.state, ids) };
  });

  return router;
}

/** A refused step ends the popup with an error page posted to the panel, and a log line (code only). */
function refusedStep(ctx: ApiContext, err: unknown): boolean {
  if (!(err instanceof ApiError || err instanceof DomainError)) return false;
  ctx.state.log.warn({ code: err.code }, 'admin consent refused');
  renderPopupResult(ctx, { type: 'mailbox-link:error', code: err.code, message: err.message }, ctx.state.panelOrigin);
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
      const next = await continueAdminConsent(ctx.state.store, ctx.state.microsoft(), ctx.query, ctx.state.now());
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
      const done = await completeAdminConsent(ctx.state.store, ctx.state.microsoft(), ctx.query, ctx.state.requestId, ctx.state.now());
      ctx.state.log.info({ tenant: done.tenantId, entraTenant: done.entraTenantId }, 'admin consent recorded');
      await refreshOrganizationName(ctx.state.store, ctx.state.microsoft(), done, { retry: 'now', log: ctx.state.log });
      renderPopupResult(ctx, { type: 'mailbox-link:consented', tenant: done.tenantId }, ctx.state.panelOrigin);
    } catch (err) {
      if (!refusedStep(ctx, err)) throw err;
    }
  });
  return router;
}
