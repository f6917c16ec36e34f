import { randomUUID } from 'node:crypto';
import type { Context, Next } from 'koa';
import { pino, type DestinationStream, type Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/**
 * Paths that must never reach a log line even if someone logs a whole object by mistake.
 * Request logs carry method, path (never the query string, which may hold an OAuth code) and
 * status; headers are not logged at all.
 */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.idToken',
  '*.password',
  '*.secret',
  '*.clientSecret',
  'token',
  'password',
  'secret',
];

export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, destination);
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (the caller's `X-Request-Id` if it is safe), a child logger, and a log line. */
export function requestLogging(logger: Logger) {
  const http = pinoHttp({
    logger,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    serializers: {
      req: (req: { id: string; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
  });
  return async function logRequest(ctx: Context, next: Next): Promise<void> {
    http(ctx.req, ctx.res);
    ctx.state.requestId = String(ctx.req.id);
    ctx.state.log = ctx.req.log;
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  };
}
