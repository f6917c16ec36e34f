import Router from '@koa/router';
import type { EntraControl } from './entra.types.js';

/**
 * `/__sim/*`: the test-control surface for out-of-process use (the demo started by `npm start`,
 * browser tests). Not part of Entra; only reachable on 127.0.0.1 like everything else here.
 */
export function entraControlRoutes(control: EntraControl, homeTenantId: string): Router {
  const router = new Router({ prefix: '/__sim' });

  router.get('/requests', (ctx) => {
    ctx.body = control.requests();
  });

  // Every secret the simulator handed out, so a test can look for it where it must not be.
  router.get('/issued', (ctx) => {
    ctx.body = { value: control.issued() };
  });

  // A user's sessions revoked or password reset: {"userId", "tenantId"?} → their refresh tokens stop working.
  router.post('/revoke-sessions', (ctx) => {
    const body = (ctx.request.body ?? {}) as { tenantId?: unknown; userId?: unknown };
    if (typeof body.userId !== 'string') {
      ctx.status = 400;
      ctx.body = { error: 'userId is required' };
      return;
    }
    ctx.body = { revoked: control.revokeUserSessions(typeof body.tenantId === 'string' ? body.tenantId : homeTenantId, body.userId) };
  });

  // {"seconds": n}: the lifetime of access tokens issued from now on.
  router.put('/token-lifetime', (ctx) => {
    const seconds = ((ctx.request.body ?? {}) as { seconds?: unknown }).seconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
      ctx.status = 400;
      ctx.body = { error: 'seconds (1–86400) is required' };
      return;
    }
    control.setTokenLifetime(seconds);
    ctx.body = { seconds };
  });

  router.post('/reset', (ctx) => {
    control.reset();
    ctx.status = 204;
  });

  router.post('/consent', (ctx) => {
    const body = (ctx.request.body ?? {}) as { tenantId?: unknown; clientId?: unknown; permissions?: unknown; delegated?: unknown };
    if (typeof body.clientId !== 'string') {
      ctx.status = 400;
      ctx.body = { error: 'clientId is required' };
      return;
    }
    const tenantId = typeof body.tenantId === 'string' ? body.tenantId : homeTenantId;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string') : undefined);
    control.grantConsent(tenantId, body.clientId, strings(body.permissions), strings(body.delegated));
    ctx.body = {
      tenantId,
      clientId: body.clientId,
      permissions: control.consent(tenantId, body.clientId),
      delegated: control.delegatedConsent(tenantId, body.clientId),
    };
  });

  // The tenants' "Users can consent to apps" setting: {"allowed": false} refuses unconsented delegated scopes.
  router.put('/user-consent', (ctx) => {
    const allowed = ((ctx.request.body ?? {}) as { allowed?: unknown }).allowed;
    if (typeof allowed !== 'boolean') {
      ctx.status = 400;
      ctx.body = { error: 'allowed (true or false) is required' };
      return;
    }
    control.setUserConsent(allowed);
    ctx.body = { allowed };
  });

  router.delete('/consent', (ctx) => {
    const clientId = typeof ctx.query.clientId === 'string' ? ctx.query.clientId : undefined;
    if (!clientId) {
      ctx.status = 400;
      ctx.body = { error: 'clientId is required' };
      return;
    }
    control.revokeConsent(typeof ctx.query.tenantId === 'string' ? ctx.query.tenantId : homeTenantId, clientId);
    ctx.status = 204;
  });

  return router;
}
