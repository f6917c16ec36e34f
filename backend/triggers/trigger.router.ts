import type Router from '@koa/router';
import { ApiError } from '../http/errors.js';
import { createRouter } from '../http/router.js';
import type { ApiContext, ApiState } from '../http/types.js';
import { GRAPH_LIFECYCLE_PATH, GRAPH_NOTIFICATIONS_PATH, SUPEROFFICE_WEBHOOK_PATH } from './subscription.service.js';
import { acceptLifecycle, acceptNotifications, acceptWebhook, NotificationBatch, WebhookRefused } from './trigger.service.js';

/** A Graph batch is at most 1,000 small items without resource data; a webhook payload is one row. */
const GRAPH_BODY_LIMIT = 1024 * 1024;
const WEBHOOK_BODY_LIMIT = 64 * 1024;
/** Graph's validation tokens are a sentence and a GUID; anything much longer is not one. */
const MAX_VALIDATION_TOKEN = 1024;

/** The raw body, refused past `limit` (413) before it is all read. */
async function rawBody(ctx: ApiContext, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (declared > limit) throw new ApiError(413, 'PayloadTooLarge', 'The request body is too large.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError(413, 'PayloadTooLarge', 'The request body is too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function jsonBatch(raw: Buffer): unknown[] {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ApiError(400, 'InvalidJson', 'The request body is not valid JSON.');
  }
  const parsed = NotificationBatch.safeParse(body);
  if (!parsed.success) throw new ApiError(400, 'ValidationFailed', 'Expected a notification batch: {"value": [...]}.');
  return parsed.data.value;
}

/**
 * Graph's validation request (concepts/change-notifications-delivery-webhooks): the token,
 * URL-decoded, echoed as text/plain with 200 at once. True when this was one.
 */
function answerValidation(ctx: ApiContext): boolean {
  const token = ctx.query.validationToken;
  if (token === undefined) return false;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_VALIDATION_TOKEN) throw new ApiError(400, 'BadRequest', 'The validation token is malformed.');
  ctx.status = 200;
  ctx.type = 'text/plain; charset=utf-8';
  ctx.body = token;
  return true;
}

/**
 * Public endpoints (no SuperOffice session: Graph and SuperOffice call them), outside `/api/v1`:
 * Graph change notifications and lifecycle events, and each tenant's SuperOffice webhook. What
 * they accept only makes a mailbox due now (trigger.service.ts); what they refuse changes nothing.
 */
export function triggerRouter(): Router<ApiState> {
  const router = createRouter();

  router.post(GRAPH_NOTIFICATIONS_PATH, async (ctx) => {
    if (answerValidation(ctx)) return;
    const items = jsonBatch(await rawBody(ctx, GRAPH_BODY_LIMIT));
    const outcome = await acceptNotifications(ctx.state.store, items);
    if (outcome.ignored > 0) ctx.state.log.warn({ ignored: outcome.ignored }, 'change notifications: ignored items with an unknown subscription or a wrong clientState');
    // 202: accepted; the pass it brings forward runs in a worker.
    ctx.status = 202;
  });

  router.post(GRAPH_LIFECYCLE_PATH, async (ctx) => {
    if (answerValidation(ctx)) return;
    const items = jsonBatch(await rawBody(ctx, GRAPH_BODY_LIMIT));
    const { store, integration, config, log } = ctx.state;
    const outcome = await acceptLifecycle({ store, integration, baseUrl: config.triggers?.baseUrl ?? null, now: () => ctx.state.now(), logger: log }, items);
    ctx.status = 202;
    // Renewing or recreating calls Graph: after the answer, so Graph is not kept waiting.
    setImmediate(() => void outcome.after());
  });

  router.post(`${SUPEROFFICE_WEBHOOK_PATH}/:tenantId`, async (ctx) => {
    const tenantId = ctx.params.tenantId!;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tenantId)) throw new ApiError(404, 'NotFound', 'No such webhook.');
    const raw = await rawBody(ctx, WEBHOOK_BODY_LIMIT);
    try {
      await acceptWebhook(ctx.state.store, ctx.state.integration, tenantId, raw, ctx.get('x-superoffice-signature') || undefined);
    } catch (err) {
      if (err instanceof WebhookRefused) throw new ApiError(err.status, err.status === 401 ? 'Unauthenticated' : err.status === 404 ? 'NotFound' : 'ValidationFailed', err.message);
      throw err;
    }
    ctx.status = 204;
  });

  return router;
}
