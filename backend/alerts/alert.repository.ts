import type { AlertDeliveryState } from '../db/database.js';
import { chunk } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { AlertRecipient } from './alert.schemas.js';

export interface SettingsValues {
  enabled: boolean;
  recipients: AlertRecipient[];
  hourUtc: number;
  webhookUrl: string | null;
}

export function findSettings(tx: Tx, tenantId: string) {
  return tx.db.selectFrom('alert_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}
export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

export const recipientsOf = (row: Pick<SettingsRow, 'recipients_json'>): AlertRecipient[] => JSON.parse(row.recipients_json) as AlertRecipient[];

/** The first save of a tenant's settings (version 1). */
export async function insertSettings(tx: Tx, tenantId: string, v: SettingsValues, secretSealed: string | null, now: Date): Promise<void> {
  await tx.db
    .insertInto('alert_settings')
    .values({
      tenant_id: tenantId,
      enabled: tx.dialect.bool(v.enabled),
      recipients_json: JSON.stringify(v.recipients),
      hour_utc: v.hourUtc,
      webhook_url: v.webhookUrl,
      webhook_secret_sealed: secretSealed,
      version: 1,
      updated_at: tx.dialect.time(now),
    })
    .execute();
}

/** Updates the settings if they are still at `version`; false when someone else changed them first. */
export async function updateSettingsRow(tx: Tx, tenantId: string, version: number, v: Partial<SettingsValues> & { secretSealed?: string | null }, now: Date): Promise<boolean> {
  const result = await tx.db
    .updateTable('alert_settings')
    .set({
      ...(v.enabled === undefined ? {} : { enabled: tx.dialect.bool(v.enabled) }),
      ...(v.recipients === undefined ? {} : { recipients_json: JSON.stringify(v.recipients) }),
      ...(v.hourUtc === undefined ? {} : { hour_utc: v.hourUtc }),
      ...(v.webhookUrl === undefined ? {} : { webhook_url: v.webhookUrl }),
      ...(v.secretSealed === undefined ? {} : { webhook_secret_sealed: v.secretSealed }),
      version: version + 1,
      updated_at: tx.dialect.time(now),
    })
    .where('tenant_id', '=', tenantId)
    .where('version', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Tenants whose digest is on. */
export async function enabledSettings(tx: Tx): Promise<SettingsRow[]> {
  return tx.db.selectFrom('alert_settings').selectAll().where('enabled', '=', tx.dialect.bool(true)).orderBy('tenant_id').execute();
}

// ---- Reported problems --------------------------------------------------------------------------

export async function reportedKeys(tx: Tx, tenantId: string): Promise<Set<string>> {
  const rows = await tx.db.selectFrom('alert_reported').select('problem_key').where('tenant_id', '=', tenantId).execute();
  return new Set(rows.map((r) => r.problem_key));
}

export async function addReported(tx: Tx, tenantId: string, keys: readonly string[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  for (const part of chunk(keys, tx.dialect.rowsPerStatement(3))) {
    await tx.db.insertInto('alert_reported').values(part.map((k) => ({ tenant_id: tenantId, problem_key: k, first_reported_at: at }))).execute();
  }
}

export async function forgetReported(tx: Tx, tenantId: string, keys: readonly string[]): Promise<void> {
  for (const part of chunk(keys, tx.dialect.maxInList)) {
    await tx.db.deleteFrom('alert_reported').where('tenant_id', '=', tenantId).where('problem_key', 'in', part).execute();
  }
}

// ---- Digests and their deliveries ---------------------------------------------------------------

export function findDigest(tx: Tx, tenantId: string, day: string) {
  return tx.db.selectFrom('alert_digest').selectAll().where('tenant_id', '=', tenantId).where('day', '=', day).executeTakeFirst();
}
export type DigestRow = NonNullable<Awaited<ReturnType<typeof findDigest>>>;

export function latestDigestRow(tx: Tx, tenantId: string) {
  return tx.dialect.limit(tx.db.selectFrom('alert_digest').selectAll().where('tenant_id', '=', tenantId).orderBy('day', 'desc'), 1).executeTakeFirst();
}

export interface NewDelivery {
  channel: string;
  address: string;
}

/** The day's claim: the digest row and its deliveries, in the caller's transaction. Throws a unique violation when another process claimed the day first. */
export async function insertDigest(tx: Tx, tenantId: string, day: string, problemsJson: string, count: number, deliveries: readonly NewDelivery[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  await tx.db
    .insertInto('alert_digest')
    .values({ tenant_id: tenantId, day, problems_json: problemsJson, problem_count: count, claimed_at: at, lease_owner: null, lease_until: null, completed_at: deliveries.length === 0 ? at : null })
    .execute();
  for (const part of chunk(deliveries, tx.dialect.rowsPerStatement(8))) {
    await tx.db
      .insertInto('alert_delivery')
      .values(part.map((d) => ({ tenant_id: tenantId, day, channel: d.channel, address: d.address, state: 'pending' as const, attempts: 0, last_error: null, updated_at: at })))
      .execute();
  }
}

/** Digests with deliveries left whose lease is free (or ran out: its process died). */
export function openDigests(tx: Tx, now: Date) {
  const at = tx.dialect.time(now);
  return tx.db
    .selectFrom('alert_digest')
    .select(['tenant_id', 'day', 'problems_json'])
    .where('completed_at', 'is', null)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .orderBy('day')
    .orderBy('tenant_id')
    .execute();
}

/** Takes the digest's delivery lease; false when another process holds it. */
export async function takeLease(tx: Tx, tenantId: string, day: string, owner: string, now: Date, ms: number): Promise<boolean> {
  const at = tx.dialect.time(now);
  const result = await tx.db
    .updateTable('alert_digest')
    .set({ lease_owner: owner, lease_until: tx.dialect.time(new Date(now.getTime() + ms)) })
    .where('tenant_id', '=', tenantId)
    .where('day', '=', day)
    .where('completed_at', 'is', null)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', at)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Lets the lease go (and closes the digest when nothing is left to deliver). */
export async function releaseLease(tx: Tx, tenantId: string, day: string, owner: string, complete: boolean, now: Date): Promise<void> {
  await tx.db
    .updateTable('alert_digest')
    .set({ lease_owner: null, lease_until: null, ...(complete ? { completed_at: tx.dialect.time(now) } : {}) })
    .where('tenant_id', '=', tenantId)
    .where('day', '=', day)
    .where('lease_owner', '=', owner)
    .execute();
}

export function deliveriesOf(tx: Tx, tenantId: string, day: string) {
  return tx.db.selectFrom('alert_delivery').selectAll().where('tenant_id', '=', tenantId).where('day', '=', day).orderBy('channel').execute();
}
export type DeliveryRow = Awaited<ReturnType<typeof deliveriesOf>>[number];

/** Moves deliveries to `state` (one attempt more when they start sending). */
export async function setDeliveries(tx: Tx, tenantId: string, day: string, changes: readonly { channel: string; state: AlertDeliveryState; error?: string | null; attempt?: boolean }[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  for (const c of changes) {
    await tx.db
      .updateTable('alert_delivery')
      .set((eb) => ({
        state: c.state,
        updated_at: at,
        ...(c.error === undefined ? {} : { last_error: c.error }),
        ...(c.attempt ? { attempts: eb('attempts', '+', 1) } : {}),
      }))
      .where('tenant_id', '=', tenantId)
      .where('day', '=', day)
      .where('channel', '=', c.channel)
      .execute();
  }
}
