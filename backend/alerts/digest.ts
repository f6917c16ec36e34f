import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { TenantRow } from '../db/database.js';
import { readTime } from '../db/dialect.js';
import type { Store } from '../db/store.js';
import { ignoredKeys } from '../health/health.repository.js';
import type { HealthProblem, HealthSource } from '../health/health.types.js';
import { isUniqueViolation } from '../http/errors.js';
import type { Integration } from '../integration.js';
import { graphOf, type Graph } from '../microsoft/graph.client.js';
import { findTenant } from '../tenants/tenant.repository.js';
import { addressedNow, alertSender, composeDigest, sendDigestMails } from './alert-mail.js';
import {
  addReported,
  deliveriesOf,
  enabledSettings,
  findDigest,
  findSettings,
  forgetReported,
  insertDigest,
  openDigests,
  recipientsOf,
  releaseLease,
  reportedKeys,
  setDeliveries,
  takeLease,
  type DeliveryRow,
  type SettingsRow,
} from './alert.repository.js';
import { openWebhookSecret } from './alert.service.js';
import { postWebhook, type WebhookPolicy } from './webhook.js';

/** Tries per delivery (the first and the retries of later sweeps). */
export const MAX_ATTEMPTS = 5;
/** A failed delivery waits this long times its attempts before the next try. */
export const RETRY_STEP_MS = 5 * 60_000;
/** How long one process may deliver a digest before another may take it over (longer than Graph's retries and the webhook's timeout). */
export const DELIVERY_LEASE_MS = 10 * 60_000;

export interface AlertDigestDeps {
  store: Store;
  /** The health report's computation (backend/health: `healthSourceOf(deps)`). */
  healthSource: HealthSource;
  /** Microsoft 365 (app token) and the sealing box, as configured. */
  integration: Integration | null;
  config: Pick<Config, 'alertWebhookAllowPrivate'>;
  /** The sweep's time: which UTC day and hour it is. */
  now: Date;
  log?: Logger;
  /** Graph for a tenant; by default the app's, from `integration` (tests may pass their own). */
  graph?: (tenant: TenantRow) => Promise<Graph>;
  /** Names this process's leases; a new id per call by default. */
  owner?: string;
  /** The process's memory of tenants whose health report could not be read (kept across sweeps). */
  backoff?: ClaimBackoff;
  signal?: AbortSignal;
}

export interface DigestRun {
  /** Days claimed in this run (with new problems or not). */
  claimed: number;
  /** E-mails and webhook calls that went out. */
  sent: number;
  failed: number;
}

/** `YYYY-MM-DD` of a time, in UTC. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

export function webhookPolicy(d: Pick<AlertDigestDeps, 'integration' | 'config'>): WebhookPolicy {
  return { allowPrivate: d.config.alertWebhookAllowPrivate, ...(d.integration?.extraCa ? { extraCa: d.integration.extraCa } : {}) };
}

function graphFor(d: AlertDigestDeps): (tenant: TenantRow) => Promise<Graph> {
  if (d.graph) return d.graph;
  return async (tenant) => {
    if (!d.integration?.microsoft) throw new Error('Microsoft 365 is not configured on this server.');
    if (!tenant.entra_tenant_id) throw new Error('The app is not approved in Microsoft 365 for this tenant.');
    return graphOf(d.integration as Parameters<typeof graphOf>[0], tenant.entra_tenant_id);
  };
}

/**
 * The periodic sweep of the daily alerts: for each tenant with alerts on whose hour (UTC) has
 * come today, claims the day (one row per tenant and day, in the transaction that also decides
 * which problems are new, so two processes or a retry never make a second digest of one day),
 * then delivers what is left to deliver: each recipient's e-mail through Graph `sendMail` from
 * the invite sender's mailbox and the signed webhook, each recorded on its own so a failure of
 * one stops nothing else and is retried by a later sweep, and a success is never repeated.
 */
export async function runAlertDigests(d: AlertDigestDeps): Promise<DigestRun> {
  const claimed = await claimDueDigests(d);
  const { sent, failed } = await deliverOpenDigests(d);
  return { claimed, sent, failed };
}

/**
 * A tenant whose digest could not be claimed (its health report cannot be read: SuperOffice or
 * Microsoft 365 down, no administrator's sign-in stored) is tried again after 10 minutes, then
 * 20, 40, … at most 2 hours apart, rather than at every sweep: each try costs a load of each
 * side. In memory: a restarted process tries at once.
 */
