import type { Context, Next } from 'koa';
import ratelimit from 'koa-ratelimit';
import { ApiError } from './errors.js';

/**
 * A per-address request budget for the endpoints anyone can call without a session and that
 * write something (a sign-in state) or test a secret (invite links, tickets): SuperOffice sign-in
 * start, the Onsite ticket exchange and the accept page's API. Kept in memory per instance
 * (koa-ratelimit's memory driver); a stranger gets 429 RateLimited with Retry-After, and the
 * request does nothing.
 */
export function publicRateLimit(perMinute: number) {
  const limit = ratelimit({
    driver: 'memory',
    db: new Map(),
    duration: 60_000,
    max: perMinute,
    id: (ctx) => ctx.ip,
    disableHeader: false,
  });
  return async function limited(ctx: Context, next: Next): Promise<void> {
    let passed = false;
    await limit(ctx, async () => {
      passed = true;
      await next();
    });
    if (!passed) {
      throw new ApiError(429, 'RateLimited', 'Too many requests from this address. Wait a minute and try again.');
    }
  };
}
