import type { Context, Next } from 'koa';
import compress from 'koa-compress';
import { Stream } from 'node:stream';
import { constants } from 'node:zlib';

/**
 * Responses that carry a secret next to input the requester chose are never compressed: with
 * compression, the size of the reply tells an attacker who can inject text and watch the traffic
 * how much of the secret they guessed (BREACH). That is everything under /auth/ (the sign-in
 * pages post a session token; the ticket sign-in answers one), the public invite endpoints (the
 * invite link's secret) and the invite answer (`links` beside the administrator's own text).
 */
const SECRET_BEARING = /^\/(auth\/|api\/public\/|api\/v1\/invites\/?$)/;

/** Smaller replies gain little and cost a header; the threshold is koa-compress's own unit. */
export const COMPRESS_THRESHOLD = 1024;

/**
 * gzip and brotli for API answers and static files, by the client's Accept-Encoding (brotli
 * first), with `Vary: Accept-Encoding`. Brotli at quality 4: within a few per cent of gzip -9's
 * time and smaller than it; quality 11 would hold the event loop on a large page. Files that come
 * precompressed (the panel's bundles, `Content-Encoding` already set) pass through untouched.
 */
export function compression() {
  const compressor = compress({
    threshold: COMPRESS_THRESHOLD,
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
    gzip: { level: 6 },
    deflate: false,
    // Node 22+ would offer zstd too; keep to the two every browser in SuperOffice speaks.
    zstd: false,
  } as compress.CompressOptions);
  // A JSON body is serialized once, here: koa-compress would otherwise stringify it twice (once to
  // measure it against the threshold, once to compress it), a few ms of event loop per 1,000 links.
  const serialized = async (ctx: Context, next: Next) => {
    await next();
    const body: unknown = ctx.body;
    if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof Stream)) ctx.body = JSON.stringify(body);
  };
  return (ctx: Context, next: Next) => (SECRET_BEARING.test(ctx.path) ? next() : compressor(ctx, () => serialized(ctx, next)));
}
