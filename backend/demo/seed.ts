import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.js';
import type { Store } from '../db/store.js';
import type { DemoTenant } from '../../simulators/demo-tenant.types.js';
import { ensureTenant } from '../tenants/tenant.repository.js';

/**
 * On a fresh demo database: the demo tenant with a few users already linked, so the list and
 * options have something to show. Their mappings (`sync_item`, the "items in sync") are not
 * made up here: the demo's in-process worker synchronizes these users and writes them, and a
 * made-up mapping would name items that exist on neither side. Does nothing once the tenant has links.
 */
export async function seedDemoTenant(store: Store, tenant: DemoTenant, now = new Date()): Promise<number> {
  return store.transaction(async (tx) => {
    await ensureTenant(tx, tenant.contextId, now);
    // The organisation name invite emails and the accept page show.
    await tx.db.updateTable('tenant').set({ name: tenant.companyName }).where('id', '=', tenant.contextId).where('name', 'is', null).execute();
    const existing = await tx.db.selectFrom('link').select('id').where('tenant_id', '=', tenant.contextId).executeTakeFirst();
    if (existing) return 0;
    const mailboxByAddress = new Map(
      tenant.mailboxes.filter((m) => m.mail && m.userType === 'Member' && m.userPurpose === 'user').map((m) => [m.mail!.toLowerCase(), m]),
    );
    const pairs = tenant.associates
      .filter((a) => a.isActive && a.personEmail && !a.functionRights.includes('admin-all'))
      .map((a) => ({ a, m: mailboxByAddress.get(a.personEmail!.toLowerCase()) }))
      // One mailbox per associate: the demo has two associates sharing an email.
      .filter((p, i, all) => p.m && all.findIndex((q) => q.m === p.m) === i)
      .slice(0, 4);
    const at = tx.dialect.time(now);
    const rows = pairs.map(({ a, m }, i) => ({
      id: randomUUID(),
      tenant_id: tenant.contextId,
      associate_id: a.associateId,
      associate_name: a.fullName,
      mailbox_id: m!.id,
      mailbox_address: m!.mail!,
      sync_diary: tx.dialect.bool(true),
      sync_task: tx.dialect.bool(i !== 1),
      sync_contact: tx.dialect.bool(i !== 2),
      rank: 1 + (i % 2),
      version: 1,
      created_by: 0,
      created_at: at,
      updated_by: 0,
      updated_at: at,
    }));
    if (rows.length === 0) return 0;
    await tx.db.insertInto('link').values(rows).execute();
    await appendAudit(
      tx,
      { tenantId: tenant.contextId, associateId: 0, associateName: 'Demo set-up', requestId: null },
      rows.map((r) => ({ action: 'link.created', entityType: 'link', entityId: r.id, before: null, after: { associateId: r.associate_id, mailboxAddress: r.mailbox_address } })),
      now,
    );
    return rows.length;
  });
}
