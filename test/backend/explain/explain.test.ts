import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { explainerFor, type Explainer } from './explain-support.js';
import { dumpDatabase, refusedBy } from '../../helpers/harness.js';
import { at, makeWorld, type World, type WorldUser } from '../sync/diary/world.js';

/*
 * "Why didn't this sync?" (POST /api/v1/explain) against the simulators: each verdict from the
 * situation that causes it, made the way users and passes make it, and the explanation checked
 * against what a real pass then does with the same items.
 */

const day = (days: number) => at(days, 10).slice(0, 10);

describe("Why didn't this sync? (POST /api/v1/explain)", () => {
  let w: World;
  let admin: string;
  let adminId: number;
  let asker: Explainer;
  before(async () => {
    w = await makeWorld({ users: 12 });
    asker = await explainerFor(w);
    ({ admin, adminId } = asker);
  });
  after(() => w.close());
  const explain = (body: Record<string, unknown>, token?: string) => asker.explain(body, token);
  const find = (answer: { items: any[] }, side: string, id: string | number) => {
    const item = answer.items.find((i) => i.side === side && i.id === String(id));
    assert.ok(item, `no ${side} item ${id} in ${JSON.stringify(answer.items)}`);
    return item;
  };
  const eventOf = (user: WorldUser, subject: string) => w.outlook.events(user).find((e) => e.subject === subject);

  test('synced: an appointment a pass synchronized, both sides with their mapping; a private one says it syncs as private', async () => {
    const u = w.fresh();
    const a = w.so.create(u, { title: 'Budget review', start: at(1, 9), end: at(1, 10) });
    const p = w.so.create(u, { title: 'Doctor', start: at(1, 12), end: at(1, 13), private: true });
    await w.pass(u);
    const answer = await explain({ linkId: u.linkId, date: day(1) });
    assert.equal(answer.link.associateId, u.associateId);
    const so = find(answer, 'superoffice', a.appointmentId);
    assert.deepEqual([so.kind, so.verdict, so.subject, so.mapping?.state], ['diary', 'synced', 'Budget review', 'active']);
    const ev = eventOf(u, 'Budget review')!;
    assert.equal(find(answer, 'outlook', ev.immutableId).verdict, 'synced');
    const priv = find(answer, 'superoffice', p.appointmentId);
    assert.deepEqual([priv.verdict, priv.private], ['synced', true]);
    assert.match(priv.detail, /private/);
    assert.equal(eventOf(u, 'Doctor')!.sensitivity, 'private', 'the pass made it private in Outlook, as the explanation says');
  });

  test('out_of_window: an appointment after the window; the pass leaves it alone', async () => {
    const u = w.fresh();
    const far = w.so.create(u, { title: 'Far away', start: at(140, 9), end: at(140, 10) });
    const answer = await explain({ linkId: u.linkId, date: day(140) });
    const item = find(answer, 'superoffice', far.appointmentId);
    assert.equal(item.verdict, 'out_of_window');
    assert.match(item.detail, /outside the sync window/);
    assert.ok(answer.searched.start > answer.window.end);
    await w.pass(u);
    assert.equal(eventOf(u, 'Far away'), undefined);
    assert.equal((await explain({ linkId: u.linkId, subject: 'far away' })).items[0]?.verdict, 'out_of_window', 'found by subject too');
  });

  test('kind_disabled: Diary off for the user', async () => {
    const u = w.fresh();
    const a = w.so.create(u, { title: 'Kickoff', start: at(2, 9), end: at(2, 10) });
    await w.setOptions(u, { diary: false, task: true, contact: false });
    const answer = await explain({ linkId: u.linkId, kind: 'diary', date: day(2) });
    const item = find(answer, 'superoffice', a.appointmentId);
    assert.equal(item.verdict, 'kind_disabled');
    assert.match(item.detail, /Diary is off/);
    assert.equal(answer.link.diary, false);
  });

  test('filtered_type: a note in the diary is not an appointment the Diary kind syncs', async () => {
    const u = w.fresh();
    const note = w.h.env.superoffice.control.appointments.create(
      { Associate: { AssociateId: u.associateId }, StartDate: at(1, 14), EndDate: at(1, 15), Type: 'Note', Title: 'Call notes' },
      { asAssociateId: u.associateId, contextId: w.tenantId },
    );
    const answer = await explain({ linkId: u.linkId, kind: 'diary', date: day(1) });
    const item = find(answer, 'superoffice', note.appointmentId);
    assert.equal(item.verdict, 'filtered_type');
    assert.match(item.detail, /note/);
    await w.pass(u);
    assert.equal(eventOf(u, 'Call notes'), undefined, 'the pass did not sync it either');
  });

  test('conflict: both sides changed the subject between two passes; the winner is named', async () => {
    const u = w.fresh();
    const a = w.so.create(u, { title: 'Planning', start: at(3, 9), end: at(3, 10) });
    await w.pass(u);
    const ev = eventOf(u, 'Planning')!;
    w.so.edit(a.appointmentId, { Title: 'Planning (SO)' });
    w.outlook.edit(u, ev.immutableId, { subject: 'Planning (Outlook)' });
    await w.pass(u);
    const answer = await explain({ linkId: u.linkId, date: day(3) });
    const item = find(answer, 'superoffice', a.appointmentId);
    assert.equal(item.verdict, 'conflict');
    assert.match(item.detail, /subject/);
    assert.match(item.detail, /(SuperOffice|Outlook)'s value was kept/);
  });

  test('breaker: a user the circuit breaker stopped; every item says so', async () => {
    const u = w.fresh();
    const made = [1, 2, 3].map((h) => w.so.create(u, { title: `Stop ${h}`, start: at(4, 8 + h), end: at(4, 9 + h) }));
    await w.pass(u);
    // The user deletes them all in Outlook: the next pass would delete them in SuperOffice.
    for (const e of w.outlook.events(u)) w.outlook.delete(u, e.immutableId);
    assert.equal((await w.pass(u)).mailbox.state, 'breaker');
    const answer = await explain({ linkId: u.linkId, date: day(4) });
    assert.equal(answer.link.state, 'breaker');
    const events = answer.items.filter((i) => i.side === 'superoffice');
    assert.deepEqual(events.map((e) => Number(e.id)).sort(), made.map((a) => a.appointmentId).sort());
    for (const e of events) {
      assert.equal(e.verdict, 'breaker');
      assert.match(e.detail, /resumes/);
    }
  });

  test('error: the last Diary pass was stopped by SuperOffice; an item not yet synced says why', async () => {
    const u = w.fresh();
    const a = w.so.create(u, { title: 'Offline', start: at(1, 16), end: at(1, 17) });
    const so = w.h.env.superoffice.control;
    so.setDown('503');
    try {
      assert.equal((await w.pass(u)).mailbox.state, 'error');
    } finally {
      so.setDown('off');
    }
    const answer = await explain({ linkId: u.linkId, date: day(1) });
    const item = find(answer, 'superoffice', a.appointmentId);
    assert.equal(item.verdict, 'error');
    assert.match(item.detail, /last Diary pass stopped/);
  });

  test('pending, then the same decision as the pass: what the explanation says would sync is exactly what a pass creates', async () => {
    const u = w.fresh();
    const spec = (title: string, d: number) => ({ title, start: at(d, 9), end: at(d, 10) });
    const inWindow = w.so.create(u, spec('Mix in window', 5));
    const outside = w.so.create(u, spec('Mix outside', 150));
    const note = w.h.env.superoffice.control.appointments.create(
      { Associate: { AssociateId: u.associateId }, StartDate: at(5, 12), EndDate: at(5, 13), Type: 'Note', Title: 'Mix note' },
      { asAssociateId: u.associateId, contextId: w.tenantId },
    );
    const born = w.outlook.create(u, { subject: 'Mix from Outlook', start: { dateTime: at(5, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(5, 15).slice(0, 19), timeZone: 'UTC' } });
    const question = { linkId: u.linkId, subject: 'Mix' };
    const first = await explain(question);
    const verdicts = (a: typeof first) => Object.fromEntries(a.items.map((i) => [`${i.side}:${i.subject}`, i.verdict]));
    assert.deepEqual(verdicts(first), {
      'superoffice:Mix in window': 'pending',
      'superoffice:Mix outside': 'out_of_window',
      'superoffice:Mix note': 'filtered_type',
      'outlook:Mix from Outlook': 'pending',
    });
    const beforeSo = new Set(w.so.list(u).map((a) => a.appointmentId));
    await w.pass(u);
    // The pass created an event for each SuperOffice item said to be pending, and nothing for the others…
    assert.deepEqual(w.outlook.events(u).map((e) => e.subject).sort(), ['Mix from Outlook', 'Mix in window']);
    // …and an appointment for the Outlook-born one.
    const created = w.so.list(u).filter((a) => !beforeSo.has(a.appointmentId));
    assert.deepEqual(created.map((a) => a.title), ['Mix from Outlook']);
    const second = await explain(question);
    assert.deepEqual(verdicts(second), {
      'superoffice:Mix in window': 'synced',
      'superoffice:Mix outside': 'out_of_window',
      'superoffice:Mix note': 'filtered_type',
      'outlook:Mix from Outlook': 'synced',
      'outlook:Mix in window': 'synced',
      'superoffice:Mix from Outlook': 'synced',
    });
    void inWindow;
    void outside;
    void note;
    void born;
  });

  test("not_tagged: a meeting someone else organized and cancelled before a pass saw it is never imported, as the pass then shows", async () => {
    const u = w.fresh();
    const time = (h: number) => ({ dateTime: at(4, h).slice(0, 19), timeZone: 'UTC' });
    const lunch = w.outlook.receive(u, { subject: 'Supplier lunch', start: time(11), end: time(12) });
    const visit = w.outlook.receive(u, { subject: 'Supplier visit', start: time(14), end: time(15) });
    w.outlook.cancelByOrganizer(u, lunch.immutableId);
    const answer = await explain({ linkId: u.linkId, subject: 'Supplier' });
    const cancelled = find(answer, 'outlook', lunch.immutableId);
    assert.deepEqual([cancelled.kind, cancelled.subject, cancelled.verdict], ['diary', 'Canceled: Supplier lunch', 'not_tagged']);
    assert.match(cancelled.detail, /someone else organizes, and they cancelled it/);
    assert.equal(find(answer, 'outlook', visit.immutableId).verdict, 'pending', 'the meeting still on is imported');
    await w.pass(u);
    assert.deepEqual(w.so.list(u).map((a) => a.title), ['Supplier visit'], 'the pass imported the live meeting only');
    assert.equal(find(await explain({ linkId: u.linkId, subject: 'Supplier' }), 'outlook', lunch.immutableId).verdict, 'not_tagged');

    // The meeting still on was imported; now its organizer cancels it too: the answer is that the
    // next pass deletes its SuperOffice copy, and the pass does.
    w.outlook.cancelByOrganizer(u, visit.immutableId);
    const before = find(await explain({ linkId: u.linkId, subject: 'Supplier' }), 'outlook', visit.immutableId);
    assert.deepEqual([before.verdict, before.mapping?.state], ['deleted', 'active']);
    assert.match(before.detail, /next pass deletes its copy in SuperOffice/);
    const copy = before && (await explain({ linkId: u.linkId, subject: 'Supplier visit' })).items.find((i) => i.side === 'superoffice')!;
    assert.deepEqual([copy.subject, copy.verdict], ['Supplier visit', 'deleted'], 'its SuperOffice copy says the same');
    await w.pass(u);
    assert.deepEqual(w.so.list(u).map((a) => a.title), []);
    const after = find(await explain({ linkId: u.linkId, subject: 'Supplier' }), 'outlook', visit.immutableId);
    assert.deepEqual([after.verdict, after.mapping], ['not_tagged', undefined]);
  });

  test('changes nothing: the database is the same after an explanation, and the requests are bounded', async () => {
    const u = w.fresh();
    w.so.create(u, { title: 'Quiet', start: at(1, 9), end: at(1, 10) });
    await w.pass(u);
    const dump = await dumpDatabase(w.h.store);
    const events = w.outlook.events(u).length;
    w.resetCounts();
    await explain({ linkId: u.linkId, date: day(1) });
    assert.equal(await dumpDatabase(w.h.store), dump);
    assert.equal(w.outlook.events(u).length, events);
    const { graph, superoffice } = w.counts();
    const total = (c: object) => Object.values(c as Record<string, unknown>).reduce<number>((n, v) => n + (typeof v === 'number' ? v : 0), 0);
    assert.ok(total(superoffice) <= 10, `SuperOffice requests: ${JSON.stringify(superoffice)}`);
    assert.ok(total(graph) <= 10, `Graph requests: ${JSON.stringify(graph)}`);
  });

  test('bad input: 400 ValidationFailed, nothing changed', async () => {
    const u = w.fresh();
    for (const body of [
      {},
      { linkId: u.linkId },
      { linkId: 'nope', date: day(1) },
      { linkId: u.linkId, date: '2026-02-30' },
      { linkId: u.linkId, date: '3 Dec' },
      { linkId: u.linkId, subject: 'x' },
      { linkId: u.linkId, subject: 'y'.repeat(201) },
      { linkId: u.linkId, kind: 'email', date: day(1) },
      { linkId: u.linkId, date: day(1), extra: true },
    ]) {
      await refusedBy(w.h, 400, 'ValidationFailed', () => w.h.request('POST', '/api/v1/explain', { token: admin, body }));
    }
  });

  test("a non-administrator: 403; another tenant's link or an unknown one: 404, nothing changed", async () => {
    const u = w.fresh();
    const user = await w.h.token({ tenantId: w.tenantId, associateId: u.associateId, associateName: 'Ulf', isAdmin: false });
    const other = await w.h.token({ tenantId: 'Cust99999', associateId: adminId, associateName: 'Otto', isAdmin: true });
    const body = { linkId: u.linkId, date: day(1) };
    await refusedBy(w.h, 403, 'AdminRequired', () => w.h.request('POST', '/api/v1/explain', { token: user, body }));
    await refusedBy(w.h, 404, 'LinkNotFound', () => w.h.request('POST', '/api/v1/explain', { token: other, body }));
    await refusedBy(w.h, 404, 'LinkNotFound', () => w.h.request('POST', '/api/v1/explain', { token: admin, body: { ...body, linkId: randomUUID() } }));
  });
});
