import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SyncSubscriptionRow } from '../db/database.js';
import { readTime } from '../db/dialect.js';
import type { Store } from '../db/store.js';
import type { MicrosoftIntegration } from '../integration.js';
import { graphOf } from '../microsoft/graph.client.js';
import {
  deleteSubscription,
  listSubscriptions,
  renewedSubscription,
  saveSubscription,
  wantedSubscriptions,
  type SubscriptionKind,
  type WantedSubscription,
} from './trigger.repository.js';

/** Where Graph posts; the router serves these paths. */
export const GRAPH_NOTIFICATIONS_PATH = '/hooks/graph/notifications';
export const GRAPH_LIFECYCLE_PATH = '/hooks/graph/lifecycle';
export const SUPEROFFICE_WEBHOOK_PATH = '/hooks/superoffice';

/**
 * 4,230 minutes: under both figures Microsoft has published for an Outlook event or contact
 * subscription (the stored docs copy says 4,230, current Learn 10,080; resources/subscription),
 * so a renewal is never refused for asking too much.
 */
export const DEFAULT_LIFETIME_MINUTES = 4230;
/** Renewed once less than this is left: a day, so a backend down for hours still renews in time. */
export const DEFAULT_RENEW_BEFORE_MINUTES = 24 * 60;

export interface SubscriptionDeps {
  store: Store;
  integration: MicrosoftIntegration;
  /** TriggerConfig.baseUrl: the public base of our notification endpoints. */
  baseUrl: string;
  now: () => Date;
  logger: Logger;
  lifetimeMinutes?: number;
  renewBeforeMinutes?: number;
}

/** SHA-256 hex of a clientState: what is stored and compared (the secret is random, so no salt is needed). */
export function hashClientState(clientState: string): string {
  return createHash('sha256').update(clientState, 'utf8').digest('hex');
}

const RESOURCE: Record<SubscriptionKind, string> = { appointment: 'events', contact: 'contacts' };
/** Immutable ids in notifications, as on every other request (concepts/outlook-immutable-id). */
const HEADERS = { Prefer: 'IdType="ImmutableId"' };

const statusOf = (err: unknown) => (err as { statusCode?: number })?.statusCode;
const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

function expiry(deps: SubscriptionDeps): Date {
  return new Date(deps.now().getTime() + (deps.lifetimeMinutes ?? DEFAULT_LIFETIME_MINUTES) * 60_000);
}

/**
 * Creates our subscription for one mailbox and kind (api/subscription-post-subscriptions): a fresh
 * clientState (32 random bytes, base64url: 43 of the 128 characters allowed) whose hash is kept;
 * Graph validates our endpoint before it answers, so the router must be serving by now.
 */
export async function createSubscription(deps: SubscriptionDeps, want: WantedSubscription): Promise<string> {
  const clientState = randomBytes(32).toString('base64url');
  const graph = graphOf(deps.integration, want.entraTenantId);
  const created = await graph.send<{ id: string; expirationDateTime: string }>('POST', '/subscriptions', HEADERS, {
    changeType: 'created,updated,deleted',
    notificationUrl: deps.baseUrl + GRAPH_NOTIFICATIONS_PATH,
    lifecycleNotificationUrl: deps.baseUrl + GRAPH_LIFECYCLE_PATH,
    resource: `/users/${want.mailboxId}/${RESOURCE[want.kind]}`,
    expirationDateTime: expiry(deps).toISOString(),
    clientState,
  });
  await deps.store.transaction((tx) =>
    saveSubscription(
      tx,
      { tenantId: want.tenantId, mailboxId: want.mailboxId, kind: want.kind, subscriptionId: created.id, clientStateHash: hashClientState(clientState), expiresAt: new Date(created.expirationDateTime) },
      deps.now(),
    ),
  );
  return created.id;
}

