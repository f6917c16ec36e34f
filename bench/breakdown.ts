/**
 * Where the time of the 10,000-link requests goes: the same work as the endpoints, piece by
 * piece, called directly (no HTTP), on a fresh file-backed database.
 */
import { sql } from 'kysely';
import { appendAudit, type Actor } from '../backend/audit/audit.repository.js';
import { readTime } from '../backend/db/dialect.js';
import type { Store, Tx } from '../backend/db/store.js';
import {
  countHistory,
  deleteLinksWithHistory,
  findLinksByIds,
  listLinks,
  updateLinkOptions,
} from '../backend/links/link.repository.js';
import { RemoveBody, SaveLinksBody, SaveOptionsBody } from '../backend/links/link.schemas.js';
import {
  listLinkedUsers,
  previewRemoval,
  removeLinks,
  saveAddedLinks,
  saveLinkOptions,
  toLink,
} from '../backend/links/link.service.js';
import { ADMIN } from '../test/helpers/harness.js';
import { fileStore, seedHistoryBulk } from './fixture.js';
import { ms, summarize } from './stats.js';

const ACTOR: Actor = { tenantId: ADMIN.tenantId, associateId: ADMIN.associateId, associateName: ADMIN.associateName, requestId: null };
const NOW = new Date('2026-11-25T09:00:00.000Z');

