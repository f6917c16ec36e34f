import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PersonChange, SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { associateIdAt, fixtureTenant } from './superoffice.fixture.js';
import { api, startFixtureSimulator } from './superoffice.helpers.js';

const OWNER = associateIdAt(1);
const OTHER = associateIdAt(2);
const T0 = Date.parse('2026-11-02T08:00:00Z');
const UTC = { 'SO-TimeZone': 'UTC,includeTZOffset' };

/** Persons as the Person entity and the Person archive show them, and the levers a CRM user pulls. */
describe('SuperOffice simulator: persons with "our contact"', () => {
  let sim: SuperOfficeSimulator;
  let token: string;
  const call = (method: string, path: string, headers: Record<string, string> = {}) => api(sim, method, path, { token, headers });
  const archive = async (filter: string, select = 'personId,personAssociateId,personUpdatedDate,personDeletedDate,retired') => {
    const q = new URLSearchParams({ $select: select, $filter: filter, $orderby: 'personId' });
    const res = await call('GET', `v1/Person?${q.toString().replace(/\+/g, '%20')}`);
    assert.equal(res.status, 200, res.text);
    return res.body.value as Record<string, any>[];
  };

  before(async () => {
    sim = await startFixtureSimulator({ tenant: fixtureTenant() });
  });
  beforeEach(() => {
    sim.control.reset();
    sim.control.appointments.setTime(T0, { frozen: true });
    token = sim.control.issueAccessToken({ associateId: OWNER });
  });
  after(() => sim.close());

  test('GET Person/{id}: the PersonEntity fields (Person210.json names), UTC dates with SO-TimeZone', async () => {
    const p = sim.control.persons.create({
      firstname: 'Kari',
      lastname: 'Hansen',
      title: 'CFO',
      contactId: 7,
      contactName: 'Fjord AS',
      associateId: OWNER,
      emails: ['kari@fjord.example'],
      officePhones: [{ value: '+47 22 00 00 01' }],
      mobilePhones: [{ value: '+47 900 00 001' }],
      address: { street: 'Storgata 1', city: 'Oslo', zipcode: '0155', state: '', country: 'Norway' },
    });
    const res = await call('GET', `v1/Person/${p.personId}`, UTC);
    assert.equal(res.status, 200, res.text);
    const e = res.body;
    assert.equal(e.PersonId, p.personId);
    assert.equal(e.Firstname, 'Kari');
    assert.equal(e.Lastname, 'Hansen');
    assert.equal(e.FullName, 'Kari Hansen');
    assert.equal(e.Title, 'CFO');
    assert.deepEqual(e.Contact, { ContactId: 7, Name: 'Fjord AS' });
    assert.equal(e.Associate.AssociateId, OWNER);
    assert.equal(e.Emails[0].Value, 'kari@fjord.example');
    assert.equal(e.OfficePhones[0].Value, '+47 22 00 00 01');
    assert.equal(e.MobilePhones[0].Value, '+47 900 00 001');
    assert.equal(e.Address.Postal.Address1, 'Storgata 1');
    assert.equal(e.Address.Postal.City, 'Oslo');
    assert.equal(e.Country.Name, 'Norway');
    assert.equal(Date.parse(e.UpdatedDate), T0);
    assert.equal((await call('GET', 'v1/Person/999999')).status, 404);
    assert.equal((await call('GET', 'v1/Person/abc')).status, 400);
  });

  test('the archive: personAssociateId is "our contact"; every save bumps personUpdatedDate; a delete keeps the row with personDeletedDate and the entity 404s', async () => {
    const mine = sim.control.persons.create({ firstname: 'A', associateId: OWNER });
    const theirs = sim.control.persons.create({ firstname: 'B', associateId: OTHER });
    assert.deepEqual((await archive(`personAssociateId eq ${OWNER}`)).map((r) => r.personId), [mine.personId]);
    sim.control.appointments.advance(60_000);
    sim.control.persons.setOurContact(theirs.personId, OWNER);
    const since = new Date(T0 + 30_000).toISOString().slice(0, 19) + 'Z';
    const changed = await archive(`personUpdatedDate ge '${since}'`);
    assert.deepEqual(changed.map((r) => [r.personId, r.personAssociateId]), [[theirs.personId, OWNER]]);
    assert.equal(Date.parse(changed[0]!.personUpdatedDate), T0 + 60_000);
    sim.control.appointments.advance(60_000);
    sim.control.persons.delete(mine.personId);
    const [row] = await archive(`personId eq ${mine.personId}`);
    assert.equal(Date.parse(row!.personDeletedDate), T0 + 120_000);
    assert.equal((await call('GET', `v1/Person/${mine.personId}`)).status, 404);
    sim.control.persons.edit(theirs.personId, { retired: true });
    assert.equal((await archive(`personId eq ${theirs.personId}`))[0]!.retired, true);
  });

  test("string columns: `contains` and `begins`, case-insensitive; `contains` on a number column is refused", async () => {
    const ola = sim.control.persons.create({ firstname: 'Ola', lastname: 'Nordmann', associateId: OWNER });
    sim.control.persons.create({ firstname: 'Kari', lastname: 'Berg', associateId: OTHER });
    assert.deepEqual((await archive(`fullName contains 'NORDM'`)).map((r) => r.personId), [ola.personId]);
    assert.deepEqual((await archive(`fullName begins 'ola'`)).map((r) => r.personId), [ola.personId]);
    assert.deepEqual(await archive(`fullName begins 'nordmann'`), []);
    assert.equal((await call('GET', "v1/Person?$filter=personId%20contains%20'1'")).status, 400);
  });

  test('refuses an unknown column or operator with 400, and serves GET Archive/Person the same', async () => {
    assert.equal((await call('GET', 'v1/Person?$filter=nope%20eq%201')).status, 400);
    assert.equal((await call('GET', "v1/Person?$filter=personUpdatedDate%20begins%20'x'")).status, 400);
    sim.control.persons.create({ firstname: 'A', associateId: OWNER });
    const res = await call('GET', `v1/Archive/Person?$select=personId,fullName&$filter=personAssociateId%20eq%20${OWNER}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.value[0].fullName, 'A');
    assert.equal(res.body.value[0].EntityName, 'person');
  });

  test('onPersonChange: one hook for every change, with "our contact" before and after', () => {
    const heard: PersonChange[] = [];
    const off = sim.control.persons.onPersonChange((c) => heard.push(c));
    const p = sim.control.persons.create({ firstname: 'A', associateId: OWNER });
    sim.control.persons.setOurContact(p.personId, OTHER);
    sim.control.persons.delete(p.personId);
    off();
    sim.control.persons.create({ firstname: 'Unheard' });
    assert.deepEqual(
      heard.map((c) => [c.event, c.previousAssociateId, c.associateId]),
      [
        ['person.created', null, OWNER],
        ['person.changed', OWNER, OTHER],
        ['person.deleted', OTHER, OTHER],
      ],
    );
  });
});
