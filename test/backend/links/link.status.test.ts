import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Insertable } from 'kysely';
import type { SyncMailboxTable } from '../../../backend/db/database.js';
import { LinkList } from '../../../backend/links/link.schemas.js';
import { ADMIN, OTHER_ADMIN, newLink, seedHistory, suiteHarness, testDialects } from '../../helpers/harness.js';

/*
 * The sync status of each linked user on GET /api/v1/links, derived from the link's options, the
 * tenant's mode and the mailbox's sync row (seeded here as a worker's pass leaves it), and the
 * items in sync (the link's active mappings).
 */

const FAR_FUTURE = new Date('2099-01-01T00:00:00.000Z');
const LONG_AGO = new Date('2001-01-01T00:00:00.000Z');

for (const dialect of testDialects()) {
  describe(`links API: sync status (${dialect})`, () => {
    const s = suiteHarness({ dialect });
    let n = 40_000;

    async function linkOne(extra: Record<string, unknown> = {}, token = s.admin) {
      const res = await s.h.request('POST', '/api/v1/links', { token, body: { links: [newLink(++n, extra)] } });
      assert.equal(res.status, 201, res.text);
      return res.body.created[0] as { id: string; associateId: number; mailboxId: string };
    }
    async function listed(id: string, token = s.admin) {
      const res = await s.h.request('GET', '/api/v1/links', { token });
      assert.equal(res.status, 200, res.text);
      return (res.body.links as any[]).find((l) => l.id === id);
    }
    /** The mailbox's sync row as a worker's pass leaves it. */
    async function mailboxRow(mailboxId: string, row: Partial<Insertable<SyncMailboxTable>>, tenantId = ADMIN.tenantId) {
      const t = (d: Date) => s.h.store.dialect.time(d);
      await s.h.store.db
        .insertInto('sync_mailbox')
        .values({ tenant_id: tenantId, mailbox_id: mailboxId, lease_epoch: 1, next_due_at: t(new Date('2026-11-25T09:05:00.000Z')), state: 'pending', created_at: t(LONG_AGO), ...row })
        .execute();
    }
    const t = (iso: string) => s.h.store.dialect.time(new Date(iso));

    test('a new link is pending, with nothing in sync and no pass yet', async () => {
      const link = await linkOne();
      const { sync, historyCount } = await listed(link.id);
      const waiting = { state: 'pending', itemsInSync: 0, lastSuccessAt: null, lastPass: null, message: null };
      assert.deepEqual(sync, { state: 'pending', lastSuccessAt: null, nextDueAt: null, itemsInSync: 0, lastPass: null, message: null, kinds: { diary: waiting, task: waiting, contact: waiting } });
      assert.equal(historyCount, 0);
    });

    test('in sync: the last pass, the last success, the next due time and the items in sync (active mappings only)', async () => {
      const link = await linkOne();
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 5);
      // Mappings that are not in sync do not count.
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 2, 100, 'pending');
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 1, 200, 'out_of_window');
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 1, 300, 'error');
      await mailboxRow(link.mailboxId, {
        state: 'in_sync',
        last_pass_at: t('2026-11-25T08:59:00.000Z'),
        last_success_at: t('2026-11-25T08:59:00.000Z'),
        next_due_at: t('2026-11-25T09:04:00.000Z'),
        last_created: 3,
        last_updated: 1,
        last_deleted: 0,
        last_conflicts: 2,
        // A finished pass's lease, and one that ran out: neither is a pass in progress.
        lease_owner: null,
        lease_expires_at: null,
      });
      const l = await listed(link.id);
      assert.deepEqual(l.sync, {
        state: 'in_sync',
        lastSuccessAt: '2026-11-25T08:59:00.000Z',
        nextDueAt: '2026-11-25T09:04:00.000Z',
        itemsInSync: 5,
        lastPass: { created: 3, updated: 1, deleted: 0, conflicts: 2 },
        message: null,
        // The seeded mappings take the kinds in turn: 2 appointments, 2 tasks, 1 contact active; no kind has a pass of its own yet.
        kinds: {
          diary: { state: 'pending', itemsInSync: 2, lastSuccessAt: null, lastPass: null, message: null },
          task: { state: 'pending', itemsInSync: 2, lastSuccessAt: null, lastPass: null, message: null },
          contact: { state: 'pending', itemsInSync: 1, lastSuccessAt: null, lastPass: null, message: null },
        },
      });
      assert.equal(l.historyCount, 5, 'the history count is the items in sync');
      // A non-administrator reads the same status.
      assert.deepEqual((await listed(link.id, s.user)).sync, l.sync);
    });

    test('per kind: each kind its own state, items in sync, last success, counts and error; a kind switched off shows off; the answer fits the strict schema', async () => {
      const link = await linkOne({ contact: false });
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 6);
      await mailboxRow(link.mailboxId, { state: 'error', last_error: 'Task: SuperOffice refused the request.', last_pass_at: t('2026-11-25T08:59:00.000Z'), last_success_at: t('2026-11-25T08:00:00.000Z'), last_created: 1, last_updated: 0, last_deleted: 0, last_conflicts: 0 });
      const kindRow = (kind: 'appointment' | 'task' | 'contact', row: Record<string, unknown>) =>
        s.h.store.db.insertInto('sync_kind_status').values({ tenant_id: ADMIN.tenantId, mailbox_id: link.mailboxId, kind, state: 'in_sync', last_pass_at: t('2026-11-25T08:59:00.000Z'), last_success_at: null, last_created: null, last_updated: null, last_deleted: null, last_conflicts: null, last_error: null, ...row } as any).execute();
      await kindRow('appointment', { state: 'in_sync', last_success_at: t('2026-11-25T08:59:00.000Z'), last_created: 3, last_updated: 1, last_deleted: 0, last_conflicts: 1 });
      // The task kind failed this time; its last good pass is still shown.
      await kindRow('task', { state: 'error', last_success_at: t('2026-11-24T10:00:00.000Z'), last_created: 2, last_updated: 0, last_deleted: 0, last_conflicts: 0, last_error: 'SuperOffice refused the request (Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJl)' });
      // The contact kind's old row: switched off since, so it reads off (its items in sync kept).
      await kindRow('contact', { state: 'throttled', last_error: 'Microsoft 365 is busy.' });
      const res = await s.h.request('GET', '/api/v1/links', { token: s.admin });
      const page = LinkList.parse(res.body);
      const l = page.links.find((x) => x.id === link.id)!;
      assert.equal(l.sync.state, 'error');
      assert.deepEqual(l.sync.kinds, {
        diary: { state: 'in_sync', itemsInSync: 2, lastSuccessAt: '2026-11-25T08:59:00.000Z', lastPass: { created: 3, updated: 1, deleted: 0, conflicts: 1 }, message: null },
        task: { state: 'error', itemsInSync: 2, lastSuccessAt: '2026-11-24T10:00:00.000Z', lastPass: { created: 2, updated: 0, deleted: 0, conflicts: 0 }, message: 'SuperOffice refused the request (Authorization: [hidden]' },
        contact: { state: 'off', itemsInSync: 2, lastSuccessAt: null, lastPass: null, message: null },
      });
      // The strict schema refuses anything more.
      assert.throws(() => LinkList.parse({ ...page, links: [{ ...l, sync: { ...l.sync, kinds: { ...l.sync.kinds, diary: { ...l.sync.kinds.diary, extra: 1 } } } }] }));
      assert.throws(() => LinkList.parse({ ...page, links: [{ ...l, sync: { ...l.sync, kinds: { diary: l.sync.kinds.diary, task: l.sync.kinds.task } } }] }));
      // The kinds' items add up to the link's items in sync.
      assert.equal(l.historyCount, 6);
      assert.equal(l.sync.kinds.diary.itemsInSync + l.sync.kinds.task.itemsInSync + l.sync.kinds.contact.itemsInSync, 6);
    });

    test('syncing while a worker holds a live lease (by the database clock); an expired lease is not a pass in progress', async () => {
      const live = await linkOne();
      await mailboxRow(live.mailboxId, { state: 'in_sync', lease_owner: 'host/1/ab', lease_expires_at: s.h.store.dialect.time(FAR_FUTURE) });
      assert.deepEqual([(await listed(live.id)).sync.state, (await listed(live.id)).sync.message], ['syncing', null]);
      const expired = await linkOne();
      await mailboxRow(expired.mailboxId, { state: 'error', last_error: 'SuperOffice did not answer.', lease_owner: 'host/2/cd', lease_expires_at: s.h.store.dialect.time(LONG_AGO) });
      assert.deepEqual([(await listed(expired.id)).sync.state, (await listed(expired.id)).sync.message], ['error', 'SuperOffice did not answer.']);
    });

    test('throttled, error and breaker say why in plain words; no token, upstream body or control characters reach the message', async () => {
      const throttled = await linkOne();
      await mailboxRow(throttled.mailboxId, { state: 'throttled', last_error: null });
      assert.match((await listed(throttled.id)).sync.message, /Microsoft 365 asked the synchronizer to slow down/);

      const failed = await linkOne();
      const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
      await mailboxRow(failed.mailboxId, {
        state: 'error',
        last_error: `Graph refused\u202E the request (Authorization: Bearer ${jwt}) access_token=abc123&x=1 {"error":{"code":"InvalidAuthenticationToken","message":"token ${jwt} expired"}}`,
      });
      const message: string = (await listed(failed.id)).sync.message;
      assert.equal(message, 'Graph refused the request (Authorization: [hidden] access_token=[hidden]&x=1');
      assert.ok(!message.includes(jwt) && !message.includes('abc123') && !message.includes('InvalidAuthenticationToken'));

      const html = await linkOne();
      await mailboxRow(html.mailboxId, { state: 'error', last_error: '<html><body>502 Bad Gateway</body></html>' });
      assert.equal((await listed(html.id)).sync.message, 'The last synchronization failed. It is tried again automatically.');

      const stopped = await linkOne();
      await mailboxRow(stopped.mailboxId, { state: 'breaker', breaker_detail: 'The pass would have deleted 25 of 40 items (more than 20).\nNothing was deleted.', last_error: 'not shown' });
      const s = (await listed(stopped.id)).sync;
      assert.deepEqual([s.state, s.message], ['breaker', 'The pass would have deleted 25 of 40 items (more than 20). Nothing was deleted.']);
      const noDetail = await linkOne();
      await mailboxRow(noDetail.mailboxId, { state: 'breaker' });
      assert.match((await listed(noDetail.id)).sync.message, /^Stopped: the last synchronization would have deleted many items at once\. .*Resume synchronization\.$/);
    });

    test('disabled when Diary, Task and Contact are all off, whatever the mailbox row says, with its items in sync kept', async () => {
      const link = await linkOne({ diary: false, task: false, contact: false });
      await seedHistory(s.h.store, ADMIN.tenantId, link.id, 3);
      await mailboxRow(link.mailboxId, { state: 'error', last_error: 'old error', lease_owner: 'host/1/ab', lease_expires_at: s.h.store.dialect.time(FAR_FUTURE) });
      const { sync } = await listed(link.id);
      assert.deepEqual([sync.state, sync.itemsInSync], ['disabled', 3]);
      assert.match(sync.message, /Diary, Task and Contact are all off/);
    });

    test('OAuth mode, mailbox not authorized by its owner: waiting for authorization, before any lease or stored state', async () => {
      const link = await linkOne({}, s.other);
      await mailboxRow(link.mailboxId, { state: 'in_sync', lease_owner: 'host/1/ab', lease_expires_at: s.h.store.dialect.time(FAR_FUTURE) }, OTHER_ADMIN.tenantId);
      const tenant = (await s.h.request('GET', '/api/v1/tenant', { token: s.other })).body;
      assert.equal((await s.h.request('PATCH', '/api/v1/tenant', { token: s.other, body: { expectedVersion: tenant.version, mode: 'oauth' } })).status, 200);
      try {
        const { sync } = await listed(link.id, s.other);
        assert.equal(sync.state, 'waiting_authorization');
        assert.match(sync.message, /OAuth mode/);
        assert.match(sync.message, /new invitation/);
      } finally {
        const t2 = (await s.h.request('GET', '/api/v1/tenant', { token: s.other })).body;
        await s.h.request('PATCH', '/api/v1/tenant', { token: s.other, body: { expectedVersion: t2.version, mode: 'application' } });
      }
    });

    test('Remove Selected Users deletes the link\'s mappings, conflicts and cursors and nothing of other links or tenants', async () => {
      const gone = await linkOne();
      const kept = await linkOne();
      // The other tenant links the same associate and mailbox ids.
      const twin = (await s.h.request('POST', '/api/v1/links', { token: s.other, body: { links: [{ ...newLink(gone.associateId), mailboxId: gone.mailboxId }] } })).body.created[0];
      const at = s.h.store.dialect.time(new Date('2026-11-20T00:00:00.000Z'));
      for (const [tenantId, link] of [[ADMIN.tenantId, gone], [ADMIN.tenantId, kept], [OTHER_ADMIN.tenantId, twin]] as const) {
        await seedHistory(s.h.store, tenantId, link.id, 4);
        await seedHistory(s.h.store, tenantId, link.id, 1, 50, 'detached');
        await s.h.store.db.insertInto('sync_cursor').values({ tenant_id: tenantId, mailbox_id: link.mailboxId, kind: 'appointment', delta_link: 'https://graph/delta?token=x', updated_at: at }).execute();
        await s.h.store.db
          .insertInto('sync_conflict')
          .values({ tenant_id: tenantId, associate_id: link.associateId, mailbox_id: link.mailboxId, kind: 'appointment', so_id: 1, graph_id: 'AAMk1', field: 'subject', base_value: 'a', superoffice_value: 'b', outlook_value: 'c', winner: 'superoffice', created_at: at })
          .execute();
        await mailboxRow(link.mailboxId, { state: 'in_sync', lease_epoch: 7 }, tenantId);
      }
      const preview = await s.h.request('POST', '/api/v1/links/removal-preview', { token: s.admin, body: { ids: [gone.id] } });
      assert.deepEqual([preview.body.links, preview.body.historyRows], [1, 5], 'every mapping of the link goes, in sync or not');
      const removed = await s.h.request('POST', '/api/v1/links/removal', { token: s.admin, body: { ids: [gone.id] } });
      assert.equal(removed.status, 200, removed.text);
      assert.equal(removed.body.removed.historyRows, 5);

      const rows = async (table: 'sync_item' | 'sync_conflict' | 'sync_cursor' | 'sync_mailbox', tenantId: string, mailboxId: string) =>
        Number((await s.h.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).where('mailbox_id', '=', mailboxId).executeTakeFirstOrThrow()).n);
      const counts = async (tenantId: string, mailboxId: string) =>
        [await rows('sync_item', tenantId, mailboxId), await rows('sync_conflict', tenantId, mailboxId), await rows('sync_cursor', tenantId, mailboxId), await rows('sync_mailbox', tenantId, mailboxId)];
      // The mailbox's sync row stays (its fencing epoch must keep growing for a re-added s.user).
      assert.deepEqual(await counts(ADMIN.tenantId, gone.mailboxId), [0, 0, 0, 1]);
      assert.deepEqual(await counts(ADMIN.tenantId, kept.mailboxId), [5, 1, 1, 1]);
      assert.deepEqual(await counts(OTHER_ADMIN.tenantId, twin.mailboxId), [5, 1, 1, 1]);
      assert.equal((await listed(kept.id)).historyCount, 4);
      assert.equal((await listed(twin.id, s.other)).historyCount, 4);
    });
  });
}
