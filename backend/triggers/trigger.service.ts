import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { SyncSubscriptionRow } from '../db/database.js';
import type { Store } from '../db/store.js';
import type { Integration } from '../integration.js';
import { markDueNow } from '../sync-admin/sync-admin.repository.js';
import { findTenant } from '../tenants/tenant.repository.js';
import { hashClientState, recreateSubscription, renewSubscription, type SubscriptionDeps } from './subscription.service.js';
import { findSubscription, findWebhook, forceFullComparison, mailboxesOfAssociates } from './trigger.repository.js';
import { webhookSecretContext } from './webhook.service.js';

/**
 * What a notification or webhook does: it only brings a mailbox's next claim forward
 * (`next_due_at` = now); the pass that follows reads the delta and the diary as always, so a lost,
 * late, repeated or forged hint can make a pass early, never make it wrong. Polling stays the
 * source of truth.
 */

/** A Graph change notification or lifecycle event, as much of it as we read (concepts/change-notifications-delivery-webhooks). */
const Notification = z.object({
  subscriptionId: z.string().min(1).max(128),
  clientState: z.string().max(128).nullish(),
  changeType: z.string().max(64).optional(),
  lifecycleEvent: z.string().max(64).optional(),
});
export const NotificationBatch = z.object({ value: z.array(z.unknown()).max(1000) });

export type GraphNotification = z.infer<typeof Notification>;

/** Equal-time comparison of the hash of what came with the hash we keep. */
function clientStateMatches(row: SyncSubscriptionRow, clientState: string | null | undefined): boolean {
  if (typeof clientState !== 'string') return false;
  const got = Buffer.from(hashClientState(clientState), 'hex');
  const want = Buffer.from(row.client_state_hash, 'hex');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** The items of a batch whose subscription is ours and whose clientState is the one we gave; the rest are dropped unread. */
async function verified(store: Store, items: readonly unknown[]): Promise<{ item: GraphNotification; row: SyncSubscriptionRow }[]> {
  const out: { item: GraphNotification; row: SyncSubscriptionRow }[] = [];
  for (const raw of items) {
    const parsed = Notification.safeParse(raw);
    if (!parsed.success) continue;
    const row = await findSubscription(store, parsed.data.subscriptionId);
    if (row && clientStateMatches(row, parsed.data.clientState)) out.push({ item: parsed.data, row });
  }
  return out;
}

async function dueNow(store: Store, rows: readonly SyncSubscriptionRow[]): Promise<number> {
  const byTenant = new Map<string, Set<string>>();
  for (const r of rows) (byTenant.get(r.tenant_id) ?? byTenant.set(r.tenant_id, new Set()).get(r.tenant_id)!).add(r.mailbox_id);
  let n = 0;
  for (const [tenantId, mailboxes] of byTenant) n += await store.transaction((tx) => markDueNow(tx, tenantId, [...mailboxes]));
  return n;
}

/** Change notifications: each verified one makes its mailbox due now. Returns how many mailboxes were. */
export async function acceptNotifications(store: Store, items: readonly unknown[]): Promise<{ accepted: number; ignored: number; mailboxes: number }> {
  const ok = await verified(store, items);
  const mailboxes = await dueNow(store, ok.map((o) => o.row));
  return { accepted: ok.length, ignored: items.length - ok.length, mailboxes };
}

export interface LifecycleDeps {
  store: Store;
  integration: Integration | null;
  /** null when notifications are off: then nothing is renewed or recreated, the mailbox is only made due. */
  baseUrl: string | null;
  now: () => Date;
  logger: Logger;
}

/**
 * Lifecycle events (concepts/change-notifications-lifecycle-events), verified like notifications.
 * The database part (due now; after `missed` a full comparison at the next pass) is done before
 * answering; the Graph part (renew, recreate) is returned as work to run after the answer, so
 * Graph hears back within its 3 seconds.
 */
export async function acceptLifecycle(deps: LifecycleDeps, items: readonly unknown[]): Promise<{ accepted: number; after: () => Promise<void> }> {
  const ok = await verified(deps.store, items);
  const due: SyncSubscriptionRow[] = [];
  const graphWork: (() => Promise<unknown>)[] = [];
  const microsoft = deps.integration?.microsoft ? (deps.integration as SubscriptionDeps['integration']) : null;
  for (const { item, row } of ok) {
    const subDeps = (): SubscriptionDeps | null => (microsoft && deps.baseUrl ? { store: deps.store, integration: microsoft, baseUrl: deps.baseUrl, now: deps.now, logger: deps.logger } : null);
    const entra = async () => (await findTenant(deps.store, row.tenant_id))?.entra_tenant_id ?? null;
    switch (item.lifecycleEvent) {
      case 'reauthorizationRequired':
        graphWork.push(async () => {
          const s = subDeps();
          const e = await entra();
          if (s && e) await renewSubscription(s, row, e);
        });
        break;
      case 'subscriptionRemoved':
        due.push(row);
        graphWork.push(async () => {
          const s = subDeps();
          const e = await entra();
          if (s && e) await recreateSubscription(s, row, e);
        });
        break;
      case 'missed':
        // Notifications were lost: the next pass compares everything, not only the delta.
        await deps.store.transaction((tx) => forceFullComparison(tx, row.tenant_id, row.mailbox_id, row.kind));
        due.push(row);
        break;
      default:
        break;
    }
  }
  await dueNow(deps.store, due);
  return {
    accepted: ok.length,
    after: async () => {
      for (const work of graphWork) {
        try {
          await work();
        } catch (err) {
          deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'change notifications: a lifecycle event could not be acted on; the next sweep tries again');
        }
      }
    },
  };
}

