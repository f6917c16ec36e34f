import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest } from '../backend/db/migrate.js';
import { openStore, type Store } from '../backend/db/store.js';
import { newLink } from '../test/helpers/harness.js';

/** A scratch directory for the run's database files; `cleanup` removes it. */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-bench-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let files = 0;
/** A migrated, file-backed SQLite database (WAL, as in production) in `dir`. */
export async function fileStore(dir: string): Promise<Store> {
  const store = openStore(`sqlite:${join(dir, `bench-${++files}.db`)}`);
  await migrateToLatest(store);
  return store;
}

/** `count` new links for one Save Added Users request: associates and mailboxes `from`…`from+count-1`. */
export function newLinks(count: number, from = 1) {
  return Array.from({ length: count }, (_, i) => newLink(from + i));
}

/**
 * Sync history for every link of the tenant, `perLink` rows each, as the sync service would
 * write them (cf. seedHistory), in one INSERT … SELECT: seedHistory per link would take
 * 10,000 round trips.
 */
export async function seedHistoryBulk(store: Store, tenantId: string, perLink: number): Promise<number> {
  const at = new Date('2026-11-01T00:00:00.000Z').toISOString();
  await sql`
    with recursive n(i) as (select 1 union all select i + 1 from n where i < ${perLink})
    insert into sync_history
      (tenant_id, link_id, item_kind, superoffice_id, external_id, superoffice_updated_at, external_change_key, synced_at)
    select l.tenant_id, l.id,
      case n.i % 3 when 1 then 'appointment' when 2 then 'task' else 'contact' end,
      n.i, 'AAMkAG' || substr(l.id, 1, 8) || '-' || n.i, ${at}, 'ck-' || n.i, ${at}
    from link l cross join n
    where l.tenant_id = ${tenantId}`.execute(store.db);
  const row = await store.db
    .selectFrom('sync_history')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
