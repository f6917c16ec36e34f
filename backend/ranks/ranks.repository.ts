import { readBool, readInt } from '../db/dialect.js';
import type { Tx } from '../db/store.js';

export interface RankedLink {
  id: string;
  associateName: string;
  mailboxId: string;
  rank: number;
  version: number;
  diary: boolean;
  task: boolean;
  contact: boolean;
  itemsInSync: number;
}

/**
 * Every link of the tenant with its rank, options and items in sync (active mappings, counted per
 * link through the index on tenant, associate, mailbox, state as the list does).
 */
export async function listRankedLinks(tx: Tx, tenantId: string): Promise<RankedLink[]> {
  const rows = await tx.db
    .selectFrom('link as l')
    .select(['l.id', 'l.associate_name', 'l.mailbox_id', 'l.rank', 'l.version', 'l.sync_diary', 'l.sync_task', 'l.sync_contact'])
    .select((eb) =>
      eb
        .selectFrom('sync_item as i')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('i.tenant_id', '=', 'l.tenant_id')
        .whereRef('i.associate_id', '=', 'l.associate_id')
        .whereRef('i.mailbox_id', '=', 'l.mailbox_id')
        .where('i.state', '=', 'active')
        .as('items'),
    )
    .where('l.tenant_id', '=', tenantId)
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    associateName: r.associate_name,
    mailboxId: r.mailbox_id,
    rank: r.rank,
    version: r.version,
    diary: readBool(r.sync_diary),
    task: readBool(r.sync_task),
    contact: readBool(r.sync_contact),
    itemsInSync: readInt(r.items ?? 0),
  }));
}

/** Graph requests and 429s per mailbox of the tenant in the hours from `since` (sync_load, migration 017). */
export async function loadSince(tx: Tx, tenantId: string, since: Date): Promise<Map<string, { requests: number; throttled: number }>> {
  const rows = await tx.db
    .selectFrom('sync_load')
    .select(['mailbox_id', (eb) => eb.fn.sum<number>('requests').as('requests'), (eb) => eb.fn.sum<number>('throttled').as('throttled')])
    .where('tenant_id', '=', tenantId)
    .where('hour_start', '>=', tx.dialect.time(since))
    .groupBy('mailbox_id')
    .execute();
  return new Map(rows.map((r) => [r.mailbox_id, { requests: readInt(r.requests ?? 0), throttled: readInt(r.throttled ?? 0) }]));
}
