import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { defaultContactFields } from '../../simulators/graph/contact-store.js';
import { jsonOf, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

const TAG = 'Integer {6d0f3c1e-2b7a-4c59-9e84-0a3f5b1d7c62} Name SoPersonId';
const STRING_TAG = 'String {6d0f3c1e-2b7a-4c59-9e84-0a3f5b1d7c62} Name SoCtx';
const expand = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${TAG}')`)}`;

describe('Graph simulator: contact folders and contacts', () => {
  let sims: MicrosoftSims;
  let token: string;
  let user: string;

  before(async () => {
    sims = await startMicrosoftSims();
    sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, [...TEST_APP.permissions, 'Contacts.ReadWrite']);
    token = await sims.appToken();
    user = sims.tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user')!.id;
  });
  after(() => sims.close());
  beforeEach(() => sims.graph.control.reset());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, bearer = token) =>
    sims.fetch(path.startsWith('https://') ? path : `${sims.graph.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const ok = async (res: Response, status = 200) => {
    assert.equal(res.status, status, await res.clone().text());
    return jsonOf(res);
  };
  const folder = async () => (await ok(await call('POST', `/users/${user}/contactFolders`, { displayName: 'SuperOffice' }), 201)).id as string;
  const contact = async (fid: string, personId: number, over: Record<string, unknown> = {}) =>
    ok(await call('POST', `/users/${user}/contactFolders/${fid}/contacts`, { givenName: 'Ola', surname: 'Nordmann', displayName: 'Ola Nordmann', singleValueExtendedProperties: [{ id: TAG, value: String(personId) }], ...over }), 201);

  it('permissions: none → 403; Contacts.Read reads but cannot write', async () => {
    const sims2 = await startMicrosoftSims();
    try {
      const bare = await sims2.appToken();
      const res = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/contactFolders`, { headers: { authorization: `Bearer ${bare}` } });
      assert.equal(res.status, 403);
      sims2.entra.control.grantConsent(sims2.tenant.entraTenantId, TEST_APP.clientId, ['Contacts.Read']);
      const reader = await sims2.appToken();
      const read = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/contactFolders`, { headers: { authorization: `Bearer ${reader}` } });
      assert.equal(read.status, 200);
      const write = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/contactFolders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: 'X' }),
      });
      assert.equal(write.status, 403);
      assert.equal(sims2.graph.control.contacts.listFolders(user).length, 0);
    } finally {
      await sims2.close();
    }
  });

  it('folders: POST, $filter=displayName eq, a second of the same name is 409 ErrorFolderExists', async () => {
    const id = await folder();
    const found = await ok(await call('GET', `/users/${user}/contactFolders?$filter=${encodeURIComponent("displayName eq 'SuperOffice'")}`));
    assert.deepEqual(found.value.map((f: any) => f.id), [id]);
    const again = await call('POST', `/users/${user}/contactFolders`, { displayName: 'superoffice' });
    assert.equal(again.status, 409);
    assert.equal((await jsonOf(again)).error.code, 'ErrorFolderExists');
    assert.equal((await call('GET', `/users/${user}/contactFolders/nope/contacts`)).status, 404);
  });

  it('extended properties: hidden unless expanded; the Integer filter finds by value; a String-value filter is refused', async () => {
    const fid = await folder();
    const c = await contact(fid, 12);
    await contact(fid, 13);
    assert.equal(c.singleValueExtendedProperties, undefined);
    const plain = await ok(await call('GET', `/users/${user}/contacts/${c.id}`));
    assert.equal(plain.singleValueExtendedProperties, undefined);
    const expanded = await ok(await call('GET', `/users/${user}/contactFolders/${fid}/contacts/${c.id}?${expand}`));
    assert.deepEqual(expanded.singleValueExtendedProperties, [{ id: TAG, value: '12' }]);
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${TAG}' and cast(ep/value, Edm.Int32) eq 12)`;
    const hit = await ok(await call('GET', `/users/${user}/contactFolders/${fid}/contacts?$filter=${encodeURIComponent(filter)}`));
    assert.deepEqual(hit.value.map((x: any) => x.id), [c.id]);
    const stringFilter = `singleValueExtendedProperties/Any(ep: ep/id eq '${STRING_TAG}' and ep/value eq 'Cust1')`;
    const refused = await call('GET', `/users/${user}/contactFolders/${fid}/contacts?$filter=${encodeURIComponent(stringFilter)}`);
    assert.equal(refused.status, 400);
    const badValue = await call('POST', `/users/${user}/contactFolders/${fid}/contacts`, { displayName: 'X', singleValueExtendedProperties: [{ id: TAG, value: 'twelve' }] });
    assert.equal(badValue.status, 400);
    const unknown = await call('POST', `/users/${user}/contactFolders/${fid}/contacts`, { displayName: 'X', nickName2: 'y' });
    assert.equal(unknown.status, 400);
    assert.equal(sims.graph.control.contacts.list(user, fid).length, 2, 'refusals changed nothing');
  });

  it('per-folder delta: opaque links, changes and @removed of that folder only, nextLink pages, 410 once expired', async () => {
    const fid = await folder();
    const store = sims.graph.control.contacts;
    store.create(user, store.defaultFolderId(user), { ...defaultContactFields(), displayName: 'Own contact' });
    const a = await contact(fid, 1);
    const b = await contact(fid, 2);
    await contact(fid, 3);
    let res = await ok(await call('GET', `/users/${user}/contactFolders/${fid}/contacts/delta`, undefined, { prefer: 'odata.maxpagesize=2' }));
    const first = [...res.value];
    assert.ok(res['@odata.nextLink']);
    res = await ok(await call('GET', res['@odata.nextLink']));
    first.push(...res.value);
    assert.equal(first.length, 3, 'the folder only, not the default one');
    const deltaLink = res['@odata.deltaLink'];
    assert.ok(deltaLink);
    assert.equal(new URL(deltaLink).searchParams.has('$deltatoken'), true);
    await ok(await call('PATCH', `/users/${user}/contacts/${a.id}`, { jobTitle: 'CFO' }));
    await call('DELETE', `/users/${user}/contactFolders/${fid}/contacts/${b.id}`);
    res = await ok(await call('GET', deltaLink));
    assert.deepEqual(res.value.map((x: any) => [x.id, x['@removed'] ? 'removed' : x.jobTitle]), [[a.id, 'CFO'], [b.id, 'removed']]);
    assert.equal((await call('GET', `/users/${user}/contactFolders/${fid}/contacts/delta?$filter=x`)).status, 400);
    store.expireDeltaTokens(user);
    const expired = await call('GET', res['@odata.deltaLink']);
    assert.equal(expired.status, 410);
    assert.equal((await jsonOf(expired)).error.code, 'syncStateNotFound');
  });

  it('counts requests, and commit-then-timeout applies a create then drops the answer', async () => {
    const fid = await folder();
    sims.graph.control.resetRequests();
    sims.graph.control.setFaults({ commitThenTimeout: 1 });
    await assert.rejects(call('POST', `/users/${user}/contactFolders/${fid}/contacts`, { displayName: 'Lost answer' }));
    sims.graph.control.clearFaults();
    assert.equal(sims.graph.control.contacts.list(user, fid).length, 1);
    assert.equal(sims.graph.control.requests().byRoute['POST /v1.0/users/{id}/contactFolders/{id}/contacts'], 1);
  });

  it('control: a user\'s own contact seeded over /__sim lands in the default folder, never in a delta of ours', async () => {
    const fid = await folder();
    const seeded = await sims.fetch(`${sims.graph.url}/__sim/contacts/users/${user}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Mum', emailAddresses: [{ address: 'mum@example.com' }] }),
    });
    assert.equal(seeded.status, 201);
    const own = await ok(await call('GET', `/users/${user}/contacts`));
    assert.deepEqual(own.value.map((c: any) => c.displayName), ['Mum']);
    const delta = await ok(await call('GET', `/users/${user}/contactFolders/${fid}/contacts/delta`));
    assert.equal(delta.value.length, 0);
    const listed = await jsonOf(await sims.fetch(`${sims.graph.url}/__sim/contacts/users/${user}`));
    assert.equal(listed.value.length, 1);
    assert.equal(listed.folders[0].displayName, 'SuperOffice');
  });
});
