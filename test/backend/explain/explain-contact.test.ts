import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { explainerFor, type Explainer } from './explain-support.js';
import { dumpDatabase, refusedBy } from '../../helpers/harness.js';
import { makeWorld, type World, type WorldUser } from '../sync/diary/world.js';

/*
 * "Why didn't this sync?" for the Contact kind: persons found by name in the whole tenant, each
 * answered by the rule the contact pass applies (sync/decide.ts personRefusal) and what the pass
 * recorded, and checked against what a real pass then does.
 */

describe("Why didn't this sync? for contacts", () => {
  let w: World;
  let asker: Explainer;
  before(async () => {
    w = await makeWorld({ users: 8 });
    asker = await explainerFor(w);
  });
  after(() => w.close());
  const explain = (body: Record<string, unknown>) => asker.explain(body);
  async function contactUser(): Promise<WorldUser> {
    const u = w.fresh();
    await w.setOptions(u, { diary: false, task: false, contact: true });
    return u;
  }
  const verdicts = (a: { items: { kind: string; subject: string; verdict: string }[] }) =>
    Object.fromEntries(a.items.filter((i) => i.kind === 'contact').map((i) => [i.subject, i.verdict]));
  const folderNames = (u: WorldUser) => (w.contacts.folder(u)?.contacts ?? []).map((c) => c.displayName).sort();

  test('each rule, found by name: pending before the pass, and the pass then does exactly what the answer said', async () => {
    const u = await contactUser();
    const other = w.fresh();
    const tag = `Zephyr${u.associateId}`;
    w.persons.create(u, { firstname: 'Mine', lastname: tag });
    w.persons.create(other, { firstname: 'Theirs', lastname: tag });
    w.persons.create(u, { firstname: 'Nobody', lastname: tag, associateId: 0 });
    const retired = w.persons.create(u, { firstname: 'Old', lastname: tag });
    w.persons.edit(retired.personId, { retired: true });
    const gone = w.persons.create(u, { firstname: 'Gone', lastname: tag });
    w.persons.delete(gone.personId);

    const first = await explain({ linkId: u.linkId, kind: 'contact', subject: tag.toLowerCase() });
    assert.deepEqual(verdicts(first), {
      [`Mine ${tag}`]: 'pending',
      [`Theirs ${tag}`]: 'filtered_type',
      [`Nobody ${tag}`]: 'filtered_type',
      [`Old ${tag}`]: 'filtered_type',
      [`Gone ${tag}`]: 'deleted',
    });
    const detail = (name: string) => first.items.find((i) => i.subject === `${name} ${tag}`)!.detail;
    assert.match(detail('Theirs'), /Another user is the person's "Our contact"/);
    assert.match(detail('Nobody'), /no "Our contact"/);
    assert.match(detail('Old'), /retired/);
    assert.ok(first.items.every((i) => i.kind === 'contact' && i.side === 'superoffice' && i.start === null));

    const result = await w.pass(u);
    assert.equal(result.mailbox.state, 'in_sync', result.mailbox.last_error ?? '');
    assert.deepEqual(folderNames(u), [`Mine ${tag}`], 'the pass created only what the explanation said it would');

    const second = await explain({ linkId: u.linkId, kind: 'contact', subject: tag });
    assert.equal(verdicts(second)[`Mine ${tag}`], 'synced');
    assert.equal(second.items.find((i) => i.subject === `Mine ${tag}`)!.mapping?.state, 'active');
  });

  test('a person that left the user: its synced contact is deleted by the next pass, as the answer says; an edit is pending until then', async () => {
    const u = await contactUser();
    const other = w.fresh();
    const tag = `Quill${u.associateId}`;
    const moving = w.persons.create(u, { firstname: 'Moving', lastname: tag });
    const edited = w.persons.create(u, { firstname: 'Edited', lastname: tag, title: 'Buyer' });
    await w.pass(u);
    assert.deepEqual(folderNames(u), [`Edited ${tag}`, `Moving ${tag}`]);

    w.persons.setOurContact(moving.personId, other.associateId);
    w.persons.edit(edited.personId, { title: 'Chief buyer' });
    const answer = await explain({ linkId: u.linkId, subject: tag }); // no kind: a subject looks at contacts too
    assert.deepEqual(verdicts(answer), { [`Moving ${tag}`]: 'filtered_type', [`Edited ${tag}`]: 'pending' });
    assert.match(answer.items.find((i) => i.subject === `Edited ${tag}`)!.detail, /changed since the last pass/);

    await w.pass(u);
    assert.deepEqual(folderNames(u), [`Edited ${tag}`]);
    assert.equal(w.contacts.folder(u)!.contacts[0]!.jobTitle, 'Chief buyer');
    assert.deepEqual(verdicts(await explain({ linkId: u.linkId, subject: tag })), { [`Moving ${tag}`]: 'filtered_type', [`Edited ${tag}`]: 'synced' });
  });

  test('an unchanged save (updatedDate moved, same fields) is in sync, as the pass writes nothing', async () => {
    const u = await contactUser();
    const tag = `Umber${u.associateId}`;
    const p = w.persons.create(u, { firstname: 'Same', lastname: tag, title: 'Buyer' });
    await w.pass(u);
    w.persons.edit(p.personId, { title: 'Buyer' });
    assert.deepEqual(verdicts(await explain({ linkId: u.linkId, kind: 'contact', subject: tag })), { [`Same ${tag}`]: 'synced' });
    w.resetCounts();
    await w.pass(u);
    assert.equal(w.contacts.folder(u)!.contacts.length, 1);
  });

  test('kind_disabled when Contact is off; changes nothing; bounded requests', async () => {
    const u = w.fresh();
    await w.setOptions(u, { diary: true, task: false, contact: false });
    const tag = `Vesper${u.associateId}`;
    w.persons.create(u, { firstname: 'Off', lastname: tag });
    await w.pass(u);
    const dump = await dumpDatabase(w.h.store);
    w.resetCounts();
    const answer = await explain({ linkId: u.linkId, kind: 'contact', subject: tag });
    assert.deepEqual(verdicts(answer), { [`Off ${tag}`]: 'kind_disabled' });
    assert.match(answer.items[0]!.detail, /Contact is off/);
    assert.equal(await dumpDatabase(w.h.store), dump);
    const { graph, superoffice } = w.counts();
    const total = (c: object) => Object.values(c as Record<string, unknown>).reduce<number>((n, v) => n + (typeof v === 'number' ? v : 0), 0);
    assert.ok(total(superoffice) <= 3, `SuperOffice requests: ${JSON.stringify(superoffice)}`);
    assert.ok(total(graph) <= 3, `Graph requests: ${JSON.stringify(graph)}`);
  });

  test('more than 25 persons with the name: 25 shown and truncated', async () => {
    const u = await contactUser();
    const tag = `Wren${u.associateId}`;
    for (let i = 0; i < 27; i++) w.persons.create(u, { firstname: `P${i}`, lastname: tag });
    const answer = await explain({ linkId: u.linkId, kind: 'contact', subject: tag });
    assert.equal(answer.items.length, 25);
    assert.equal(answer.truncated, true);
  });

  test('bad input: a contact question needs a name (400), nothing changed', async () => {
    const u = await contactUser();
    await refusedBy(w.h, 400, 'ValidationFailed', () => w.h.request('POST', '/api/v1/explain', { token: asker.admin, body: { linkId: u.linkId, kind: 'contact', date: '2026-12-04' } }));
  });
});
