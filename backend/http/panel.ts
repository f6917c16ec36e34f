import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import send from 'koa-send';
import type { ApiState } from './types.js';

/** The panel's files: the built Lit panel (panel/dist) once it exists, else the connection check. */
function panelRoot(): string {
  const root = fileURLToPath(new URL('../../../panel/', import.meta.url));
  return existsSync(`${root}dist/index.html`) ? `${root}dist` : `${root}preview`;
}

/** Serves the web panel at /panel/ (the URL SuperOffice's web panel opens, with its template values). */
export function panelRouter(): Router<ApiState> {
  const root = panelRoot();
  const router = new Router<ApiState>();
  router.get(/^\/panel(\/.*)?$/, async (ctx) => {
    // Relative asset URLs need the trailing slash.
    if (ctx.path === '/panel') return ctx.redirect(`/panel/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
    const file = ctx.path.slice('/panel/'.length) || 'index.html';
    ctx.set('Cache-Control', file === 'index.html' ? 'no-cache' : 'public, max-age=300');
    await send(ctx, file, { root, hidden: false });
  });
  return router;
}
