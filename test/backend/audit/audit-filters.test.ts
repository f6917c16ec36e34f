import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AUDIT_CATEGORIES, CATEGORY_PREFIXES, categoryOf, type AuditCategory } from '../../../backend/audit/audit.categories.js';
import { appendAudit, type Actor, type AuditChange } from '../../../backend/audit/audit.repository.js';
import { auditCsv, EXPORT_HEADER } from '../../../backend/audit/audit.service.js';
import { fromCsv } from '../../../backend/http/csv.js';
import { ADMIN, OTHER_ADMIN, newLink, refusedBy, suiteHarness, type Harness } from '../../helpers/harness.js';

/** Every action name the product writes today (grep `action: '` in backend/), with its category. */
const WRITTEN: Record<string, AuditCategory> = {
  'link.created': 'links',
  'link.options_changed': 'links',
  'link.removed': 'links',
  'tenant.mode_changed': 'tenant',
  'tenant.settings_changed': 'tenant',
  'tenant.sync_settings': 'tenant',
  'tenant.panels_provisioned': 'tenant',
  'tenant.panels_failed': 'tenant',
  'tenant.microsoft_consent': 'consent',
  'invite.created': 'invites',
  'invite.replaced': 'invites',
  'invite.revoked': 'invites',
  'invite.send_failed': 'invites',
  'mailbox.authorized': 'authorizations',
  'mailbox.authorization_revoked': 'authorizations',
  'sync.requested': 'sync',
  'sync.breaker_released': 'sync',
};
/** Names the administrator tools being built write, and names no prefix claims. */
const COMING: Record<string, AuditCategory> = {
  'links.imported': 'links',
  'links.restored': 'links',
  'links.purged': 'links',
  'links.undone': 'links',
  'link.restored': 'links',
  'health.ignored': 'health',
  'health.link_updated': 'health',
  'alerts.digest_sent': 'alerts',
  'alerts.settings_changed': 'alerts',
  'consent.revoked': 'consent',
  'report.viewed': 'other',
  // Look-alikes: `_` and `%` are not wildcards, a prefix needs its dot.
  'tenantXmode': 'other',
  'linkXcreated': 'other',
  'tenant.microsoftXconsent': 'tenant',
  'sync': 'other',
};

const ACTORS: Record<string, Actor> = {
  ada: { tenantId: ADMIN.tenantId, associateId: ADMIN.associateId, associateName: ADMIN.associateName, requestId: null },
  bo: { tenantId: ADMIN.tenantId, associateId: 7, associateName: 'Bo Berg', requestId: null },
  cy: { tenantId: ADMIN.tenantId, associateId: 8, associateName: '=HYPERLINK("http://evil.example","Cy")', requestId: null },
  // The other tenant's administrator has the same associate id as Ada: ids are per tenant.
  otto: { tenantId: OTHER_ADMIN.tenantId, associateId: OTHER_ADMIN.associateId, associateName: OTHER_ADMIN.associateName, requestId: null },
};

const change = (action: string, entityId: string, after: unknown = { n: 1 }): AuditChange => ({ action, entityType: action.split('.')[0] ?? 'x', entityId, before: null, after });

async function write(h: Harness, actor: Actor, at: string, changes: AuditChange[]): Promise<void> {
  await h.store.transaction((tx) => appendAudit(tx, actor, changes, new Date(at)));
}

/** Every entry GET /api/v1/audit answers for `query`, following `nextBefore` with pages of `limit`. */
async function all(h: Harness, token: string, query: string, limit = 500): Promise<any[]> {
  const out: any[] = [];
  let before: number | null = null;
  do {
    const res: { status: number; body: any; text: string } = await h.request('GET', `/api/v1/audit?limit=${limit}${query ? `&${query}` : ''}${before ? `&before=${before}` : ''}`, { token });
    assert.equal(res.status, 200, `${query}: ${res.text}`);
    out.push(...res.body.entries);
    before = res.body.nextBefore;
  } while (before !== null);
  return out;
}

describe('audit categories', () => {
  test('every action the product writes, and the tools add, falls in its category by prefix', () => {
    for (const [action, category] of Object.entries({ ...WRITTEN, ...COMING })) assert.equal(categoryOf(action), category, action);
    for (const p of CATEGORY_PREFIXES) assert.ok(AUDIT_CATEGORIES.includes(p.category));
    assert.equal(new Set(CATEGORY_PREFIXES.map((p) => p.prefix)).size, CATEGORY_PREFIXES.length, 'a prefix twice');
  });
});