/** A SuperOffice webhook payload, as much as routing needs (docs: webhook payload, FieldValues). */
const WebhookPayload = z.object({
  EventId: z.string().max(200).optional(),
  Event: z.string().min(1).max(100),
  Entity: z.string().max(100).optional(),
  PrimaryKey: z.union([z.number(), z.string().max(40)]).optional(),
  ContextIdentifier: z.string().max(100).optional(),
  ChangedByAssociateId: z.union([z.number(), z.string().max(40)]).nullish(),
  FieldValues: z.record(z.string(), z.unknown()).nullish(),
});

export class WebhookRefused extends Error {
  constructor(readonly status: 400 | 401 | 404, message: string) {
    super(message);
  }
}

const asAssociate = (v: unknown): number | null => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
};

/** The tenant's webhook secret, opened; null when none was registered. */
async function webhookSecret(store: Store, integration: Integration | null, tenantId: string): Promise<string | null> {
  const row = await findWebhook(store, tenantId);
  if (!row || !integration) return null;
  try {
    return integration.box.open(row.secret_sealed, webhookSecretContext(tenantId));
  } catch {
    return null;
  }
}

/**
 * A SuperOffice webhook call for one tenant: `X-SuperOffice-Signature` must be
 * base64(HMAC-SHA256(secret, raw body)) with the secret we registered (compared in constant
 * time), else 401 and nothing queued; then the associates it names (the activity's or person's
 * `associate_id`, i.e. owner or our contact, and who changed it) have their linked mailboxes due now.
 */
export async function acceptWebhook(
  store: Store,
  integration: Integration | null,
  tenantId: string,
  raw: Buffer,
  signature: string | undefined,
): Promise<{ mailboxes: number }> {
  // A tenant without a webhook of ours has no such endpoint (and no secret to check against).
  const secret = await webhookSecret(store, integration, tenantId);
  if (secret === null) throw new WebhookRefused(404, 'No such webhook.');
  if (!signature) throw new WebhookRefused(401, 'The X-SuperOffice-Signature header is missing.');
  const expected = createHmac('sha256', secret).update(raw).digest();
  const got = Buffer.from(signature, 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) throw new WebhookRefused(401, 'The signature does not match.');
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookRefused(400, 'The body is not JSON.');
  }
  const parsed = WebhookPayload.safeParse(body);
  if (!parsed.success) throw new WebhookRefused(400, 'The body is not a SuperOffice webhook payload.');
  const p = parsed.data;
  if (!/^(activity|person)\./i.test(p.Event)) return { mailboxes: 0 };
  const associates = [asAssociate(p.FieldValues?.associate_id), asAssociate(p.ChangedByAssociateId)].filter((a): a is number => a !== null);
  const mailboxes = await mailboxesOfAssociates(store, tenantId, [...new Set(associates)]);
  const n = mailboxes.length === 0 ? 0 : await store.transaction((tx) => markDueNow(tx, tenantId, mailboxes));
  return { mailboxes: n };
}
