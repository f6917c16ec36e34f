import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import send from 'koa-send';
import { ApiError } from './errors.js';
import type { ApiState } from './types.js';

/** The built panel (`npm run build:panel` writes it; `npm start` and `npm test` build it). */
const PANEL_DIST = fileURLToPath(new URL('../../../panel/dist/', import.meta.url));

/** Serves the web panel at /panel/ (the URL SuperOffice's web panel opens, with its template values). */
export function panelRouter(): Router<ApiState> {
  const router = new Router<ApiState>();
  router.get(/^\/panel(\/.*)?$/, async (ctx) => {
    // Relative asset URLs need the trailing slash.
    if (ctx.path === '/panel') return ctx.redirect(`/panel/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
    if (!existsSync(`${PANEL_DIST}index.html`)) {
      throw new ApiError(503, 'PanelNotBuilt', 'The panel has not been built: run npm run build.');
    }
    const file = ctx.path.slice('/panel/'.length) || 'index.html';
    ctx.set('Cache-Control', file === 'index.html' ? 'no-cache' : 'public, max-age=300');
    await send(ctx, file, { root: PANEL_DIST, hidden: false });
  });
  return router;
}
