import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadCredential } from '../../../../backend/superoffice/credential.repository.js';
import { SuperOfficeWebApi, webApiDeps } from '../../../../backend/superoffice/webapi.client.js';
import { SuperOfficeDiary } from '../../../../backend/sync/diary/superoffice-diary.js';
import { DEMO_CASES } from '../../../../simulators/demo-tenant.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../../helpers/integration.js';

const ADMIN = DEMO_CASES.adminAssociateIds[0]!;
const OWNER = DEMO_CASES.adminAssociateIds[1]!;
const ARCHIVE = 'GET /{ctx}/api/v1/Appointment';
const MAILBOX = '11111111-2222-4333-8444-555555555555';

describe('SuperOfficeDiary over the SuperOffice simulator', () => {
  let h: IntegrationHarness;
  let tenantId: string;
  let window: { start: string; end: string };
  let day: (n: number, hour?: number) => string;

  before(async () => {
    h = await makeIntegrationHarness();
    tenantId = h.env.tenant.contextId;
    await h.signIn(ADMIN);
  });
  after(() => h.closeAll());
  beforeEach(() => {
    h.env.superoffice.control.appointments.reset();
    h.env.superoffice.control.resetRequests();
    h.env.superoffice.control.setDown('off');
    const today = Date.parse(new Date(h.env.superoffice.control.appointments.now()).toISOString().slice(0, 10));
    day = (n, hour = 9) => new Date(today + n * 86_400_000 + hour * 3_600_000).toISOString();
    window = { start: day(-7, 0), end: day(60, 0) };
  });

  const diary = () => new SuperOfficeDiary(new SuperOfficeWebApi(webApiDeps({ store: h.store, now: () => new Date(), integration: h.integration }), tenantId, ADMIN));
  const seed = (over: Record<string, unknown> = {}) =>
    h.env.superoffice.control.appointments.create(
      { Associate: { AssociateId: OWNER }, StartDate: day(3).slice(0, 19), EndDate: day(3, 10).slice(0, 19), Type: 'inDiary', Title: 'Seeded', ...over },
      { asAssociateId: OWNER, contextId: tenantId },
    );
  const mine = () => new Set(h.env.superoffice.control.appointments.list(tenantId).filter((r) => r.associateId === OWNER && (r.type === 'inDiary' || r.type === 'BookingForDiary')).map((r) => r.appointmentId));
  const write = (title: string) => ({ associateId: OWNER, start: day(5), end: day(5, 10), allDay: false, title, description: 'Notes', location: 'Room 2', free: false, private: true });

  test('changedSince pages by 500 in id order over the window and, from a watermark, returns only what changed', async () => {
    const before = mine();
    const created = Array.from({ length: 620 }, (_, i) => seed({ Title: `Bulk ${i}`, StartDate: day(i % 50).slice(0, 19), EndDate: day(i % 50, 10).slice(0, 19) }).appointmentId);
    const outside = seed({ StartDate: day(90).slice(0, 19), EndDate: day(90, 10).slice(0, 19) }).appointmentId;
    const task = seed({ Type: 'inChecklist' }).appointmentId;
    const others = h.env.superoffice.control.appointments.create({ Associate: { AssociateId: ADMIN }, StartDate: day(3).slice(0, 19), EndDate: day(3, 10).slice(0, 19), Title: 'Not theirs' }, { asAssociateId: ADMIN, contextId: tenantId }).appointmentId;
    const d = diary();
    const since = new Date(Date.parse(day(-400))).toISOString();
    const all = await d.changedSince(OWNER, since, window);
    const ids = all.map((c) => c.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'in id order');
    for (const id of created) assert.ok(ids.includes(id), `missing ${id}`);
    for (const id of [outside, task, others]) assert.ok(!ids.includes(id), `${id} is not in the diary window`);
    assert.ok(ids.every((id) => before.has(id) || created.includes(id)));
    assert.equal(h.env.superoffice.control.requestCount(ARCHIVE), Math.floor(ids.length / 500) + 1, 'pages of 500 until a short one');
    assert.ok(all.every((c) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/.test(c.updatedAt)));

    h.env.superoffice.control.appointments.advance(120_000);
    const watermark = new Date(h.env.superoffice.control.appointments.now()).toISOString();
    h.env.superoffice.control.appointments.advance(5_000);
    for (const id of [created[3]!, created[600]!]) h.env.superoffice.control.appointments.edit(id, { Title: 'Edited by the user' }, { contextId: tenantId });
    const changed = await d.changedSince(OWNER, watermark, window);
    assert.deepEqual(changed.map((c) => c.id), [created[3], created[600]]);
    assert.ok(changed.every((c) => Date.parse(c.updatedAt) > Date.parse(watermark)));

    const inWindow = await d.idsInWindow(OWNER, window);
    assert.equal(inWindow.size, ids.length);
    h.env.superoffice.control.appointments.delete(created[10]!, tenantId);
    assert.ok(!(await d.idsInWindow(OWNER, window)).has(created[10]!), 'a hard delete is missing from the window');
  });

  test('get maps the entity in UTC with the other participants by name and email; 404 is null', async () => {
    const colleague = h.env.tenant.associates.find((a) => a.associateId !== OWNER && a.personEmail && a.isActive)!;
    const booking = seed({
      Type: 'BookingForDiary',
      Title: 'Planning',
      Location: 'Fjord',
      Private: 'PrivateUser',
      IsFree: true,
      Participants: [{ AssociateId: OWNER }, { AssociateId: colleague.associateId }],
    });
    const got = await diary().get(booking.appointmentId);
    assert.ok(got);
    assert.equal(got.associateId, OWNER);
    assert.equal(got.type, 'BookingForDiary');
    assert.equal(got.start, new Date(booking.start).toISOString());
    assert.equal(got.end, new Date(booking.end).toISOString());
    assert.equal(got.title, 'Planning');
    assert.equal(got.location, 'Fjord');
    assert.equal(got.private, true);
    assert.equal(got.free, true);
    assert.equal(got.ownedExternally, 'None');
    assert.deepEqual(got.participants, [{ name: colleague.fullName, email: colleague.personEmail }]);
    assert.equal(await diary().get(987_654_321), null);
  });

  test('create, update with If-Unmodified-Since (412 → conflict, unchanged), delete, and gone', async () => {
    const d = diary();
    const made = await d.create(write('From Outlook'));
    assert.equal(made.title, 'From Outlook');
    assert.equal(made.start, day(5));
    assert.equal(made.private, true);
    assert.equal(made.type, 'inDiary');
    const stored = h.env.superoffice.control.appointments.list(tenantId).find((r) => r.appointmentId === made.id)!;
    assert.equal(stored.start, Date.parse(day(5)));

    h.env.superoffice.control.appointments.advance(5_000);
    const updated = await d.update(made.id, { ...write('Renamed'), location: 'Room 3' }, made.updatedAt);
    assert.ok(typeof updated === 'object');
    assert.equal(updated.title, 'Renamed');
    assert.equal(updated.location, 'Room 3');

    h.env.superoffice.control.appointments.advance(5_000);
    h.env.superoffice.control.appointments.edit(made.id, { Title: 'The user was faster' }, { contextId: tenantId });
    assert.equal(await d.update(made.id, write('Stale'), updated.updatedAt), 'conflict');
    assert.equal(await d.delete(made.id, updated.updatedAt), 'conflict');
    assert.equal((await d.get(made.id))?.title, 'The user was faster', 'a refused write changed nothing');

    const current = (await d.get(made.id))!;
    assert.equal(await d.delete(made.id, current.updatedAt), 'deleted');
    assert.equal(await d.delete(made.id, current.updatedAt), 'gone');
    assert.equal(await d.update(made.id, write('Late'), current.updatedAt), 'gone');
  });

  test('update keeps what it does not write (contact, participants, type)', async () => {
    const colleague = h.env.tenant.associates.find((a) => a.associateId !== OWNER && a.isActive)!;
    const booking = seed({ Type: 'BookingForDiary', Participants: [{ AssociateId: OWNER }, { AssociateId: colleague.associateId }] });
    const d = diary();
    const before = (await d.get(booking.appointmentId))!;
    const after = await d.update(booking.appointmentId, write('Moved'), before.updatedAt);
    assert.ok(typeof after === 'object');
    assert.equal(after.type, 'BookingForDiary');
    assert.equal(after.participants.length, 1);
  });

  test('ForeignSystem key round trip per mailbox device', async () => {
    const d = diary();
    const made = await d.create(write('Tagged'));
    assert.equal(await d.findByForeignKey(MAILBOX, 'ref-1'), null);
    await d.addForeignKey(MAILBOX, 'ref-1', made.id);
    assert.equal(await d.findByForeignKey(MAILBOX, 'ref-1'), made.id);
    assert.equal(await d.findByForeignKey('another-mailbox', 'ref-1'), null);
    const key = h.env.superoffice.control.appointments.foreignKeys(tenantId).find((k) => k.recordId === made.id)!;
    assert.equal(key.applicationName, 'M365Sync');
    assert.equal(key.keyName, 'graphRef');
    assert.equal(key.tableName, 'appointment');
  });

  test('an expired access token is refreshed once; errors never carry a token', async () => {
    const made = seed();
    const before = (await loadCredential(h.store, h.integration.box, tenantId, ADMIN))!;
    h.env.superoffice.control.expireAccessTokens();
    assert.equal((await diary().get(made.appointmentId))?.id, made.appointmentId);
    assert.equal(h.env.superoffice.control.requestCount('GET /{ctx}/api/v1/Appointment/{id}'), 2, 'one 401, one retry');
    const after = (await loadCredential(h.store, h.integration.box, tenantId, ADMIN))!;
    assert.notEqual(after.accessToken, before.accessToken);

    h.env.superoffice.control.failNext(1, { status: 500 });
    const failed = await diary().get(made.appointmentId).catch((err: Error) => err);
    assert.ok(failed instanceof Error && (failed as any).code === 'SuperOfficeUnavailable');
    for (const secret of [after.accessToken, after.refreshToken ?? 'none']) {
      assert.ok(!failed.message.includes(secret) && !JSON.stringify(failed).includes(secret));
    }
    h.env.superoffice.control.expireAccessTokens();
    h.env.superoffice.control.revokeRefreshTokens();
    const signIn = await diary().get(made.appointmentId).catch((err: Error) => err);
    assert.equal((signIn as any).code, 'SuperOfficeSignInRequired');
    assert.ok(!(signIn as Error).message.includes(after.accessToken));
  });
});