export class ClaimBackoff {
  static readonly FIRST_MS = 10 * 60_000;
  static readonly MAX_MS = 2 * 3_600_000;
  private readonly waits = new Map<string, { failures: number; until: number }>();

  waiting(tenantId: string, now: Date): boolean {
    const w = this.waits.get(tenantId);
    return w !== undefined && now.getTime() < w.until;
  }

  failed(tenantId: string, now: Date): void {
    const failures = (this.waits.get(tenantId)?.failures ?? 0) + 1;
    this.waits.set(tenantId, { failures, until: now.getTime() + Math.min(ClaimBackoff.FIRST_MS * 2 ** (failures - 1), ClaimBackoff.MAX_MS) });
  }

  succeeded(tenantId: string): void {
    this.waits.delete(tenantId);
  }
}

/** Claims today's digest of every tenant that is due; answers how many days were claimed. */
export async function claimDueDigests(d: AlertDigestDeps): Promise<number> {
  let claimed = 0;
  for (const settings of await enabledSettings(d.store)) {
    d.signal?.throwIfAborted();
    const tenantId = settings.tenant_id;
    if (d.backoff?.waiting(tenantId, d.now)) continue;
    try {
      if (await claimDay(d, settings)) claimed += 1;
      d.backoff?.succeeded(tenantId);
    } catch (err) {
      d.backoff?.failed(tenantId, d.now);
      d.log?.error({ err, tenantId }, 'alerts: claiming the digest failed');
    }
  }
  return claimed;
}

async function claimDay(d: AlertDigestDeps, settings: SettingsRow): Promise<boolean> {
  const tenantId = settings.tenant_id;
  const day = utcDay(d.now);
  if (d.now.getUTCHours() < settings.hour_utc) return false;
  if (await findDigest(d.store, tenantId, day)) return false;
  const webhook = settings.webhook_url && settings.webhook_secret_sealed ? settings.webhook_url : null;
  // Nobody to tell: nothing is marked as reported either.
  if (recipientsOf(settings).length === 0 && !webhook) return false;
  // Outside the transaction: it calls SuperOffice and Graph. A failure claims nothing (the next sweep tries again).
  const reading = await d.healthSource(tenantId, d.signal);
  const problems = reading.problems;
  const recipients = addressedNow(recipientsOf(settings), reading, (message, associateId) => d.log?.warn({ tenantId, associateId }, message));
  if (recipients.length === 0 && !webhook) return false;
  try {
    return await d.store.transaction(async (tx) => {
      if (await findDigest(tx, tenantId, day)) return false;
      const reported = await reportedKeys(tx, tenantId);
      // A problem an administrator chose to ignore in the health report is not news either (nor
      // marked reported: if they stop ignoring it while it lasts, the next digest has it).
      const ignored = await ignoredKeys(tx, tenantId);
      const current = new Map(problems.filter((p) => !ignored.has(p.key)).map((p) => [p.key, p]));
      // Gone problems are forgotten: if one comes back, it is new again.
      await forgetReported(tx, tenantId, [...reported].filter((k) => !current.has(k)));
      const fresh = [...current.values()].filter((p) => !reported.has(p.key));
      await addReported(tx, tenantId, fresh.map((p) => p.key), d.now);
      const deliveries =
        fresh.length === 0
          ? []
          : [...recipients.map((r) => ({ channel: `mail:${r.associateId}`, address: r.email })), ...(webhook ? [{ channel: 'webhook', address: webhook }] : [])];
      await insertDigest(tx, tenantId, day, JSON.stringify(fresh), fresh.length, deliveries, d.now);
      return true;
    });
  } catch (err) {
    // Another process claimed the day between our read and our insert: its digest is the day's.
    if (isUniqueViolation(err)) return false;
    throw err;
  }
}

const retryable = (r: DeliveryRow, now: Date) =>
  r.state === 'pending' || (r.state === 'failed' && r.attempts < MAX_ATTEMPTS && new Date(readTime(r.updated_at)).getTime() + r.attempts * RETRY_STEP_MS <= now.getTime());
const retryLater = (r: DeliveryRow) => r.state === 'pending' || (r.state === 'failed' && r.attempts < MAX_ATTEMPTS);