describe('GET /api/v1/audit filters, /audit/actors and /audit/export', () => {
  const s = suiteHarness();

  /** The seeded log: one entry per known action by Ada on 1 Dec, Bo's on 2 Dec, Cy's on 3 Dec, and the other tenant's. */
  const seed = (() => {
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      const actions = Object.keys({ ...WRITTEN, ...COMING });
      await write(s.h, ACTORS.ada!, '2026-12-01T08:00:00.000Z', actions.map((a, i) => change(a, `ada-${i}`)));
      await write(s.h, ACTORS.bo!, '2026-12-02T23:59:59.999Z', actions.map((a, i) => change(a, `bo-${i}`)));
      await write(s.h, ACTORS.cy!, '2026-12-03T00:00:00.000Z', [change('link.removed', '+SUM(A1)', { name: '@cmd' }), change('invite.created', '-2')]);
      await write(s.h, ACTORS.otto!, '2026-12-02T12:00:00.000Z', actions.map((a, i) => change(a, `otto-${i}`)));
    };
  })();

  test('the category filter takes exactly the actions categoryOf puts there, and each entry says its category', async () => {
    await seed();
    const everything = await all(s.h, s.admin, '');
    for (const category of AUDIT_CATEGORIES) {
      const got = await all(s.h, s.admin, `category=${category}`);
      assert.deepEqual(
        got.map((e) => e.id),
        everything.filter((e) => categoryOf(e.action) === category).map((e) => e.id),
        category,
      );
      assert.ok(got.every((e) => e.category === category));
      if (category !== 'other') assert.ok(got.length > 0, `${category}: nothing seeded`);
    }
    assert.ok((await all(s.h, s.admin, 'category=other')).some((e) => e.action === 'tenantXmode'));
  });

  test('each filter alone: actor, exact action, entity, from, to', async () => {
    await seed();
    const bo = await all(s.h, s.admin, 'actor=7');
    assert.equal(bo.length, Object.keys({ ...WRITTEN, ...COMING }).length);
    assert.ok(bo.every((e) => e.actor.associateId === 7 && e.actor.name === 'Bo Berg'));

    const removed = await all(s.h, s.admin, 'action=link.removed');
    assert.deepEqual(removed.map((e) => e.actor.associateId).sort(), [5, 7, 8]);
    assert.ok(removed.every((e) => e.action === 'link.removed'));

    assert.deepEqual((await all(s.h, s.admin, 'entityId=bo-0')).map((e) => e.entityId), ['bo-0']);

    // A day is the whole UTC day; an instant is inclusive on both ends.
    const onDec2 = await all(s.h, s.admin, 'from=2026-12-02&to=2026-12-02');
    assert.ok(onDec2.length > 0 && onDec2.every((e) => e.actor.associateId === 7), 'only Bo wrote on 2 Dec (23:59:59.999)');
    const fromDec3 = await all(s.h, s.admin, 'from=2026-12-03T00:00:00.000Z');
    assert.deepEqual([...new Set(fromDec3.map((e) => e.actor.associateId))], [8]);
    const toDec1 = await all(s.h, s.admin, 'to=2026-12-02T23:59:59.998Z');
    assert.deepEqual([...new Set(toDec1.map((e) => e.actor.associateId))], [5]);
    const toInstant = await all(s.h, s.admin, `to=${encodeURIComponent('2026-12-03T01:00:00+01:00')}`);
    assert.ok(toInstant.some((e) => e.actor.associateId === 8), 'an offset is read as the instant it names');
    assert.equal((await all(s.h, s.admin, 'from=2026-12-04')).length, 0);
  });

  test('filters combined narrow each other', async () => {
    await seed();
    const got = await all(s.h, s.admin, 'actor=7&category=links&from=2026-12-02&to=2026-12-02');
    assert.deepEqual(got.map((e) => e.action).sort(), Object.entries({ ...WRITTEN, ...COMING }).filter(([, c]) => c === 'links').map(([a]) => a).sort());
    assert.ok(got.every((e) => e.actor.associateId === 7));
    assert.deepEqual((await all(s.h, s.admin, 'actor=5&action=sync.requested')).map((e) => e.entityId), [`ada-${Object.keys({ ...WRITTEN, ...COMING }).indexOf('sync.requested')}`]);
    assert.equal((await all(s.h, s.admin, 'category=invites&action=link.removed')).length, 0, 'a category and an action that disagree find nothing');
    assert.equal((await all(s.h, s.admin, 'actor=5&from=2026-12-02')).length, 0);
  });

  test('pages of a filter follow nextBefore without gaps or repeats, newest first', async () => {
    await seed();
    const whole = await all(s.h, s.admin, 'category=links');
    for (const limit of [1, 3, 7]) {
      const paged = await all(s.h, s.admin, 'category=links', limit);
      assert.deepEqual(paged.map((e) => e.id), whole.map((e) => e.id), `limit ${limit}`);
    }
    assert.deepEqual(whole.map((e) => e.id), [...whole.map((e) => e.id)].sort((a, b) => b - a));
    // A page of exactly the remaining entries ends the list at the next (empty) page.
    const two = await s.h.request('GET', `/api/v1/audit?category=links&limit=${whole.length}`, { token: s.admin });
    assert.equal(two.body.entries.length, whole.length);
    const after = await s.h.request('GET', `/api/v1/audit?category=links&limit=${whole.length}&before=${two.body.nextBefore}`, { token: s.admin });
    assert.deepEqual(after.body, { entries: [], nextBefore: null });
  });

  test('a real change through the API shows under its filters', async () => {
    const created = (await s.h.request('POST', '/api/v1/links', { token: s.admin, body: { links: [newLink()] } })).body.created;
    const got = await all(s.h, s.admin, `actor=${ADMIN.associateId}&category=links&action=link.created&from=${s.h.now.value.toISOString().slice(0, 10)}`);
    assert.ok(got.some((e) => e.entityId === created[0].id && e.after.mailboxAddress === created[0].mailboxAddress));
  });

  test('actors: each once, under their newest name, by name; only this tenant', async () => {
    await seed();
    await write(s.h, { ...ACTORS.bo!, associateName: 'Bo Berg-Lund' }, '2026-12-03T09:00:00.000Z', [change('tenant.mode_changed', 'Cust12345')]);
    const res = await s.h.request('GET', '/api/v1/audit/actors', { token: s.admin });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.actors, [
      { associateId: 8, name: ACTORS.cy!.associateName },
      { associateId: 5, name: 'Ada Admin' },
      { associateId: 7, name: 'Bo Berg-Lund' },
    ]);
    const theirs = await s.h.request('GET', '/api/v1/audit/actors', { token: s.other });
    assert.deepEqual(theirs.body.actors, [{ associateId: OTHER_ADMIN.associateId, name: OTHER_ADMIN.associateName }]);
  });

  test('export: text/csv attachment of every filtered entry, newest first, formula cells neutralized, readable again', async () => {
    await seed();
    const res = await s.h.request('GET', '/api/v1/audit/export?actor=8', { token: s.admin });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8$/);
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="audit-\d{4}-\d\d-\d\d\.csv"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(res.text.startsWith('\uFEFF'));
    const [header, ...rows] = fromCsv(res.text);
    assert.deepEqual(header, [...EXPORT_HEADER]);
    assert.equal(rows.length, 2);
    const [invite, removal] = rows as string[][];
    assert.equal(removal![3], `'${ACTORS.cy!.associateName}`, 'the actor name is text, not a formula');
    assert.equal(removal![7], "'+SUM(A1)");
    assert.equal(invite![7], "'-2");
    assert.equal(removal![5], 'link.removed');
    assert.equal(removal![4], 'links');
    assert.deepEqual(JSON.parse(removal![9]!), { name: '@cmd' }, 'JSON cells start with { and need no apostrophe');
    assert.equal(removal![8], '', 'no before');
    assert.ok(Number(invite![0]) > Number(removal![0]), 'newest first');
    assert.ok(!res.text.includes('\n') || res.text.split('\r\n').length > 2, 'CRLF records');

    const filtered = fromCsv((await s.h.request('GET', '/api/v1/audit/export?category=consent&from=2026-12-02', { token: s.admin })).text).slice(1);
    assert.deepEqual(filtered.map((r) => [r[3], r[5]]).sort(), [['Bo Berg', 'consent.revoked'], ['Bo Berg', 'tenant.microsoft_consent']]);
    const none = await s.h.request('GET', '/api/v1/audit/export?from=2030-01-01', { token: s.admin });
    assert.deepEqual(fromCsv(none.text), [[...EXPORT_HEADER]], 'only the header');
  });

  test('export reads the log a page at a time: the pages join to the same file as one page', async () => {
    await seed();
    const tenant = ADMIN.tenantId;
    const chunks: string[] = [];
    for await (const c of auditCsv(s.h.store, tenant, {}, 4)) chunks.push(c);
    const whole: string[] = [];
    for await (const c of auditCsv(s.h.store, tenant, {}, 100_000)) whole.push(c);
    assert.equal(whole.length, 1);
    const total = (await all(s.h, s.admin, '')).length;
    assert.ok(chunks.length >= Math.ceil(total / 4), `${chunks.length} chunks for ${total} entries`);
    assert.equal(chunks.join(''), whole[0]);
    assert.equal(fromCsv(whole[0]!).length, total + 1);
    const http = await s.h.request('GET', '/api/v1/audit/export', { token: s.admin });
    assert.equal(http.text, whole[0]);
  });

  test("another tenant's entries are never in a page, an export or the actors, whatever the filter", async () => {
    await seed();
    for (const q of ['', 'actor=5', 'category=links', 'action=link.removed', 'entityId=otto-0', 'from=2026-12-02&to=2026-12-02']) {
      const page = await all(s.h, s.admin, q);
      assert.ok(page.every((e) => !String(e.entityId).startsWith('otto-') && e.actor.name !== OTHER_ADMIN.associateName), q);
      const file = (await s.h.request('GET', `/api/v1/audit/export?${q}`, { token: s.admin })).text;
      assert.ok(!file.includes('otto-') && !file.includes(OTHER_ADMIN.associateName), q);
      const theirs = await all(s.h, s.other, q);
      assert.ok(theirs.every((e) => String(e.entityId).startsWith('otto-')), `${q}: the other tenant sees only its own`);
    }
    assert.equal((await all(s.h, s.other, '')).length, Object.keys({ ...WRITTEN, ...COMING }).length);
  });

  test('bad filters get 400 ValidationFailed naming the parameter, and change nothing', async () => {
    await seed();
    const bad: [string, string][] = [
      ['actor=0', 'query.actor'],
      ['actor=abc', 'query.actor'],
      ['actor=1.5', 'query.actor'],
      ['actor=2147483648', 'query.actor'],
      ['category=everything', 'query.category'],
      ['category=Links', 'query.category'],
      ['action=link', 'query.action'],
      ['action=LINK.removed', 'query.action'],
      ['action=link.%25', 'query.action'],
      [`action=${'a.'.repeat(40)}b`, 'query.action'],
      ['from=yesterday', 'query.from'],
      ['from=2026-02-30', 'query.from'],
      ['from=2026-12-03T10:00:00', 'query.from'],
      ['to=1999-12-31', 'query.to'],
      ['from=2026-12-03&to=2026-12-02', 'query.from'],
      ['from=2026-12-03T10:00:00.001Z&to=2026-12-03T10:00:00.000Z', 'query.from'],
      ['from=2026-12-01&from=2026-12-02', 'query.from'],
      ['user=5', 'query'],
    ];
    for (const [q, path] of bad) {
      for (const url of [`/api/v1/audit?${q}`, `/api/v1/audit/export?${q}`]) {
        const error = await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('GET', url, { token: s.admin }));
        assert.ok(error.details.some((d: { path: string }) => d.path === path || (path === 'query' && d.path.startsWith('query'))), `${url}: ${JSON.stringify(error.details)}`);
      }
    }
    await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('GET', '/api/v1/audit/export?limit=5', { token: s.admin }));
    await refusedBy(s.h, 400, 'ValidationFailed', () => s.h.request('GET', '/api/v1/audit/actors?actor=5', { token: s.admin }));
    // The same instant on both ends is one millisecond, and valid.
    assert.equal((await s.h.request('GET', '/api/v1/audit?from=2026-12-03T00:00:00.000Z&to=2026-12-03T00:00:00.000Z', { token: s.admin })).body.entries.length, 2);
  });

  test('a non-administrator gets 403 AdminRequired from every audit endpoint, and nothing changes', async () => {
    for (const url of ['/api/v1/audit', '/api/v1/audit?actor=5', '/api/v1/audit/actors', '/api/v1/audit/export', '/api/v1/audit/export?category=links']) {
      await refusedBy(s.h, 403, 'AdminRequired', () => s.h.request('GET', url, { token: s.user }));
    }
  });
});

