import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Actor } from '../../../backend/audit/audit.repository.js';
import { ApiError } from '../../../backend/http/errors.js';
import { removeLinks } from '../../../backend/links/link.service.js';
import { purgeExpiredRemovals } from '../../../backend/links/removed-link.service.js';
import { listUndoable, undoAction } from '../../../backend/undo/undo.service.js';
import { ADMIN, dumpDatabase, newLink, refusedBy, seedHistory, suiteHarness, testDialects } from '../../helpers/harness.js';

const DAY = 86_400_000;
const ACTOR: Actor = { tenantId: ADMIN.tenantId, associateId: ADMIN.associateId, associateName: ADMIN.associateName, requestId: null };

for (const dialect of testDialects()) {
  describe(`Undo: removed users and recent actions (${dialect})`, () => {
    const s = suiteHarness({ dialect });

    async function link(extra: Record<string, unknown> = {}, token = s.admin) {
      const res = await s.h.request('POST', '/api/v1/links', { token, body: { links: [newLink(undefined, extra)] } });
      assert.equal(res.status, 201, res.text);
      return res.body.created[0];
    }
    const remove = (ids: string[], token = s.admin) => s.h.request('POST', '/api/v1/links/removal', { token, body: { ids } });
    const restore = (ids: string[], token = s.admin) => s.h.request('POST', '/api/v1/links/removed/restore', { token, body: { ids } });
    const purge = (ids: string[], token = s.admin, extra: Record<string, unknown> = {}) =>
      s.h.request('POST', '/api/v1/links/removed/purge', { token, body: { ids, confirm: true, count: ids.length, ...extra } });
    const removed = async (token = s.admin) => (await s.h.request('GET', '/api/v1/links/removed', { token })).body.removed as any[];
    const actions = async (token = s.admin) => (await s.h.request('GET', '/api/v1/undo', { token })).body.actions as any[];
    const undo = (actionId: string, token = s.admin) => s.h.request('POST', '/api/v1/undo', { token, body: { actionId } });

    /** What the synchronizer keeps of a link, by table, without the mapping identities (new on restore). */
    async function kept(l: { associateId: number; mailboxId: string }) {
      const db = s.h.store.db;
      const strip = <T extends { id?: unknown }>(rows: T[]) => rows.map(({ id: _id, ...r }) => r);
      return {
        items: strip(await db.selectFrom('sync_item').selectAll().where('tenant_id', '=', ADMIN.tenantId).where('associate_id', '=', l.associateId).where('mailbox_id', '=', l.mailboxId).orderBy('id').execute()),
        conflicts: strip(await db.selectFrom('sync_conflict').selectAll().where('tenant_id', '=', ADMIN.tenantId).where('mailbox_id', '=', l.mailboxId).orderBy('id').execute()),
        cursors: await db.selectFrom('sync_cursor').selectAll().where('tenant_id', '=', ADMIN.tenantId).where('mailbox_id', '=', l.mailboxId).orderBy('kind').execute(),
      };
    }
    const linkRow = (id: string) => s.h.store.db.selectFrom('link').selectAll().where('id', '=', id).executeTakeFirst();

    /** A link with mappings, a conflict and a cursor with our To Do list, as the synchronizer leaves them. */
    async function syncedLink(extra: Record<string, unknown> = {}) {
      const l = await link(extra);
      await seedHistory(s.h.store, ADMIN.tenantId, l.id, 5);
      await seedHistory(s.h.store, ADMIN.tenantId, l.id, 1, 100, 'pending');
      const at = s.h.store.dialect.time(new Date('2026-11-02T00:00:00.000Z'));
      await s.h.store.db
        .insertInto('sync_cursor')
        .values({ tenant_id: ADMIN.tenantId, mailbox_id: l.mailboxId, kind: 'task', delta_link: 'https://graph/delta?token=1', window_start: at, window_end: at, so_watermark: at, last_reconcile_at: at, container_id: 'list-1', mapped_items: 5, updated_at: at })
        .execute();
      await s.h.store.db
        .insertInto('sync_conflict')
        .values({ tenant_id: ADMIN.tenantId, associate_id: l.associateId, mailbox_id: l.mailboxId, kind: 'appointment', so_id: 1, graph_id: 'g-1', field: 'title', base_value: 'a', superoffice_value: 'b', outlook_value: 'c', winner: 'superoffice', created_at: at })
        .execute();
      return l;
    }

    test('Remove Selected Users keeps the link restorable: listed with who and when; Restore brings back the same row and mappings', async () => {
      const l = await syncedLink({ diary: false, rank: 7 });
      const row = await linkRow(l.id);
      const before = await kept(l);
      assert.equal(before.items.length, 6);

      const res = await remove([l.id]);
      assert.equal(res.status, 200);
      assert.equal(res.body.removed.historyRows, 6);
      assert.equal(res.body.restorableUntil, new Date(s.h.now.value.getTime() + 30 * DAY).toISOString());
      assert.equal(await linkRow(l.id), undefined);
      assert.deepEqual(await kept(l), { items: [], conflicts: [], cursors: [] });

      const listed = (await removed()).find((r) => r.id === l.id);
      assert.ok(listed);
      assert.deepEqual(
        [listed.associateId, listed.mailboxId, listed.diary, listed.task, listed.contact, listed.rank, listed.version, listed.historyRows, listed.conflicts],
        [l.associateId, l.mailboxId, false, true, true, 7, 1, 6, 1],
      );
      assert.deepEqual(listed.removedBy, { associateId: ADMIN.associateId, name: ADMIN.associateName });
      assert.equal(listed.removedAt, s.h.now.value.toISOString());
      assert.equal(listed.restorableUntil, res.body.restorableUntil);

      const back = await restore([l.id]);
      assert.equal(back.status, 200, back.text);
      assert.equal(back.body.restored[0].id, l.id);
      assert.deepEqual(await linkRow(l.id), row);
      assert.deepEqual(await kept(l), before);
      assert.ok(!(await removed()).some((r) => r.id === l.id));

      const audit = await s.h.store.db.selectFrom('audit_log').select(['action', 'actor_name']).where('entity_id', '=', l.id).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['link.created', 'link.removed', 'link.restored']);
    });

    test('Restore refuses with 409 when the associate or the mailbox has been linked again since; nothing changed', async () => {
      const a = await link();
      const b = await link();
      assert.equal((await remove([a.id, b.id])).status, 200);
      const again = await link({ associateId: a.associateId, associateName: a.associateName });
      const err = await refusedBy(s.h, 409, 'AlreadyLinked', () => restore([a.id]));
      assert.equal(err.details[0].code, 'AssociateAlreadyLinked');
      await link({ mailboxId: b.mailboxId, mailboxAddress: b.mailboxAddress });
      const err2 = await refusedBy(s.h, 409, 'AlreadyLinked', () => restore([b.id]));
      assert.equal(err2.details[0].code, 'MailboxAlreadyLinked');
      // The new link removed too: the two removals of one associate cannot both come back.
      assert.equal((await remove([again.id])).status, 200);
      await refusedBy(s.h, 409, 'AlreadyLinked', () => restore([a.id, again.id]));
    });

    test('Restore and Purge: bad input 400, non-admin 403, another tenant\'s or an unknown id 404; nothing changed', async () => {
      const l = await link();
      await remove([l.id]);
      await refusedBy(s.h, 400, 'ValidationFailed', () => restore([]));
      await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('POST', '/api/v1/links/removed/restore', { token: s.admin, body: { ids: [l.id], extra: 1 } }));
      await refusedBy(s.h, 400, 'ValidationFailed', () => restore([l.id, l.id]));
      await refusedBy(s.h, 400, 'ValidationFailed', () => purge([l.id], s.admin, { confirm: false }));
      await refusedBy(s.h, 400, 'ValidationFailed', () => purge([l.id], s.admin, { confirm: undefined }));
      await refusedBy(s.h, 400, 'ValidationFailed', () => purge([l.id], s.admin, { count: 2 }));
      await refusedBy(s.h, 403, 'AdminRequired', () => restore([l.id], s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => purge([l.id], s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => s.h.request('GET', '/api/v1/links/removed', { token: s.user }));
      await refusedBy(s.h, 404, 'RemovedLinkNotFound', () => restore([l.id], s.other));
      await refusedBy(s.h, 404, 'RemovedLinkNotFound', () => purge([l.id], s.other));
      assert.ok(!(await removed(s.other)).some((r) => r.id === l.id), 'another tenant does not see it');
      // A live link is not a removed one.
      const live = await link();
      await refusedBy(s.h, 404, 'RemovedLinkNotFound', () => restore([live.id]));
    });

    test('Purge deletes the removed link and its mappings for good, audited', async () => {
      const l = await syncedLink();
      await remove([l.id]);
      const res = await purge([l.id]);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.purged, { links: 1, historyRows: 6 });
      assert.ok(!(await removed()).some((r) => r.id === l.id));
      for (const table of ['removed_sync_item', 'removed_sync_conflict', 'removed_sync_cursor'] as const) {
        assert.equal((await s.h.store.db.selectFrom(table).select('removed_link_id').where('removed_link_id', '=', l.id).execute()).length, 0, table);
      }
      await refusedBy(s.h, 404, 'RemovedLinkNotFound', () => restore([l.id]));
      const audit = await s.h.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', l.id).orderBy('id').execute();
      assert.equal(audit.at(-1)!.action, 'link.purged');
      assert.equal(JSON.parse(audit.at(-1)!.before_json!).historyRows, 6);
    });

    test('the periodic sweep purges removals older than 30 days, and only those', async () => {
      const old = await link();
      await remove([old.id]);
      const start = s.h.now.value;
      // Removed ten days later (through the service: the harness's sessions live by its clock).
      const young = await link();
      await removeLinks(s.h.store, ACTOR, [young.id], new Date(start.getTime() + 10 * DAY));
      assert.equal(await purgeExpiredRemovals(s.h.store, new Date(start.getTime() + 29 * DAY)), 0);
      const purged = await purgeExpiredRemovals(s.h.store, new Date(start.getTime() + 30 * DAY + 1));
      assert.ok(purged >= 1);
      const ids = (await removed()).map((r) => r.id);
      assert.ok(!ids.includes(old.id));
      assert.ok(ids.includes(young.id));
      const audit = await s.h.store.db.selectFrom('audit_log').selectAll().where('entity_id', '=', old.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      assert.equal(audit.action, 'link.purged');
      assert.equal(audit.actor_associate_id, 0);
    });

    test('Undo of Save Users Options puts the options and rank from before back; refused 409 once the link changed since', async () => {
      const l = await link({ rank: 3 });
      const patch = (changes: unknown[]) => s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes } });
      assert.equal((await patch([{ id: l.id, diary: false, task: true, contact: false, rank: 9, expectedVersion: 1 }])).status, 200);
      const action = (await actions()).find((a) => a.kind === 'links.options_saved' && a.names.includes(l.associateName));
      assert.ok(action);
      assert.equal(action.links, 1);
      assert.equal(action.undoableUntil, new Date(s.h.now.value.getTime() + 30 * DAY).toISOString());
      const res = await undo(action.id);
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(res.body.undone, { id: action.id, kind: 'links.options_saved', links: 1 });
      const row = (await linkRow(l.id))!;
      assert.deepEqual([Boolean(row.sync_diary), Boolean(row.sync_task), Boolean(row.sync_contact), row.rank, row.version], [true, true, true, 3, 3]);
      assert.ok(!(await actions()).some((a) => a.id === action.id), 'undone actions are not listed');
      await refusedBy(s.h, 409, 'AlreadyUndone', () => undo(action.id));

      // Changed again, then by someone else: the first change cannot be undone over theirs.
      assert.equal((await patch([{ id: l.id, diary: true, task: false, contact: true, rank: 4, expectedVersion: 3 }])).status, 200);
      const second = (await actions()).find((a) => a.kind === 'links.options_saved' && a.names.includes(l.associateName))!;
      assert.equal((await patch([{ id: l.id, diary: true, task: true, contact: true, rank: 5, expectedVersion: 4 }])).status, 200);
      const err = await refusedBy(s.h, 409, 'ChangedSinceAction', () => undo(second.id));
      assert.equal(err.details[0].linkId, l.id);
      const audit = await s.h.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', l.id).orderBy('id').execute();
      assert.ok(audit.some((a) => a.action === 'link.undone'));
    });

    test('Undo of Save Added Users removes those links, restorable; Undo of Remove Selected Users restores them', async () => {
      const res = await s.h.request('POST', '/api/v1/links', { token: s.admin, body: { links: [newLink(), newLink()] } });
      const created = res.body.created as any[];
      const added = (await actions()).find((a) => a.kind === 'links.added' && a.links === 2 && a.names.includes(created[0].associateName))!;
      assert.ok(added);
      assert.equal((await undo(added.id)).status, 200);
      for (const c of created) assert.equal(await linkRow(c.id), undefined);
      const listed = (await removed()).filter((r) => created.some((c) => c.id === r.id));
      assert.equal(listed.length, 2, 'restorable like any removal');
      assert.equal((await restore(created.map((c) => c.id))).status, 200);

      const r = await remove([created[0].id]);
      assert.equal(r.status, 200);
      const removal = (await actions()).find((a) => a.kind === 'links.removed' && a.names.includes(created[0].associateName))!;
      const before = await dumpDatabase(s.h.store);
      const un = await undo(removal.id);
      assert.equal(un.status, 200, un.text);
      assert.deepEqual(un.body.undone, { id: removal.id, kind: 'links.removed', links: 1 });
      assert.notEqual(await dumpDatabase(s.h.store), before);
      assert.ok(await linkRow(created[0].id));
      const audit = await s.h.store.db.selectFrom('audit_log').select('action').where('entity_id', '=', created[0].id).orderBy('id').execute();
      assert.deepEqual(audit.map((a) => a.action), ['link.created', 'link.undone', 'link.restored', 'link.removed', 'link.undone']);
    });

    test('Undo of a removal whose users were all restored since: 409 NothingToUndo; of an added link changed since: 409', async () => {
      const l = await link();
      await remove([l.id]);
      const removal = (await actions()).find((a) => a.kind === 'links.removed' && a.names.includes(l.associateName))!;
      await restore([l.id]);
      await refusedBy(s.h, 409, 'NothingToUndo', () => undo(removal.id));
      // Restored exactly (version 1 still), then changed: the add cannot be undone over that change.
      const res = await s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes: [{ id: l.id, diary: true, task: true, contact: false, rank: 2, expectedVersion: 1 }] } });
      assert.equal(res.status, 200, res.text);
      const added = (await actions()).find((a) => a.kind === 'links.added' && a.names.includes(l.associateName))!;
      const err = await refusedBy(s.h, 409, 'ChangedSinceAction', () => undo(added.id));
      assert.deepEqual([err.details[0].expectedVersion, err.details[0].currentVersion], [1, 2]);
    });

    test('Undo: bad input 400, non-admin 403, another tenant\'s action 404, too old 409; nothing changed', async () => {
      const l = await link();
      const added = (await actions()).find((a) => a.kind === 'links.added' && a.names.includes(l.associateName))!;
      await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('POST', '/api/v1/undo', { token: s.admin, body: { actionId: 'nope' } }));
      await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('POST', '/api/v1/undo', { token: s.admin, body: {} }));
      await refusedBy(s.h, 403, 'AdminRequired', () => undo(added.id, s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => s.h.request('GET', '/api/v1/undo', { token: s.user }));
      await refusedBy(s.h, 404, 'UndoNotFound', () => undo(added.id, s.other));
      assert.ok(!(await actions(s.other)).some((a) => a.id === added.id));
      const later = new Date(s.h.now.value.getTime() + 31 * DAY);
      assert.ok(!(await listUndoable(s.h.store, ADMIN.tenantId, later)).actions.some((a) => a.id === added.id), 'an expired action is not listed');
      const before = await dumpDatabase(s.h.store);
      await assert.rejects(undoAction(s.h.store, ACTOR, added.id, later), (err: unknown) => err instanceof ApiError && err.status === 409 && err.code === 'UndoExpired');
      assert.equal(await dumpDatabase(s.h.store), before);
    });
  });
}
