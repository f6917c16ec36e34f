import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { knownAdmins } from '../auth/admin.repository.js';
import type { TenantRow } from '../db/database.js';
import { readBool } from '../db/dialect.js';
import type { Store, Tx } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import type { Integration } from '../integration.js';
import type { Graph } from '../microsoft/graph.client.js';
import type { SecretBox } from '../security/secret-box.js';
import { ignoredKeys } from '../health/health.repository.js';
import type { HealthProblem, HealthReading } from '../health/health.types.js';
import type { Associate } from '../superoffice/associate.schemas.js';
import { requireTenant } from '../tenants/tenant.repository.js';
import { addressedNow, alertSender, composeDigest, sendDigestMails } from './alert-mail.js';
import {
  deliveriesOf,
  findSettings,
  insertSettings,
  latestDigestRow,
  recipientsOf,
  updateSettingsRow,
  type SettingsRow,
} from './alert.repository.js';
import type { AlertAdminList, AlertRecipient, AlertSettings, AlertSettingsChange, AlertTestAnswer } from './alert.schemas.js';
import { newWebhookSecret, postWebhook, type WebhookPolicy } from './webhook.js';

/** The hour (UTC) a tenant's digest goes out until an administrator picks another. */
export const DEFAULT_HOUR_UTC = 7;

/** What the alert endpoints work with: the store, who acts, when, and SuperOffice / Microsoft 365 as the caller. */
export interface AlertContext {
  store: Store;
  actor: Actor;
  now: Date;
  integration: Integration | null;
  /** The tenant's associates as SuperOffice has them (emails from the contact cards). */
  associates: () => Promise<Associate[]>;
  /** Graph for the tenant (app token). */
  graph: (tenant: TenantRow) => Promise<Graph>;
  webhook: WebhookPolicy;
  /** The health report now, read as the caller (GET /health's computation); ignored problems included. */
  health: () => Promise<HealthReading>;
}

const secretContext = (tenantId: string) => `alerts-webhook:${tenantId}`;

export function openWebhookSecret(box: SecretBox, settings: Pick<SettingsRow, 'tenant_id' | 'webhook_secret_sealed'>): string | null {
  return settings.webhook_secret_sealed ? box.open(settings.webhook_secret_sealed, secretContext(settings.tenant_id)) : null;
}

/** The settings as the panel shows them (defaults before the first save), with how the last digest went. */
export async function alertSettings(tx: Tx, tenantId: string): Promise<AlertSettings> {
  const row = await findSettings(tx, tenantId);
  const digest = await latestDigestRow(tx, tenantId);
  const deliveries = digest ? await deliveriesOf(tx, tenantId, digest.day) : [];
  return {
    enabled: row ? readBool(row.enabled) : false,
    recipients: row ? recipientsOf(row) : [],
    hourUtc: row?.hour_utc ?? DEFAULT_HOUR_UTC,
    webhookUrl: row?.webhook_url ?? null,
    webhookSecretSet: Boolean(row?.webhook_secret_sealed),
    version: row?.version ?? 0,
    lastDigest: digest ? { day: digest.day, problems: digest.problem_count, deliveries: deliveries.map((d) => ({ channel: d.channel, state: d.state, error: d.last_error })) } : null,
  };
}

/** The administrators the digest can go to: those seen signing in as SuperOffice administrators, with their contact-card email now. */
export async function alertAdmins(c: Pick<AlertContext, 'store' | 'actor' | 'associates'>): Promise<AlertAdminList> {
  const admins = await knownAdmins(c.store, c.actor.tenantId);
  const known = new Map((await c.associates()).map((a) => [a.associateId, a]));
  return {
    admins: admins.map((a) => {
      const so = known.get(a.associate_id);
      return { associateId: a.associate_id, name: so?.name ?? a.associate_name, email: so?.active ? so.email : null, active: so?.active ?? false };
    }),
  };
}