describe('GET /api/v1/audit/export with 100,000 entries', () => {
  const s = suiteHarness();

  test('streams every entry a page at a time: no chunk holds more than one page', async (t) => {
    const actor = ACTORS.bo!;
    const changes = Array.from({ length: 100_000 }, (_, i) => change(i % 2 ? 'link.options_changed' : 'link.removed', `e-${i}`, { rank: i % 99 }));
    await write(s.h, actor, '2026-12-02T10:00:00.000Z', changes);
    const started = Date.now();
    let chunks = 0;
    let largest = 0;
    let records = 0;
    for await (const c of auditCsv(s.h.store, ADMIN.tenantId, { category: 'links' })) {
      chunks += 1;
      largest = Math.max(largest, c.length);
      records += c.split('\r\n').length - 1;
    }
    t.diagnostic(`100,000 entries: ${chunks} chunks, largest ${largest} characters, ${Date.now() - started} ms`);
    assert.equal(records, 100_001, 'the header and every entry');
    assert.ok(chunks >= 100, `${chunks} chunks`);
    assert.ok(largest < 200_000, `a chunk of ${largest} characters is more than a page`);
    const server = await s.h.listen();
    try {
      const res = await fetch(`${server.url}/api/v1/audit/export?action=link.removed`, { headers: { authorization: `Bearer ${s.admin}` } });
      assert.equal(res.status, 200);
      let lines = 0;
      for await (const part of res.body!) lines += Buffer.from(part).toString('utf8').split('\n').length - 1;
      assert.equal(lines, 50_001);
    } finally {
      await server.close();
    }
  });
});