/** Delivers every claimed digest that has deliveries left and no live lease. */
export async function deliverOpenDigests(d: AlertDigestDeps): Promise<{ sent: number; failed: number }> {
  const owner = d.owner ?? randomUUID();
  let sent = 0;
  let failed = 0;
  // Alerts turned off: what was left to retry waits (and goes out if they are turned on again).
  const enabled = new Set((await enabledSettings(d.store)).map((s) => s.tenant_id));
  for (const digest of await openDigests(d.store, d.now)) {
    d.signal?.throwIfAborted();
    if (!enabled.has(digest.tenant_id)) continue;
    if (!(await takeLease(d.store, digest.tenant_id, digest.day, owner, d.now, DELIVERY_LEASE_MS))) continue;
    let complete = false;
    try {
      const result = await deliver(d, digest.tenant_id, digest.day, JSON.parse(digest.problems_json) as HealthProblem[]);
      sent += result.sent;
      failed += result.failed;
      complete = result.complete;
    } catch (err) {
      d.log?.error({ err, tenantId: digest.tenant_id, day: digest.day }, 'alerts: delivering the digest failed');
    } finally {
      await releaseLease(d.store, digest.tenant_id, digest.day, owner, complete, d.now);
    }
  }
  return { sent, failed };
}

async function deliver(d: AlertDigestDeps, tenantId: string, day: string, problems: HealthProblem[]): Promise<{ sent: number; failed: number; complete: boolean }> {
  const rows = await deliveriesOf(d.store, tenantId, day);
  // Going out when its process stopped: perhaps delivered, perhaps not. Never sent again, so
  // nobody gets a day's digest twice; the settings view shows it.
  const lost = rows.filter((r) => r.state === 'sending');
  const todo = rows.filter((r) => retryable(r, d.now));
  await d.store.transaction((tx) =>
    setDeliveries(
      tx,
      tenantId,
      day,
      [
        ...lost.map((r) => ({ channel: r.channel, state: 'lost' as const, error: 'The process sending it stopped; it is not sent again, so nobody receives it twice.' })),
        ...todo.map((r) => ({ channel: r.channel, state: 'sending' as const, attempt: true })),
      ],
      d.now,
    ),
  );
  const outcomes: { channel: string; ok: boolean; message: string }[] = [];
  const mails = todo.filter((r) => r.channel.startsWith('mail:'));
  const hook = todo.find((r) => r.channel === 'webhook');
  const tenant = await findTenant(d.store, tenantId);
  const settings = await findSettings(d.store, tenantId);

  if (mails.length > 0) {
    const names = new Map(recipientsOf(settings ?? { recipients_json: '[]' }).map((r) => [`mail:${r.associateId}`, r.name]));
    try {
      if (!tenant) throw new Error('The tenant is gone.');
      const graph = await graphFor(d)(tenant);
      const sender = await alertSender(graph, tenant);
      if ('error' in sender) {
        for (const r of mails) outcomes.push({ channel: r.channel, ok: false, message: sender.error });
      } else {
        const mail = composeDigest(problems, { organisation: tenant.entra_organization_name ?? tenant.name ?? tenantId, day });
        const results = await sendDigestMails(graph, sender, mails.map((r) => ({ address: r.address, name: names.get(r.channel) ?? r.address })), mail);
        results.forEach((o, i) => outcomes.push({ channel: mails[i]!.channel, ok: o.ok, message: o.message }));
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : 'Microsoft 365 did not send it.';
      for (const r of mails) if (!outcomes.some((o) => o.channel === r.channel)) outcomes.push({ channel: r.channel, ok: false, message: message.slice(0, 400) });
    }
  }

  if (hook) {
    // Signed with the secret as it is now (a secret made after the claim signs the retry).
    const secret = settings && d.integration ? openWebhookSecret(d.integration.box, settings) : null;
    if (!secret) {
      outcomes.push({ channel: 'webhook', ok: false, message: 'No webhook secret is set: generate one in Alerts.' });
    } else {
      const body = JSON.stringify({ tenantId, generatedAt: d.now.toISOString(), problems });
      const o = await postWebhook(hook.address, secret, body, webhookPolicy(d), { 'X-Alerts-Delivery': `${tenantId}/${day}` });
      outcomes.push({ channel: 'webhook', ok: o.ok, message: o.message });
    }
  }

  await d.store.transaction((tx) =>
    setDeliveries(tx, tenantId, day, outcomes.map((o) => ({ channel: o.channel, state: o.ok ? ('sent' as const) : ('failed' as const), error: o.ok ? null : o.message })), d.now),
  );
  for (const o of outcomes.filter((x) => !x.ok)) d.log?.warn({ tenantId, day, channel: o.channel, reason: o.message }, 'alerts: a delivery failed');
  const after = await deliveriesOf(d.store, tenantId, day);
  return { sent: outcomes.filter((o) => o.ok).length, failed: outcomes.filter((o) => !o.ok).length, complete: !after.some(retryLater) };
}
