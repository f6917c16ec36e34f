import Router, { type RouterOptions } from '@koa/router';
import type { ApiState } from './types.js';

/**
 * Every router of the app. Paths match case-sensitively, as the middleware in front of the
 * routes does (@koa/router matches a router's own `use()` middleware case-sensitively but its
 * routes case-insensitively unless told otherwise): `/API/V1/links` is no route at all, rather
 * than a route reached past authentication and the rate limit.
 */
export function createRouter(options: Omit<RouterOptions, 'sensitive'> = {}): Router<ApiState> {
  return new Router<ApiState>({ ...options, sensitive: true });
}