/** Median of `runs` timed calls after `warm` untimed ones; prints one line. */
async function measure(name: string, runs: number, work: () => unknown, warm = 1): Promise<number> {
  for (let i = 0; i < warm; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  const s = summarize(samples);
  console.log(`  ${name.padEnd(58)} median ${ms(s.median).padStart(5)} ms  (min ${ms(s.min)}, n=${s.n})`);
  return s.median;
}

class Rollback extends Error {}
/** Runs `work` in a transaction that is then rolled back: measures a write, keeps the data. */
async function rolledBack(store: Store, work: (tx: Tx) => Promise<unknown>): Promise<void> {
  try {
    await store.transaction(async (tx) => {
      await work(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
}

/** The store's API over one open transaction, for services that open their own. */
function inTx(store: Store, tx: Tx): Store {
  return { ...store, db: tx.db as Store['db'], transaction: (work) => work(tx) };
}

export async function breakdown(dir: string, saveBody: string): Promise<void> {
  console.log('\nWhere the time goes (functions called directly, no HTTP; fresh database; "rolled back" = no commit, no WAL checkpoint)');

  // ---- Save Added Users.
  const saveJson = JSON.parse(saveBody);
  await measure('save: JSON.parse of the 1.4 MiB body', 5, () => JSON.parse(saveBody));
  const items = SaveLinksBody.parse(saveJson).links;
  await measure('save: zod SaveLinksBody', 5, () => SaveLinksBody.parse(saveJson));
  const fresh: Store[] = [];
  for (let i = 0; i < 4; i++) fresh.push(await fileStore(dir));
  let saved: Awaited<ReturnType<typeof saveAddedLinks>> | undefined;
  const stores = [...fresh];
  await measure('save: saveAddedLinks (service, SQL, audit)', 3, async () => {
    const store = stores.shift()!;
    await store.db.insertInto('tenant').values({ id: ACTOR.tenantId, name: null, mode: 'application', entra_tenant_id: null, admin_consent_at: null, invite_ttl_days: 14, version: 1, created_at: NOW.toISOString(), updated_at: NOW.toISOString() }).execute();
    saved = await saveAddedLinks(store, ACTOR, items, NOW);
  });
  for (const s of fresh.slice(1)) await s.destroy();
  const store = fresh[0]!;
  await measure('save: JSON.stringify of the reply', 5, () => JSON.stringify(saved));
  const auditChanges = (saved?.created ?? []).map((l) => ({ action: 'link.created', entityType: 'link', entityId: l.id, before: null, after: l }));
  await measure('  of which appendAudit, 10,000 rows (rolled back)', 3, () => rolledBack(store, (tx) => appendAudit(tx, ACTOR, auditChanges, NOW)));

  // ---- List.
  const history = await seedHistoryBulk(store, ACTOR.tenantId, 10);
  const rows = await listLinks(store, ACTOR.tenantId);
  await measure('list: listLinks SQL (repository)', 10, () => listLinks(store, ACTOR.tenantId), 2);
  await measure('list: link rows only (select * … order by name)', 10, () =>
    store.db.selectFrom('link').selectAll().where('tenant_id', '=', ACTOR.tenantId).orderBy('associate_name').orderBy('id').execute(), 2);
  await measure('list: items in sync only (active sync_item rows, group by associate, mailbox)', 10, () =>
    sql`select associate_id, mailbox_id, count(*) as n from sync_item where tenant_id = ${ACTOR.tenantId} and state = 'active' group by associate_id, mailbox_id`.execute(store.db), 2);
  await measure('list: toLink mapping of 10,000 rows', 10, () => rows.map((r) => toLink(r)), 2);
  await measure('  of which readTime x 20,000', 10, () => {
    for (const r of rows) {
      readTime(r.created_at);
      readTime(r.updated_at);
    }
  }, 2);
  const users = await listLinkedUsers(store, ACTOR.tenantId);
  await measure('list: listLinkedUsers (service: SQL + mapping)', 10, () => listLinkedUsers(store, ACTOR.tenantId), 2);
  await measure('list: JSON.stringify of the reply', 10, () => JSON.stringify({ links: users }), 2);

  // ---- Save Users Options.
  const changeBody = (diary: boolean) => ({
    changes: users.map((u) => ({ id: u.id, diary, task: true, contact: true, rank: 2, expectedVersion: u.version })),
  });
  const parsedChanges = SaveOptionsBody.parse(changeBody(false)).changes;
  await measure('options: zod SaveOptionsBody', 5, () => SaveOptionsBody.parse(changeBody(false)));
  await measure('options: saveLinkOptions (service, rolled back)', 3, () =>
    rolledBack(store, (tx) => saveLinkOptions(inTx(store, tx), ACTOR, parsedChanges, NOW)));
  await measure('  of which findLinksByIds, 10,000 ids', 5, () => findLinksByIds(store, ACTOR.tenantId, users.map((u) => u.id)));
  await measure('  of which updateLinkOptions, one value set, 10,000 ids (rolled back)', 3, () =>
    rolledBack(store, async (tx) => {
      const c = parsedChanges[0]!;
      const n = await updateLinkOptions(tx, ACTOR.tenantId, parsedChanges.map((x) => x.id), c.expectedVersion, c, ACTOR.associateId, NOW);
      if (n !== parsedChanges.length) throw new Error('stale');
    }));
  const optionAudit = users.map((u) => ({ action: 'link.options_changed', entityType: 'link', entityId: u.id, before: u, after: u }));
  await measure('  of which appendAudit, 10,000 before/after rows (rolled back)', 3, () =>
    rolledBack(store, (tx) => appendAudit(tx, ACTOR, optionAudit, NOW)));

  // ---- Removal preview and removal.
  const ids = users.map((u) => u.id);
  await measure('preview: zod RemoveBody', 5, () => RemoveBody.parse({ ids }));
  await measure('preview: findLinksByIds, 10,000 ids', 5, () => findLinksByIds(store, ACTOR.tenantId, ids));
  await measure('preview: countHistory, 10,000 ids', 5, () => countHistory(store, ACTOR.tenantId, ids));
  await measure('preview: previewRemoval (service)', 5, () => previewRemoval(store, ACTOR.tenantId, ids));
  await measure('removal: removeLinks (service, rolled back)', 3, () =>
    rolledBack(store, (tx) => removeLinks(inTx(store, tx), ACTOR, ids, NOW)));
  await measure(`  of which deleteLinksWithHistory (${history.toLocaleString('en')} + 10,000 rows, rolled back)`, 3, () =>
    rolledBack(store, (tx) => deleteLinksWithHistory(tx, ACTOR.tenantId, ids)));

}
