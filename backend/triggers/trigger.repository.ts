import type { SyncSubscriptionRow } from '../db/database.js';
import { readBool } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

export type SubscriptionKind = 'appointment' | 'contact';

/** A subscription we should hold: a linked mailbox whose Diary (events) or Contact (contacts) is on, in a tenant approved in Microsoft 365. */
export interface WantedSubscription {
  tenantId: string;
  entraTenantId: string;
  mailboxId: string;
  kind: SubscriptionKind;
}

export function findSubscription(tx: Tx, subscriptionId: string): Promise<SyncSubscriptionRow | undefined> {
  return tx.db.selectFrom('sync_subscription').selectAll().where('subscription_id', '=', subscriptionId).executeTakeFirst();
}

export function listSubscriptions(tx: Tx): Promise<SyncSubscriptionRow[]> {
  return tx.db.selectFrom('sync_subscription').selectAll().orderBy('expires_at').execute();
}

/** Every (mailbox, kind) that should have a subscription now. */
export async function wantedSubscriptions(tx: Tx): Promise<WantedSubscription[]> {
  const rows = await tx.db
    .selectFrom('link as l')
    .innerJoin('tenant as t', 't.id', 'l.tenant_id')
    .select(['l.tenant_id', 't.entra_tenant_id', 'l.mailbox_id', 'l.sync_diary', 'l.sync_contact'])
    .where('t.entra_tenant_id', 'is not', null)
    .execute();
  const out: WantedSubscription[] = [];
  for (const r of rows) {
    const base = { tenantId: r.tenant_id, entraTenantId: r.entra_tenant_id!, mailboxId: r.mailbox_id };
    if (readBool(r.sync_diary)) out.push({ ...base, kind: 'appointment' });
    if (readBool(r.sync_contact)) out.push({ ...base, kind: 'contact' });
  }
  return out;
}

export async function saveSubscription(
  tx: Tx,
  row: { tenantId: string; mailboxId: string; kind: SubscriptionKind; subscriptionId: string; clientStateHash: string; expiresAt: Date },
  now: Date,
): Promise<void> {
  await tx.db
    .deleteFrom('sync_subscription')
    .where('tenant_id', '=', row.tenantId)
    .where('mailbox_id', '=', row.mailboxId)
    .where('kind', '=', row.kind)
    .execute();
  await tx.db
    .insertInto('sync_subscription')
    .values({
      tenant_id: row.tenantId,
      mailbox_id: row.mailboxId,
      kind: row.kind,
      subscription_id: row.subscriptionId,
      client_state_hash: row.clientStateHash,
      expires_at: tx.dialect.time(row.expiresAt),
      created_at: tx.dialect.time(now),
      updated_at: tx.dialect.time(now),
    })
    .execute();
}

export async function renewedSubscription(tx: Tx, subscriptionId: string, expiresAt: Date, now: Date): Promise<void> {
  await tx.db
    .updateTable('sync_subscription')
    .set({ expires_at: tx.dialect.time(expiresAt), updated_at: tx.dialect.time(now) })
    .where('subscription_id', '=', subscriptionId)
    .execute();
}

export async function deleteSubscription(tx: Tx, subscriptionId: string): Promise<void> {
  await tx.db.deleteFrom('sync_subscription').where('subscription_id', '=', subscriptionId).execute();
}

/** The next pass of the kind compares everything (a `missed` lifecycle event: notifications were lost). */
export async function forceFullComparison(tx: Tx, tenantId: string, mailboxId: string, kind: SubscriptionKind): Promise<void> {
  await tx.db
    .updateTable('sync_cursor')
    .set({ last_reconcile_at: null })
    .where('tenant_id', '=', tenantId)
    .where('mailbox_id', '=', mailboxId)
    .where('kind', '=', kind)
    .execute();
}

/** The mailboxes linked to these associates of the tenant (a webhook names associates, not mailboxes). */
export async function mailboxesOfAssociates(tx: Tx, tenantId: string, associateIds: readonly number[]): Promise<string[]> {
  if (associateIds.length === 0) return [];
  const rows = await tx.db
    .selectFrom('link')
    .select('mailbox_id')
    .where('tenant_id', '=', tenantId)
    .where('associate_id', 'in', [...associateIds])
    .execute();
  return [...new Set(rows.map((r) => r.mailbox_id))];
}

export function findWebhook(tx: Tx, tenantId: string) {
  return tx.db.selectFrom('superoffice_webhook').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst();
}

export async function saveWebhook(tx: Tx, row: { tenantId: string; webhookId: number; secretSealed: string; targetUrl: string }, now: Date): Promise<void> {
  await tx.db.deleteFrom('superoffice_webhook').where('tenant_id', '=', row.tenantId).execute();
  await tx.db
    .insertInto('superoffice_webhook')
    .values({ tenant_id: row.tenantId, webhook_id: row.webhookId, secret_sealed: row.secretSealed, target_url: row.targetUrl, created_at: tx.dialect.time(now) })
    .execute();
}

/** Tenants approved in Microsoft 365 with at least one link: those that get a SuperOffice webhook. */
export async function tenantsWithLinks(tx: Tx): Promise<string[]> {
  const rows = await tx.db.selectFrom('link').select('tenant_id').distinct().execute();
  return rows.map((r) => r.tenant_id);
}