/** Each chosen recipient must be a SuperOffice administrator of the tenant, active, with an e-mail on the contact card. */
async function checkRecipients(c: AlertContext, ids: readonly number[]): Promise<AlertRecipient[]> {
  if (ids.length === 0) return [];
  const admins = new Set((await knownAdmins(c.store, c.actor.tenantId)).map((a) => a.associate_id));
  const known = new Map((await c.associates()).map((a) => [a.associateId, a]));
  const details: { path: string; code: string; message: string; associateId: number }[] = [];
  const out: AlertRecipient[] = [];
  ids.forEach((id, i) => {
    const a = known.get(id);
    const path = `body.recipients.${i}`;
    if (!a) details.push({ path, code: 'UnknownAssociate', message: `Associate ${id} is not a user of this SuperOffice tenant.`, associateId: id });
    else if (!admins.has(id)) details.push({ path, code: 'NotAdministrator', message: `${a.name} is not a SuperOffice administrator (as last seen signing in here).`, associateId: id });
    else if (!a.active) details.push({ path, code: 'Retired', message: `${a.name} is retired in SuperOffice.`, associateId: id });
    else if (!a.email) details.push({ path, code: 'NoEmail', message: `${a.name} has no e-mail address on the contact card.`, associateId: id });
    else out.push({ associateId: id, name: a.name, email: a.email });
  });
  if (details.length > 0) {
    throw new ApiError(400, 'AlertRecipientRefused', `${details.length} of the chosen recipients cannot receive the alerts. Nothing was changed.`, details.slice(0, MAX_DETAILS));
  }
  return out;
}

const stale = (expected: number, current: number) =>
  new ApiError(409, 'VersionConflict', 'Someone else changed these settings after you loaded them. Reload and try again.', [
    { message: 'The settings changed.', expectedVersion: expected, currentVersion: current },
  ]);

/** What the audit trail keeps of the settings: never the secret, only whether there is one. */
const audited = (s: { enabled: boolean; recipients: AlertRecipient[]; hourUtc: number; webhookUrl: string | null; webhookSecretSet: boolean }) => ({
  enabled: s.enabled,
  recipients: s.recipients.map((r) => r.associateId),
  hourUtc: s.hourUtc,
  webhookUrl: s.webhookUrl,
  webhookSecretSet: s.webhookSecretSet,
});

/** Saves all the settings if the admin saw the current version (audited `alerts.settings`). */
export async function updateAlertSettings(c: AlertContext, change: AlertSettingsChange & { recipients: number[] }): Promise<AlertSettings> {
  const recipients = await checkRecipients(c, change.recipients);
  const tenantId = c.actor.tenantId;
  return c.store.transaction(async (tx) => {
    await requireTenant(tx, tenantId);
    const row = await findSettings(tx, tenantId);
    const current = row?.version ?? 0;
    if (current !== change.expectedVersion) throw stale(change.expectedVersion, current);
    const before = await alertSettings(tx, tenantId);
    const values = { enabled: change.enabled, recipients, hourUtc: change.hourUtc, webhookUrl: change.webhookUrl };
    const after = { ...values, webhookSecretSet: before.webhookSecretSet };
    if (row && JSON.stringify(audited(before)) === JSON.stringify(audited(after)) && JSON.stringify(before.recipients) === JSON.stringify(recipients)) return before;
    if (!row) await insertSettings(tx, tenantId, values, null, c.now);
    else if (!(await updateSettingsRow(tx, tenantId, row.version, values, c.now))) throw stale(change.expectedVersion, row.version + 1);
    await appendAudit(tx, c.actor, [{ action: 'alerts.settings', entityType: 'tenant', entityId: tenantId, before: row ? audited(before) : null, after: audited(after) }], c.now);
    return alertSettings(tx, tenantId);
  });
}

/** A new webhook signing secret, made here and answered this once (only its sealed form is kept); audited `alerts.webhook_secret` without it. */
export async function rotateWebhookSecret(c: AlertContext): Promise<{ secret: string; version: number }> {
  const box = c.integration?.box;
  if (!box) throw new ApiError(503, 'AlertsNotConfigured', 'This server keeps no secrets (TOKEN_ENCRYPTION_KEY is not set), so it cannot sign webhooks.');
  const tenantId = c.actor.tenantId;
  const secret = newWebhookSecret();
  const sealed = box.seal(secret, secretContext(tenantId));
  return c.store.transaction(async (tx) => {
    await requireTenant(tx, tenantId);
    const row = await findSettings(tx, tenantId);
    if (!row) await insertSettings(tx, tenantId, { enabled: false, recipients: [], hourUtc: DEFAULT_HOUR_UTC, webhookUrl: null }, sealed, c.now);
    else if (!(await updateSettingsRow(tx, tenantId, row.version, { secretSealed: sealed }, c.now))) throw stale(row.version, row.version + 1);
    await appendAudit(
      tx,
      c.actor,
      [{ action: 'alerts.webhook_secret', entityType: 'tenant', entityId: tenantId, before: { webhookSecretSet: Boolean(row?.webhook_secret_sealed) }, after: { webhookSecretSet: true } }],
      c.now,
    );
    return { secret, version: (row?.version ?? 0) + 1 };
  });
}