/** PATCH a new expiry (api/subscription-update); a subscription Graph no longer knows is made again. */
export async function renewSubscription(deps: SubscriptionDeps, row: SyncSubscriptionRow, entraTenantId: string): Promise<'renewed' | 'recreated'> {
  const graph = graphOf(deps.integration, entraTenantId);
  try {
    const renewed = await graph.send<{ expirationDateTime: string }>('PATCH', `/subscriptions/${encodeURIComponent(row.subscription_id)}`, HEADERS, {
      expirationDateTime: expiry(deps).toISOString(),
    });
    await deps.store.transaction((tx) => renewedSubscription(tx, row.subscription_id, new Date(renewed.expirationDateTime), deps.now()));
    return 'renewed';
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
    await recreateSubscription(deps, row, entraTenantId);
    return 'recreated';
  }
}

/** After `subscriptionRemoved` (or a 404 on renewal): our row goes, a new subscription takes its place. */
export async function recreateSubscription(deps: SubscriptionDeps, row: SyncSubscriptionRow, entraTenantId: string): Promise<string> {
  await deps.store.transaction((tx) => deleteSubscription(tx, row.subscription_id));
  return createSubscription(deps, { tenantId: row.tenant_id, entraTenantId, mailboxId: row.mailbox_id, kind: row.kind });
}

async function removeSubscription(deps: SubscriptionDeps, row: SyncSubscriptionRow, entraTenantId: string | null): Promise<void> {
  if (entraTenantId) {
    try {
      await graphOf(deps.integration, entraTenantId).send('DELETE', `/subscriptions/${encodeURIComponent(row.subscription_id)}`, HEADERS);
    } catch (err) {
      // Already gone at Graph (expired or removed): only our row is left to delete.
      if (statusOf(err) !== 404) throw err;
    }
  }
  await deps.store.transaction((tx) => deleteSubscription(tx, row.subscription_id));
}

export interface ReconcileResult {
  created: number;
  renewed: number;
  deleted: number;
  failed: number;
}

/**
 * Brings our subscriptions in line with the links: one per linked mailbox and kind that is on
 * (Diary: events; Contact: contacts), renewed once less than `renewBeforeMinutes` is left, deleted
 * on unlink or when the kind is turned off. A failure is logged and tried again at the next sweep:
 * notifications are only hints, polling goes on without them.
 */
export async function reconcileSubscriptions(deps: SubscriptionDeps): Promise<ReconcileResult> {
  const result: ReconcileResult = { created: 0, renewed: 0, deleted: 0, failed: 0 };
  const [wanted, existing] = await Promise.all([wantedSubscriptions(deps.store), listSubscriptions(deps.store)]);
  const key = (t: string, m: string, k: string) => `${t}\n${m}\n${k}`;
  const wantedByKey = new Map(wanted.map((w) => [key(w.tenantId, w.mailboxId, w.kind), w]));
  const entraOf = new Map(wanted.map((w) => [w.tenantId, w.entraTenantId]));
  const renewBy = deps.now().getTime() + (deps.renewBeforeMinutes ?? DEFAULT_RENEW_BEFORE_MINUTES) * 60_000;
  const held = new Set<string>();
  for (const row of existing) {
    const k = key(row.tenant_id, row.mailbox_id, row.kind);
    const want = wantedByKey.get(k);
    try {
      if (!want) {
        await removeSubscription(deps, row, entraOf.get(row.tenant_id) ?? null);
        result.deleted += 1;
        continue;
      }
      held.add(k);
      if (Date.parse(readTime(row.expires_at)) <= renewBy) {
        const outcome = await renewSubscription(deps, row, want.entraTenantId);
        result[outcome === 'renewed' ? 'renewed' : 'created'] += 1;
      }
    } catch (err) {
      result.failed += 1;
      deps.logger.warn({ err: describe(err), mailboxId: row.mailbox_id, kind: row.kind }, 'change notifications: keeping a subscription failed; polling goes on');
    }
  }
  for (const [k, want] of wantedByKey) {
    if (held.has(k)) continue;
    try {
      await createSubscription(deps, want);
      result.created += 1;
    } catch (err) {
      result.failed += 1;
      deps.logger.warn({ err: describe(err), mailboxId: want.mailboxId, kind: want.kind }, 'change notifications: subscribing failed; polling goes on');
    }
  }
  return result;
}
