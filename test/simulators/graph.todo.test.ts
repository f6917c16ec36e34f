import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jsonOf, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

/**
 * The Graph simulator's Microsoft To Do against the documented shapes (api/todo-list-lists,
 * api/todotasklist-post-tasks, api/todotask-delta, api/todotask-post-linkedresources): lists,
 * tasks with linked resources, per-list delta with `@removed`, the id change on a move, 410 on
 * an expired token, permissions, and the same faults as the calendar routes.
 */
describe('Graph simulator: Microsoft To Do', () => {
  let sims: MicrosoftSims;
  let token: string;
  let user: string;

  before(async () => {
    sims = await startMicrosoftSims();
    sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, [...TEST_APP.permissions, 'Tasks.ReadWrite.All']);
    token = await sims.appToken();
    user = sims.tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user')!.id;
  });
  after(() => sims.close());
  beforeEach(() => sims.graph.control.reset());

  const call = (method: string, path: string, body?: unknown, bearer = token) =>
    sims.fetch(path.startsWith('https://') ? path : `${sims.graph.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const json = async (method: string, path: string, body?: unknown, status = 200) => {
    const res = await call(method, path, body);
    assert.equal(res.status, status, await res.clone().text());
    return jsonOf(res);
  };
  const newList = async () => (await json('POST', `/users/${user}/todo/lists`, { displayName: 'SuperOffice' }, 201)).id as string;

  it('refuses a token without a Tasks permission (403) and a reader writing (403)', async () => {
    const sims2 = await startMicrosoftSims();
    try {
      const bare = await sims2.appToken();
      const res = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/todo/lists`, { headers: { authorization: `Bearer ${bare}` } });
      assert.equal(res.status, 403);
      sims2.entra.control.grantConsent(sims2.tenant.entraTenantId, TEST_APP.clientId, ['Tasks.Read.All']);
      const reader = await sims2.appToken();
      assert.equal((await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/todo/lists`, { headers: { authorization: `Bearer ${reader}` } })).status, 200);
      const write = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/todo/lists`, { method: 'POST', headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' }, body: JSON.stringify({ displayName: 'x' }) });
      assert.equal(write.status, 403);
    } finally {
      await sims2.close();
    }
  });

  it('lists: the default "Tasks" list exists, a new list is found by $filter on displayName', async () => {
    const before = await json('GET', `/users/${user}/todo/lists`);
    assert.deepEqual(before.value.map((l: any) => [l.displayName, l.wellknownListName]), [['Tasks', 'defaultList']]);
    const id = await newList();
    const found = await json('GET', `/users/${user}/todo/lists?$filter=${encodeURIComponent("displayName eq 'SuperOffice'")}`);
    assert.deepEqual(found.value.map((l: any) => l.id), [id]);
    assert.equal((await call('POST', `/users/${user}/todo/lists`, { displayName: '' })).status, 400);
  });

  it('tasks: create with linkedResources, read with $expand, PATCH status → completedDateTime, bad bodies 400 and nothing stored', async () => {
    const list = await newList();
    const made = await json(
      'POST',
      `/users/${user}/todo/lists/${list}/tasks`,
      { title: 'Call Kari', body: { content: 'About the offer', contentType: 'text' }, dueDateTime: { dateTime: '2026-12-10T00:00:00.0000000', timeZone: 'UTC' }, linkedResources: [{ applicationName: 'App', externalId: 'Cust1/appointment/5', webUrl: 'https://crm/x', displayName: 'CRM' }] },
      201,
    );
    assert.equal(made.status, 'notStarted');
    const read = await json('GET', `/users/${user}/todo/lists/${list}/tasks/${made.id}?$expand=linkedResources`);
    assert.deepEqual(read.linkedResources.map((r: any) => r.externalId), ['Cust1/appointment/5']);
    assert.equal((await json('GET', `/users/${user}/todo/lists/${list}/tasks/${made.id}`)).linkedResources, undefined, 'not expanded unless asked');
    const done = await json('PATCH', `/users/${user}/todo/lists/${list}/tasks/${made.id}`, { status: 'completed' });
    assert.equal(done.status, 'completed');
    assert.ok(done.completedDateTime?.dateTime);
    for (const bad of [{ title: 5 }, { title: 'x', status: 'done' }, { title: 'x', color: 'red' }, { body: 'x' }]) {
      assert.equal((await call('POST', `/users/${user}/todo/lists/${list}/tasks`, bad)).status, 400, JSON.stringify(bad));
    }
    assert.equal((await json('GET', `/users/${user}/todo/lists/${list}/tasks`)).value.length, 1);
    const linked = await json('POST', `/users/${user}/todo/lists/${list}/tasks/${made.id}/linkedResources`, { applicationName: 'Other', externalId: '9' }, 201);
    assert.ok(linked.id);
    assert.equal((await json('GET', `/users/${user}/todo/lists/${list}/tasks/${made.id}/linkedResources`)).value.length, 2);
    assert.equal((await call('DELETE', `/users/${user}/todo/lists/${list}/tasks/${made.id}`)).status, 204);
    assert.equal((await call('GET', `/users/${user}/todo/lists/${list}/tasks/${made.id}`)).status, 404);
  });

  it('delta: first round every task (paged by nextLink), then only changes; deleted and moved tasks @removed; a moved task has a new id', async () => {
    const list = await newList();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await json('POST', `/users/${user}/todo/lists/${list}/tasks`, { title: `T${i}` }, 201)).id);
    const first = await json('GET', `/users/${user}/todo/lists/${list}/tasks/delta?$top=2`);
    assert.equal(first.value.length, 2);
    assert.ok(first['@odata.nextLink']);
    const second = await json('GET', first['@odata.nextLink']);
    assert.equal(second.value.length, 1);
    const deltaLink = second['@odata.deltaLink'];
    assert.ok(deltaLink);
    assert.deepEqual((await json('GET', deltaLink)).value, [], 'nothing changed');

    await json('PATCH', `/users/${user}/todo/lists/${list}/tasks/${ids[0]}`, { title: 'T0 edited' });
    await call('DELETE', `/users/${user}/todo/lists/${list}/tasks/${ids[1]}`);
    const lists = sims.graph.control.todo.listsOf(user);
    const moved = sims.graph.control.todo.moveTask(user, list, ids[2]!, lists.find((l) => l.wellknownListName === 'defaultList')!.id);
    assert.notEqual(moved.id, ids[2], 'the id changes when the task moves to another list');
    const changes = await json('GET', deltaLink);
    const removed = changes.value.filter((v: any) => v['@removed']).map((v: any) => v.id).sort();
    assert.deepEqual(removed, [ids[1], ids[2]].sort());
    assert.deepEqual(changes.value.filter((v: any) => !v['@removed']).map((v: any) => v.title), ['T0 edited']);

    sims.graph.control.todo.generation += 1;
    const expired = await call('GET', changes['@odata.deltaLink']);
    assert.equal(expired.status, 410);
    assert.equal((await jsonOf(expired)).error.code, 'syncStateNotFound');
  });

  it('faults and counts go through the same core as the calendar: 503 injected, commit-then-timeout applies the create', async () => {
    const list = await newList();
    sims.graph.control.setFaults({ unavailable: 1, route: 'GET /v1.0/users/{id}/todo/lists/{id}/tasks/delta' });
    assert.equal((await call('GET', `/users/${user}/todo/lists/${list}/tasks/delta`)).status, 503);
    sims.graph.control.clearFaults();
    sims.graph.control.setFaults({ commitThenTimeout: 1, route: 'POST /v1.0/users/{id}/todo/lists/{id}/tasks' });
    await assert.rejects(call('POST', `/users/${user}/todo/lists/${list}/tasks`, { title: 'Lost' }));
    sims.graph.control.clearFaults();
    assert.deepEqual((await json('GET', `/users/${user}/todo/lists/${list}/tasks`)).value.map((t: any) => t.title), ['Lost']);
    const counts = sims.graph.control.requests().byRoute;
    assert.equal(counts['POST /v1.0/users/{id}/todo/lists/{id}/tasks'], 1);
    assert.equal(counts['GET /v1.0/users/{id}/todo/lists/{id}/tasks/delta'], 1);
  });
});
