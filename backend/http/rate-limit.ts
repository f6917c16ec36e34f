import type { Context, Next } from 'koa';
import ratelimit from 'koa-ratelimit';
import { ApiError } from './errors.js';

/** Addresses tracked at once per instance: a flood of distinct addresses cannot grow memory without bound. */
export const MAX_TRACKED_ADDRESSES = 100_000;

/**
 * koa-ratelimit's memory driver keeps every address it ever saw. This Map holds at most `max`
 * and drops the oldest first. The driver re-`set`s an entry only when it (re)starts a window, so
 * moving a key to the end on `set` keeps the entries in order of their window's end: the first
 * entry is always the next to expire, and dropping it loses the least budget.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    super.delete(key);
    while (this.size >= this.max) super.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}

/**
 * A per-address request budget for the endpoints anyone can call without a session and that
 * write something (a sign-in state) or test a secret (invite links, tickets): SuperOffice sign-in
 * start, the Onsite ticket exchange and the accept page's API. Kept in memory per instance
 * (koa-ratelimit's memory driver); a stranger gets 429 RateLimited with Retry-After, and the
 * request does nothing. The address is `ctx.ip`: behind trusted proxies, the one the nearest
 * trusted proxy saw (Koa's `maxIpsCount`, see createApp), never one the client wrote itself.
 */
export function publicRateLimit(perMinute: number, maxAddresses = MAX_TRACKED_ADDRESSES) {
  const limit = ratelimit({
    driver: 'memory',
    db: new BoundedMap(maxAddresses),
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
