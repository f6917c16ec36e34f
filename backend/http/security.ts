import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';

/**
 * Security headers. The panel runs in a SuperOffice iframe, so framing is allowed only by the
 * configured SuperOffice origins (CSP `frame-ancestors`; `X-Frame-Options` cannot express an
 * allow-list and is left off). No inline scripts anywhere.
 */
export function securityHeaders(frameAncestors: string[]) {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors,
      },
    },
    xFrameOptions: false,
    crossOriginEmbedderPolicy: false,
    // The panel opens sign-in popups and must keep its handle on them.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  return async function secure(ctx: Context, next: Next): Promise<void> {
    await headers(ctx, async () => {
      await next();
    });
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
  };
}
