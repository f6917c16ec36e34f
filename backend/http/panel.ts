import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Router from '@koa/router';
import { createRouter } from './router.js';
import send from 'koa-send';
import { ApiError } from './errors.js';
import type { ApiContext, ApiState } from './types.js';

/** The built panel (`npm run build:panel` writes it; `npm start` and `npm test` build it). */
const PANEL_DIST = fileURLToPath(new URL('../../../panel/dist/', import.meta.url));

/** A year: what `immutable` bundles (their name changes with their content) may be kept for. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The hashed bundles of the build: panel/dist/manifest.json maps logical names to them (relative to panel/dist/). */
function hashedFiles(): Set<string> {
  const path = `${PANEL_DIST}manifest.json`;
  // A build from before hashed names has none: nothing is immutable then.
  if (!existsSync(path)) return new Set();
  return new Set(Object.values(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>));
}

/**
 * The page itself is revalidated on every load (`no-cache` with a strong ETag of its bytes, 304
 * when unchanged): it names the current bundles, so a new build reaches the browser at once.
 */
function sendPage(ctx: ApiContext, path: string): void {
  const html = readFileSync(path);
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('ETag', `"${createHash('sha256').update(html).digest('base64url').slice(0, 27)}"`);
  ctx.type = 'text/html; charset=utf-8';
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = html;
}

async function serve(ctx: ApiContext, base: string, root: string): Promise<void> {
  // Relative asset URLs need the trailing slash.
  if (ctx.path === base) return ctx.redirect(`${base}/${ctx.querystring ? `?${ctx.querystring}` : ''}`);
  if (!existsSync(`${root}index.html`)) {
    throw new ApiError(503, 'PanelNotBuilt', 'The panel has not been built: run npm run build.');
  }
  const file = ctx.path.slice(base.length + 1) || 'index.html';
  try {
    decodeURIComponent(file);
  } catch {
    throw new ApiError(400, 'InvalidPath', 'The address is not valid: each % must be followed by two hexadecimal digits.');
  }
  if (file === 'index.html') return sendPage(ctx, `${root}index.html`);
  // Hashed bundles and their source maps never change under their name; anything else may.
  const fromDist = `${root.slice(PANEL_DIST.length)}${file}`;
  const bundle = hashedFiles().has(fromDist.replace(/\.map$/, ''));
  ctx.set('Cache-Control', bundle ? IMMUTABLE : 'public, max-age=300');
  // koa-send picks the precompressed sibling (.br, else .gz) the browser accepts.
  await send(ctx, file, { root, hidden: false, brotli: bundle, gzip: bundle });
}

/** Serves the web panel at /panel/ (the URL SuperOffice's web panel opens, with its template values). */
export function panelRouter(): Router<ApiState> {
  const router = createRouter();
  router.get(/^\/panel(\/.*)?$/, (ctx) => serve(ctx, '/panel', PANEL_DIST));
  // Browsers ask for it on every top-level page (the accept page); there is none.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 204;
  });
  return router;
}

/**
 * The Token Authentication Manager's accept page, at /accept/: a top-level page (never framed)
 * where an invited user signs in with Microsoft and accepts. The page only navigates to
 * Microsoft (the backend redeems the code at its callback), so its scripts reach only this
 * server; everything else is as strict as the panel's.
 */
export function acceptPageRouter(): Router<ApiState> {
  const router = createRouter();
  router.get(/^\/accept(\/.*)?$/, async (ctx) => {
    await serve(ctx, '/accept', `${PANEL_DIST}accept/`);
    ctx.set(
      'Content-Security-Policy',
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;connect-src 'self';font-src 'self';object-src 'none';base-uri 'none';form-action 'self';frame-ancestors 'none'",
    );
    // The invite secret travels in the fragment, which browsers never send; no Referer either.
    ctx.set('Referrer-Policy', 'no-referrer');
  });
  return router;
}
