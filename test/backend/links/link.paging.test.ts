import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ADMIN, OTHER_ADMIN, allLinks, dumpDatabase, makeHarness, newLink, type Harness } from '../../helpers/harness.js';

/** GET /api/v1/links in keyset pages: `?limit` (1–500, default 500) and `?cursor` (the previous page's nextCursor). */
describe('links API: pages', () => {
  let h: Harness;
  let admin: string;
  let other: string;
  before(async () => {
    h = await makeHarness();
    admin = await h.token(ADMIN);
    other = await h.token(OTHER_ADMIN);
    // Names out of insertion order, and two links with the same name (the id breaks the tie).
    const links = Array.from({ length: 25 }, (_, i) => newLink(9000 + i, { associateName: `Person ${String((i * 7) % 25).padStart(2, '0')}` }));
    links[3]!.associateName = links[4]!.associateName;
    assert.equal((await h.request('POST', '/api/v1/links', { token: admin, body: { links } })).status, 201);
  });
  after(() => h.close());

  const page = (query: string, token = admin) => h.request('GET', `/api/v1/links${query}`, { token });

  test('pages of `limit` concatenate to the whole list by name then id, and the last says nextCursor null', async () => {
    const whole = await page('');
    assert.equal(whole.body.links.length, 25, 'the default page holds them all');
    assert.equal(whole.body.nextCursor, null);
    const sizes: number[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await page(`?limit=10${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(res.status, 200);
      sizes.push(res.body.links.length);
      ids.push(...res.body.links.map((l: any) => l.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(sizes, [10, 10, 5]);
    assert.deepEqual(ids, whole.body.links.map((l: any) => l.id));
    const keys = whole.body.links.map((l: any) => [l.associateName, l.id]);
    const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    assert.deepEqual(keys, sorted);
    // Exactly a full last page: the next cursor is still null (no empty page to fetch).
    const exact = await page('?limit=25');
    assert.equal(exact.body.nextCursor, null);
  });

  test('a link added between pages: nothing read twice, nothing skipped; it shows up if it sorts after the cursor', async () => {
    const before = (await allLinks(h, admin)).map((l) => l.id);
    const first = await page('?limit=10');
    const added = [newLink(9100, { associateName: 'Aaron First' }), newLink(9101, { associateName: 'Zed Last' })];
    assert.equal((await h.request('POST', '/api/v1/links', { token: admin, body: { links: added } })).status, 201);
    const rest: any[] = [];
    let cursor: string | null = first.body.nextCursor;
    while (cursor) {
      const res = await page(`?limit=10&cursor=${encodeURIComponent(cursor)}`);
      rest.push(...res.body.links);
      cursor = res.body.nextCursor;
    }
    const ids = [...first.body.links, ...rest].map((l: any) => l.id);
    assert.equal(new Set(ids).size, ids.length, 'no link twice');
    for (const id of before) assert.ok(ids.includes(id), 'every link that was there is read');
    assert.equal(rest.at(-1).associateName, 'Zed Last', 'added after the cursor: on a later page');
    assert.equal([...first.body.links, ...rest].filter((l: any) => l.associateName === 'Aaron First').length, 0, 'added before the cursor: not on later pages');
  });

  test('a bad limit is 400 ValidationFailed naming query.limit, and changes nothing', async () => {
    for (const limit of ['0', '501', '-1', '1.5', 'ten', '']) {
      const before = await dumpDatabase(h.store);
      const res = await page(`?limit=${limit}`);
      assert.equal(res.status, 400, limit);
      assert.equal(res.body.error.code, 'ValidationFailed');
      assert.equal(res.body.error.details[0].path, 'query.limit');
      assert.equal(await dumpDatabase(h.store), before);
    }
    assert.equal((await page('?limit=1')).body.links.length, 1);
    assert.equal((await page('?limit=500')).status, 200);
  });

  test('a forged, edited, foreign or ill-formed cursor is 400 ValidationFailed naming query.cursor', async () => {
    const cursor: string = (await page('?limit=5')).body.nextCursor;
    const [payload, mac] = cursor.split('.');
    const forged = Buffer.from(JSON.stringify(['Person 00', '00000000-0000-4000-8000-000000000000'])).toString('base64url');
    for (const bad of [
      'garbage',
      `${forged}.${mac}`,
      `${payload}.${mac!.slice(0, -2)}AA`,
      `${payload}`,
      `${payload}.${mac}.x`,
      Buffer.from('[1,2]').toString('base64url') + '.' + mac,
      '%%%',
    ]) {
      const res = await page(`?cursor=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'ValidationFailed');
      assert.equal(res.body.error.details[0].path, 'query.cursor');
    }
    // Another tenant's administrator cannot use this tenant's cursor.
    const foreign = await page(`?cursor=${encodeURIComponent(cursor)}`, other);
    assert.equal(foreign.status, 400);
  });
});
