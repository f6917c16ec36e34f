import type { Context, Next } from 'koa';
import helmet from 'koa-helmet';

/**
 * Browser features the panel and the accept page never use, switched off for them and anything
 * they might embed. (Clipboard writing stays: "Copy invite link" needs it.)
 */
const PERMISSIONS_POLICY = [
  'accelerometer', 'autoplay', 'bluetooth', 'browsing-topics', 'camera', 'display-capture', 'geolocation', 'gyroscope', 'hid',
  'magnetometer', 'microphone', 'midi', 'payment', 'publickey-credentials-get', 'screen-wake-lock', 'serial', 'usb', 'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Security headers. The panel runs in a SuperOffice iframe, so framing is allowed only by the
 * configured SuperOffice origins (CSP `frame-ancestors`; `X-Frame-Options` cannot express an
 * allow-list and is left off). No inline scripts anywhere.
 */
export function securityHeaders(frameAncestors: string[], superofficeUrl: string | null = null) {
  // The panel's silent sign-in frame: our /auth/superoffice/start, SuperID's authorize endpoint
  // (same origin as its issuer URL, oidc-metadata.md), back to our callback. Nothing else.
  const frameSrc = superofficeUrl ? ["'self'", new URL(superofficeUrl).origin] : ["'self'"];
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
        frameSrc,
        frameAncestors,
      },
    },
    xFrameOptions: false,
    crossOriginEmbedderPolicy: false,
    // The panel opens sign-in popups and must keep its handle on them.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only over HTTPS (RFC 6797 §7.2: not over plain HTTP), set below.
    strictTransportSecurity: false,
  });
  return async function secure(ctx: Context, next: Next): Promise<void> {
    // Set first, so error answers carry them too. `ctx.secure` honours X-Forwarded-Proto with
    // TRUST_PROXY: TLS ending at the proxy counts.
    if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    ctx.set('Permissions-Policy', PERMISSIONS_POLICY);
    await headers(ctx, async () => {
      await next();
    });
    if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', 'no-store');
  };
}
