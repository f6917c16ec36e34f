import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { defaultContactFields } from './contact-store.js';
import { contactView, parseContactWrite } from './contacts.handlers.js';
import { GraphError } from './graph-errors.js';
import type { GraphControl } from './graph.types.js';

/**
 * Contact test controls under `/__sim` (no token: they stand for the user and the test harness):
 * - `GET /__sim/contacts/users/{id}`: every folder and every contact (extended properties shown), by folder
 * - `POST /__sim/contacts/users/{id}` (a contact body as Graph takes it): the user adds a contact of their own to the default Contacts folder
 * - `POST /__sim/contacts/expire-delta-tokens` `{userId?}`: evicts folder delta state → 410 syncStateNotFound
 */
export function contactControlRoutes(control: GraphControl, mailboxOf: (id: string) => string | null): Router {
  const store = control.contacts;
  const router = new Router({ prefix: '/__sim/contacts' });
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
  const refuse = (ctx: { status: number; body: unknown }, message: string) => {
    ctx.status = 400;
    ctx.body = { error: { code: 'BadRequest', message } };
  };
  router.get('/users/:userId', (ctx) => {
    const id = mailboxOf(ctx.params.userId!);
    if (!id) return refuse(ctx, 'No such mailbox.');
    const all = store.all(id);
    ctx.body = {
      defaultFolderId: store.defaultFolderId(id),
      folders: store.listFolders(id).map((f) => ({ id: f.id, displayName: f.displayName })),
      value: all.map((c) => ({ ...contactView(c, null), singleValueExtendedProperties: c.extended.map((p) => ({ ...p })) })),
    };
  });
  router.post('/users/:userId', (ctx) => {
    const id = mailboxOf(ctx.params.userId!);
    if (!id) return refuse(ctx, 'No such mailbox.');
    try {
      const c = store.create(id, store.defaultFolderId(id), { ...defaultContactFields(), ...parseContactWrite(ctx.request.body) });
      ctx.status = 201;
      ctx.body = contactView(c, null);
    } catch (err) {
      if (err instanceof GraphError) return refuse(ctx, err.message);
      throw err;
    }
  });
  router.post('/expire-delta-tokens', (ctx) => {
    const b = (ctx.request.body ?? {}) as { userId?: unknown };
    const id = typeof b.userId === 'string' ? mailboxOf(b.userId) : undefined;
    if (id === null) return refuse(ctx, 'No such mailbox.');
    ctx.body = { expired: store.expireDeltaTokens(id) };
  });
  return router;
}
