import type { Context, Next } from 'koa';
import { DomainError, type FailureKind } from '../domain-error.js';
import type { ErrorDetail } from '../contract.js';
import type { ErrorCode } from './error-codes.js';

export type { ErrorCode, ErrorDetail };

/** At most this many details in one error: 20,000 conflicts would otherwise be a 4 MB answer. Messages give the full count. */
export const MAX_DETAILS = 100;

/** An error meant for the client: its status, code, message and details are sent as they are. */
export class ApiError extends Error {
  /** Sent as `Retry-After` (seconds) with 429 and 503, when the upstream said how long to wait. */
  retryAfterSeconds?: number;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The one mapping from what went wrong (below the edge) to the status the client gets. */
const STATUS_OF: Record<FailureKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  throttled: 429,
  upstreamRefused: 502,
  unavailable: 503,
};

/** The status an error is answered with, for code that records outcomes instead of answering them. */
export function statusOf(err: ApiError | DomainError): number {
  return err instanceof ApiError ? err.status : STATUS_OF[err.kind];
}

/** Errors thrown by body parsing and Koa itself carry a status; map them to our codes. */
const HTTP_ERROR_CODES: Record<number, [ErrorCode, string]> = {
  400: ['BadRequest', 'The request was not understood.'],
  413: ['PayloadTooLarge', 'The request body is larger than the server accepts.'],
  403: ['Forbidden', 'This is not allowed.'],
  404: ['NotFound', 'There is nothing here.'],
  405: ['MethodNotAllowed', 'This method is not allowed here.'],
  415: ['UnsupportedMediaType', 'Send the request body as application/json.'],
  501: ['NotImplemented', 'This method is not supported.'],
};

/** SQLite and SQL Server unique-key violations: another writer got there first. */
export function isUniqueViolation(err: unknown): boolean {
  // One SQL Server request can raise several errors; Kysely then rejects with all of them.
  if (Array.isArray(err)) return err.some(isUniqueViolation);
  if (err instanceof AggregateError) return err.errors.some(isUniqueViolation);
  const e = err as { code?: unknown; number?: unknown; originalError?: { info?: { number?: unknown } } };
  if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  const n = e?.number ?? e?.originalError?.info?.number;
  return n === 2627 || n === 2601;
}

/**
 * The first middleware: turns every error into `{"error":{"code","message","details"}}`.
 * Unexpected errors reach the log through `app.on('error')`; the client sees a generic message,
 * never a stack trace or a driver message (which may quote data).
 */
export function errorHandler() {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError(404, 'NotFound', `No route for ${ctx.method} ${ctx.path}.`);
      }
    } catch (err) {
      const { status, body } = toResponse(err, ctx);
      ctx.status = status;
      ctx.body = body;
      ctx.set('Cache-Control', 'no-store');
      if (status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"');
      if ((err instanceof ApiError || err instanceof DomainError) && err.retryAfterSeconds !== undefined) {
        ctx.set('Retry-After', String(err.retryAfterSeconds));
      }
    }
  };
}

function toResponse(err: unknown, ctx: Context) {
  if (err instanceof ApiError || err instanceof DomainError) {
    return { status: statusOf(err), body: { error: { code: err.code, message: err.message, details: err.details } } };
  }
  if (isUniqueViolation(err)) {
    return {
      status: 409,
      body: {
        error: {
          code: 'Conflict',
          message: 'Someone else saved a conflicting change at the same moment. Reload and try again.',
          details: [],
        },
      },
    };
  }
  const status = (err as { status?: unknown; expose?: unknown })?.status;
  if (typeof status === 'number' && ((status >= 400 && status < 500) || status === 501)) {
    // The body parser's JSON.parse failed; other 400s (a bad URL, a body cut short) are not about JSON.
    const [code, message] =
      status === 400 && err instanceof SyntaxError
        ? ['InvalidJson', 'The request body is not valid JSON.']
        : (HTTP_ERROR_CODES[status] ?? ['BadRequest', 'The request was not understood.']);
    return { status, body: { error: { code, message, details: [] } } };
  }
  ctx.app.emit('error', err, ctx);
  return {
    status: 500,
    body: {
      error: {
        code: 'InternalError',
        message: 'Something went wrong on the server. Nothing was saved; try again.',
        details: [],
      },
    },
  };
}
