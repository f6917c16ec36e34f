import { setTimeout as delay } from 'node:timers/promises';
import type { Context, Next } from 'koa';
import { soErrorBody } from './errors.js';

/** How a "down" Web API behaves: a 503 from the front end, or connections dropped mid-request. */
export type DownMode = 'off' | '503' | 'reset';

export interface FailNextOptions {
  /** Status of the injected failures; 500 by default (429 and 503 are useful too). */
  status?: number;
  /** Sent as `Retry-After` when set. */
  retryAfterSeconds?: number;
  /** Let this many Web API requests through first (a failure half-way through a sequence). */
  skip?: number;
  /** The error body's `ErrorType` and message, e.g. a 403 saying which right is missing. */
  errorType?: string;
  message?: string;
}

/** Faults the control API switches on; they apply to Web API requests (`/{ctx}/api/…`) only. */
export class FaultState {
  failRemaining = 0;
  failStatus = 500;
  failRetryAfter: number | undefined;
  failSkip = 0;
  failErrorType = 'Exception';
  failMessage = 'Injected failure (simulator).';
  down: DownMode = 'off';
  latencyMs = 0;

  failNext(count: number, options: FailNextOptions = {}): void {
    this.failRemaining = Math.max(0, Math.floor(count));
    this.failStatus = options.status ?? 500;
    this.failRetryAfter = options.retryAfterSeconds;
    this.failSkip = Math.max(0, Math.floor(options.skip ?? 0));
    this.failErrorType = options.errorType ?? 'Exception';
    this.failMessage = options.message ?? 'Injected failure (simulator).';
  }

  reset(): void {
    this.failRemaining = 0;
    this.failStatus = 500;
    this.failRetryAfter = undefined;
    this.failSkip = 0;
    this.failErrorType = 'Exception';
    this.failMessage = 'Injected failure (simulator).';
    this.down = 'off';
    this.latencyMs = 0;
  }
}

/**
 * The counting key of a request: method and path, with the tenant segment as `{ctx}` and numeric
 * segments as `{id}`, e.g. `GET /{ctx}/api/v1/List/WebPanel/Items/{id}`. The query is dropped.
 */
export function routeKey(method: string, path: string, isTenant: (segment: string) => boolean): string {
  const parts = path.split('/').map((segment, i) => {
    if (i === 1 && isTenant(segment)) return '{ctx}';
    return /^\d+$/.test(segment) ? '{id}' : segment;
  });
  return `${method} ${parts.join('/')}`;
}

/** Applies latency, "down" and injected failures, in that order, before the Web API handles a request. */
export function applyFaults(faults: FaultState) {
  return async function faultInjection(ctx: Context, next: Next): Promise<void> {
    if (faults.latencyMs > 0) await delay(faults.latencyMs);
    if (faults.down === 'reset') {
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (faults.down === '503') {
      // What a load balancer in front of a stopped tenant sends: not a NetServer body.
      ctx.status = 503;
      ctx.type = 'text/html';
      ctx.body = '<html><body><h1>503 Service Unavailable</h1></body></html>';
      return;
    }
    if (faults.failRemaining > 0 && faults.failSkip > 0) {
      faults.failSkip -= 1;
    } else if (faults.failRemaining > 0) {
      faults.failRemaining -= 1;
      ctx.status = faults.failStatus;
      if (faults.failRetryAfter !== undefined) ctx.set('Retry-After', String(faults.failRetryAfter));
      ctx.body = soErrorBody(ctx.path, faults.failErrorType, faults.failMessage);
      return;
    }
    await next();
  };
}
