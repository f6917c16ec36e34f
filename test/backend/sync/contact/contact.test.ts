import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONTACT_TAG_PROPERTY_ID } from '../../../../backend/sync/contact/tags.js';
import { diaryPass } from '../../../../backend/sync/diary/pass.js';
import type { StoredContact } from '../../../../simulators/graph/contact-store.js';
import { costOf } from '../diary/counting.js';
import { makeWorld, type World, type WorldUser } from '../diary/world.js';

/**
 * Contact sync, one way: the persons a linked associate is "our contact" for → the mailbox's
 * "SuperOffice" contact folder. Each test works its own mailbox with Contact on (Diary off), acts
 * as CRM and Outlook users would, runs passes and counts what each simulator saw.
 */
describe('contact sync: SuperOffice persons → our Outlook contact folder', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 16 });
  });
  after(() => w.close());

  const tagOf = (c: StoredContact) => c.extended.find((p) => p.id === CONTACT_TAG_PROPERTY_ID)?.value ?? null;

  async function contactUser(): Promise<WorldUser> {
    const user = w.fresh();
    await w.setOptions(user, { diary: false, task: false, contact: true });
    return user;
  }

  function person(user: WorldUser, n: number) {
    return w.persons.create(user, {
      firstname: `Ola${n}`,
      lastname: 'Nordmann',
      title: 'Buyer',
      contactId: 10 + n,
      contactName: `Fjord AS ${n}`,
      emails: [`ola${n}@fjord.example`, `ola${n}.private@example.com`],
      officePhones: [{ value: `+47 22 00 00 0${n}` }],
      mobilePhones: [{ value: `+47 900 00 00${n}` }],
      privatePhones: [{ value: `+47 33 00 00 0${n}` }],
      address: { street: `Storgata ${n}`, city: 'Oslo', zipcode: '0155', state: '', country: 'Norway' },
    });
  }

  /** Our folder's contacts by tag (person id); fails when two carry one tag. */
  function folder(user: WorldUser): Map<number, StoredContact> {
    const f = w.contacts.folder(user);
    assert.ok(f, 'our folder exists');
    const out = new Map<number, StoredContact>();
    for (const c of f.contacts) {
      const tag = Number(tagOf(c));
      assert.ok(!out.has(tag), `one contact for person ${tag}`);
      out.set(tag, c);
    }
    return out;
  }

  async function passCost(user: WorldUser) {
    w.resetCounts();
    const result = await w.pass(user);
    return { result, cost: costOf(w.counts()) };
  }

  /** Three persons of the user synced (and one of another associate's, never). */
  async function synced(user: WorldUser) {
    const ps = [person(user, 1), person(user, 2), person(user, 3)];
    w.persons.create(user, { firstname: 'Not', lastname: 'Mine', associateId: 9999 });
    const { result, cost } = await passCost(user);
    assert.equal(cost.contactCreates, 3);
    assert.equal(result.mailbox.state, 'in_sync', result.mailbox.last_error ?? '');
    assert.deepEqual([...folder(user).keys()].sort(), ps.map((p) => p.personId).sort());
    return ps;
  }

  test('create: the persons whose "our contact" is the user, every field, tagged; the user\'s own contacts untouched byte for byte', async () => {
    const user = await contactUser();
    const own = w.contacts.addOwn(user, { displayName: 'Mum', givenName: 'Mum', emailAddresses: [{ address: 'mum@example.com' }] });
    const before = JSON.stringify(w.contacts.own(user));
    const [p1] = await synced(user);
    const c = folder(user).get(p1!.personId)!;
    assert.equal(c.displayName, 'Ola1 Nordmann');
    assert.equal(c.givenName, 'Ola1');
    assert.equal(c.surname, 'Nordmann');
    assert.equal(c.companyName, 'Fjord AS 1');
    assert.equal(c.jobTitle, 'Buyer');
    assert.deepEqual(c.emailAddresses.map((e) => e.address), ['ola1@fjord.example', 'ola1.private@example.com']);
    assert.deepEqual(c.businessPhones, ['+47 22 00 00 01']);
    assert.equal(c.mobilePhone, '+47 900 00 001');
    assert.deepEqual(c.homePhones, ['+47 33 00 00 01']);
    assert.deepEqual(c.businessAddress, { street: 'Storgata 1', city: 'Oslo', state: '', postalCode: '0155', countryOrRegion: 'Norway' });
    assert.equal(JSON.stringify(w.contacts.own(user)), before, 'own contacts unchanged');
    assert.equal(w.contacts.own(user)[0]!.id, own.id);
    const items = await w.items(user);
    assert.equal(items.filter((i) => i.kind === 'contact' && i.state === 'active').length, 3);
  });

  test('idle pass: exactly 1 Graph request (the folder delta) and 1 SuperOffice request (persons changed since)', async (t) => {
    const user = await contactUser();
    await synced(user);
    await w.pass(user); // the echo of our own creates
    const { cost } = await passCost(user);
    t.diagnostic(`idle contact pass: ${JSON.stringify(cost)}`);
    assert.equal(cost.graphRequests, 1);
    assert.equal(cost.graphDeltas, 1);
    assert.equal(cost.superofficeRequests, 1);
    assert.equal(cost.contactCreates + cost.graphOtherWrites, 0);
  });

  test('update: a person edited in SuperOffice is written over its contact, 0 creates', async () => {
    const user = await contactUser();
    const [p1] = await synced(user);
    w.persons.edit(p1!.personId, { title: 'Chief buyer', mobilePhones: [{ value: '+47 911 11 111' }] });
    const { result, cost } = await passCost(user);
    assert.equal(cost.contactCreates, 0);
    assert.equal(result.mailbox.last_updated, 1);
    const c = folder(user).get(p1!.personId)!;
    assert.equal(c.jobTitle, 'Chief buyer');
    assert.equal(c.mobilePhone, '+47 911 11 111');
  });

  test('one way: an Outlook edit of our contact is overwritten, a deleted one put back once; nothing is written to SuperOffice', async () => {
    const user = await contactUser();
    const [p1, p2] = await synced(user);
    // The next delta lists our creates (their echo); a contact deleted before that is found by the daily full pass.
    await w.pass(user);
    const c1 = folder(user).get(p1!.personId)!;
    const c2 = folder(user).get(p2!.personId)!;
    w.contacts.edit(user, c1.id, { jobTitle: 'Edited in Outlook' });
    w.contacts.delete(user, c2.id);
    const before = JSON.stringify(w.h.env.superoffice.control.persons.list());
    const { cost } = await passCost(user);
    assert.equal(cost.contactCreates, 1);
    assert.equal(folder(user).get(p1!.personId)!.jobTitle, 'Buyer');
    assert.equal(folder(user).size, 3);
    assert.equal(cost.superofficeCreates + cost.superofficeOtherWrites, 0);
    assert.equal(JSON.stringify(w.h.env.superoffice.control.persons.list()), before);
    const again = await passCost(user);
    assert.equal(again.cost.contactCreates + again.cost.graphOtherWrites, 0, 'settled');
  });

  test('scope: "our contact" changed → removed from our folder; changed back → recreated once', async () => {
    const user = await contactUser();
    const [p1] = await synced(user);
    w.persons.setOurContact(p1!.personId, 9999);
    const { result } = await passCost(user);
    assert.equal(result.mailbox.last_deleted, 1);
    assert.equal(folder(user).has(p1!.personId), false);
    assert.equal(folder(user).size, 2);
    w.persons.setOurContact(p1!.personId, user.associateId);
    const back = await passCost(user);
    assert.equal(back.cost.contactCreates, 1);
    assert.equal(folder(user).size, 3);
    const idle = await passCost(user);
    assert.equal(idle.cost.contactCreates, 0);
  });

  test('a person deleted or retired in SuperOffice: removed from our folder only', async () => {
    const user = await contactUser();
    const [p1, p2, p3] = await synced(user);
    const own = w.contacts.addOwn(user, { displayName: 'Ola1 Nordmann', emailAddresses: [{ address: 'ola1@fjord.example' }] });
    const ownBefore = JSON.stringify(w.contacts.own(user));
    w.persons.delete(p1!.personId);
    w.persons.edit(p2!.personId, { retired: true });
    const { result } = await passCost(user);
    assert.equal(result.mailbox.last_deleted, 2);
    assert.deepEqual([...folder(user).keys()], [p3!.personId], 'only the person still in scope');
    assert.equal(JSON.stringify(w.contacts.own(user)), ownBefore);
    assert.ok(w.contacts.own(user).some((c) => c.id === own.id));
  });

  test('remove → re-add: the folder is found by name and every contact by its tag, 0 creates, 0 writes', async (t) => {
    const user = await contactUser();
    await synced(user);
    await w.removeAndReadd(user);
    await w.setOptions(user, { diary: false, task: false, contact: true });
    assert.equal((await w.items(user)).length, 0);
    const { result, cost } = await passCost(user);
    t.diagnostic(`pass after re-add: ${JSON.stringify(cost)}`);
    assert.equal(cost.contactCreates, 0);
    assert.equal(cost.graphOtherWrites, 0);
    assert.equal(result.items.filter((i) => i.state === 'active').length, 3);
    assert.equal(folder(user).size, 3);
  });

  test('disable → enable Contact: nothing read or written while off, 0 creates after', async () => {
    const user = await contactUser();
    const [p1] = await synced(user);
    await w.setOptions(user, { diary: true, task: false, contact: false });
    w.persons.edit(p1!.personId, { title: 'Changed while off' });
    const off = await passCost(user);
    assert.equal(off.result.mailbox.state, 'in_sync');
    const contactRoutes = Object.entries(w.counts().graph.byRoute).filter(([r]) => /contact/i.test(r));
    assert.deepEqual(contactRoutes, [], 'no contact request while Contact is off');
    assert.equal(Object.entries(w.counts().superoffice.byRoute).filter(([r]) => /Person/.test(r)).length, 0);
    await w.setOptions(user, { diary: false, task: false, contact: true });
    const on = await passCost(user);
    assert.equal(on.cost.contactCreates, 0);
    assert.equal(folder(user).get(p1!.personId)!.jobTitle, 'Changed while off');
  });

  test('wiped mapping rows: the sweep rebinds every contact, 0 creates', async () => {
    const user = await contactUser();
    await synced(user);
    await w.h.store.db.deleteFrom('sync_item').where('mailbox_id', '=', user.mailboxId).execute();
    const { cost } = await passCost(user);
    assert.equal(cost.contactCreates, 0);
    assert.equal(folder(user).size, 3);
    assert.equal((await w.items(user)).filter((i) => i.state === 'active').length, 3);
  });

  test('commit-then-timeout on a create: found by its tag before it is sent again, 0 duplicates', async () => {
    const user = await contactUser();
    const [p1, p2] = [person(user, 1), person(user, 2)];
    w.h.env.graph.control.setFaults({ commitThenTimeout: 1, route: null });
    try {
      await w.pass(user).catch(() => undefined);
    } finally {
      w.h.env.graph.control.clearFaults();
    }
    await w.pass(user);
    const f = folder(user);
    assert.equal(f.size, 2);
    assert.ok(f.has(p1.personId) && f.has(p2.personId));
    const idle = await passCost(user);
    assert.equal(idle.cost.contactCreates, 0);
  });

  test('circuit breaker: every person leaving at once stops the mailbox before any delete; released, deletes once', async () => {
    const user = await contactUser();
    const ps = [...(await synced(user)), person(user, 4)];
    await w.pass(user);
    for (const p of ps) w.persons.setOurContact(p.personId, 9999);
    const { result, cost } = await passCost(user);
    assert.equal(result.mailbox.state, 'breaker');
    assert.equal(cost.graphOtherWrites, 0);
    assert.equal(folder(user).size, 4);
    await w.releaseBreaker(user);
    const released = await passCost(user);
    assert.equal(released.result.mailbox.state, 'in_sync');
    assert.equal(folder(user).size, 0);
    assert.equal(released.result.mailbox.last_deleted, 4);
  });

  test('our folder deleted by the user: made anew on the next pass, each person once', async () => {
    const user = await contactUser();
    await synced(user);
    const old = w.contacts.folder(user)!.id;
    w.h.env.graph.control.contacts.deleteFolder(user.mailboxId, old);
    const { result, cost } = await passCost(user);
    assert.equal(result.mailbox.state, 'in_sync', result.mailbox.last_error ?? '');
    assert.notEqual(w.contacts.folder(user)!.id, old);
    assert.equal(cost.contactCreates, 3);
    assert.equal(folder(user).size, 3);
    const idle = await passCost(user);
    assert.equal(idle.cost.contactCreates, 0);
  });

  test('the daily full pass puts back a contact the user deleted before any delta listed it', async () => {
    const user = await contactUser();
    const [p1] = await synced(user);
    w.contacts.delete(user, folder(user).get(p1!.personId)!.id);
    const { cost } = await passCost(user);
    assert.equal(cost.contactCreates, 0, 'the delta never listed it: not seen yet');
    const tomorrow = diaryPass({ ...w.deps, clock: () => new Date(Date.now() + 25 * 3600_000) });
    w.resetCounts();
    await w.pass(user, tomorrow);
    assert.equal(costOf(w.counts()).contactCreates, 1);
    assert.equal(folder(user).size, 3);
  });
});