/**
 * Sends a test digest now, by e-mail to the saved recipients and/or to the saved webhook, and
 * answers how each went (audited `alerts.test`). It carries what the health report shows now
 * (without the ignored problems), so the test shows what a digest looks like for this tenant; a
 * report that cannot be read is said in the test rather than stopping it. It marks no problem
 * as reported and claims no day.
 */
export async function sendTestAlert(c: AlertContext, req: { email: boolean; webhook: boolean }): Promise<AlertTestAnswer> {
  const tenantId = c.actor.tenantId;
  const row = await findSettings(c.store, tenantId);
  let recipients = req.email && row ? recipientsOf(row) : [];
  const hook = req.webhook && row?.webhook_url ? row.webhook_url : null;
  if (recipients.length === 0 && !hook) {
    throw new ApiError(409, 'AlertsNothingToSend', 'Choose recipients or a webhook URL and save them first: there is nothing to send a test to.');
  }
  const tenant = await requireTenant(c.store, tenantId);
  let problems: HealthProblem[] = [];
  let unreadable: string | undefined;
  try {
    const ignored = await ignoredKeys(c.store, tenantId);
    const reading = await c.health();
    problems = reading.problems.filter((p) => !ignored.has(p.key));
    // Addressed as the digest addresses them: by their contact cards as they are now.
    recipients = addressedNow(recipients, reading);
  } catch (err) {
    // DomainErrors carry words for an administrator; anything else is not shown.
    unreadable = err instanceof DomainError || err instanceof ApiError ? err.message.slice(0, 400) : 'SuperOffice or Microsoft 365 did not answer.';
  }
  const outcomes: AlertTestAnswer['outcomes'] = [];
  if (recipients.length > 0) {
    const fail = (message: string) => recipients.forEach((r) => outcomes.push({ channel: `mail:${r.associateId}`, address: r.email, ok: false, status: 0, message }));
    try {
      const graph = await c.graph(tenant);
      const sender = await alertSender(graph, tenant);
      if ('error' in sender) fail(sender.error);
      else {
        const mail = composeDigest(problems, { organisation: tenant.entra_organization_name ?? tenant.name ?? tenantId, day: c.now.toISOString().slice(0, 10), test: true, ...(unreadable !== undefined ? { unreadable } : {}) });
        const results = await sendDigestMails(graph, sender, recipients.map((r) => ({ address: r.email, name: r.name })), mail);
        results.forEach((o, i) => outcomes.push({ channel: `mail:${recipients[i]!.associateId}`, address: recipients[i]!.email, ...o }));
      }
    } catch (err) {
      fail(err instanceof Error ? err.message.slice(0, 400) : 'Microsoft 365 did not send it.');
    }
  }
  if (hook) {
    const secret = c.integration?.box && row ? openWebhookSecret(c.integration.box, row) : null;
    if (!secret) outcomes.push({ channel: 'webhook', address: hook, ok: false, status: 0, message: 'No webhook secret is set: generate one first.' });
    else {
      const body = JSON.stringify({ tenantId, generatedAt: c.now.toISOString(), test: true, problems });
      outcomes.push({ channel: 'webhook', address: hook, ...(await postWebhook(hook, secret, body, c.webhook, { 'X-Alerts-Delivery': `${tenantId}/test` })) });
    }
  }
  await c.store.transaction((tx) =>
    appendAudit(tx, c.actor, [{ action: 'alerts.test', entityType: 'tenant', entityId: tenantId, before: null, after: { outcomes: outcomes.map(({ channel, ok, status }) => ({ channel, ok, status })) } }], c.now),
  );
  return { sentAt: c.now.toISOString(), problems: unreadable === undefined ? problems.length : null, ...(unreadable !== undefined ? { unreadable } : {}), outcomes };
}
