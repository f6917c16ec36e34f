import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  ADMIN,
  allLinks,
  OTHER_ADMIN,
  USER,
  dumpDatabase,
  makeHarness,
  newLink,
  seedHistory,
  testDialects,
  type Harness,
} from '../../helpers/harness.js';

for (const dialect of testDialects()) {
  describe(`links API (${dialect})`, () => {
    let h: Harness;
    let admin: string;
    let user: string;
    let other: string;

    before(async () => {
      h = await makeHarness({ dialect });
      admin = await h.token(ADMIN);
      user = await h.token(USER);
      other = await h.token(OTHER_ADMIN);
    });
    after(() => h.close());

    async function save(links: unknown[], token = admin) {
      return h.request('POST', '/api/v1/links', { token, body: { links } });
    }
    const list = (token = admin) => allLinks(h, token);
    /** Asserts the request fails with `status`/`code` and the database did not change. */
    async function refused(status: number, code: string, send: () => Promise<{ status: number; body: any }>) {
      const before = await dumpDatabase(h.store);
      const res = await send();
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
      assert.equal(typeof res.body.error.message, 'string');
      assert.ok(Array.isArray(res.body.error.details));
      assert.equal(await dumpDatabase(h.store), before, 'the database changed');
      return res.body.error;
    }

    describe('Save Added Users', () => {
      test('saves a batch and lists it with options, rank, version and history count', async () => {
        const a = newLink();
        const b = newLink(undefined, { diary: false, rank: 7 });
        const res = await save([a, b]);
        assert.equal(res.status, 201);
        assert.equal(res.body.created.length, 2);
        assert.deepEqual(res.body.unchanged, []);
        const saved = (await list()).filter((l) => [a.associateId, b.associateId].includes(l.associateId));
        assert.equal(saved.length, 2);
        const sb = saved.find((l) => l.associateId === b.associateId);
        assert.equal(sb.mailboxId, b.mailboxId);
        assert.equal(sb.mailboxAddress, b.mailboxAddress);
        assert.equal(sb.associateName, b.associateName);
        assert.deepEqual([sb.diary, sb.task, sb.contact, sb.rank, sb.version], [false, true, true, 7, 1]);
        assert.equal(sb.state, 'active');
        assert.equal(sb.historyCount, 0);
        assert.equal(sb.createdBy, ADMIN.associateId);
      });

      test('a retry of a saved batch writes nothing and reports the links as unchanged', async () => {
        const batch = [newLink(), newLink()];
        assert.equal((await save(batch)).status, 201);
        const before = await dumpDatabase(h.store);
        const retry = await save(batch);
        assert.equal(retry.status, 200);
        assert.equal(retry.body.created.length, 0);
        assert.equal(retry.body.unchanged.length, 2);
        assert.equal(await dumpDatabase(h.store), before);
      });

      test('a mailbox GUID in upper case is the same mailbox', async () => {
        const a = newLink();
        await save([a]);
        const err = await refused(409, 'AlreadyLinked', () =>
          save([{ ...newLink(), mailboxId: a.mailboxId.toUpperCase() }]),
        );
        assert.equal(err.details[0].code, 'MailboxAlreadyLinked');
      });

      test('an associate already linked to another mailbox fails the whole batch', async () => {
        const a = newLink();
        await save([a]);
        const fresh = newLink();
        const err = await refused(409, 'AlreadyLinked', () => save([fresh, { ...newLink(), associateId: a.associateId }]));
        assert.equal(err.details.length, 1);
        assert.equal(err.details[0].code, 'AssociateAlreadyLinked');
        assert.equal(err.details[0].path, 'body.links.1.associateId');
        assert.match(err.details[0].message, new RegExp(a.mailboxAddress));
        assert.ok(!(await list()).some((l) => l.associateId === fresh.associateId), 'nothing of the batch was saved');
      });

      test('a mailbox already linked to another associate fails the whole batch', async () => {
        const a = newLink();
        await save([a]);
        const err = await refused(409, 'AlreadyLinked', () => save([{ ...newLink(), mailboxId: a.mailboxId }]));
        assert.equal(err.details[0].code, 'MailboxAlreadyLinked');
      });

      test('a batch of 2,000 conflicts answers with the first 100 and says how many there are', async () => {
        const saved = Array.from({ length: 2_000 }, (_, i) => newLink(3_000_000 + i));
        assert.equal((await save(saved)).status, 201);
        const clashing = saved.map((l, i) => ({ ...newLink(4_000_000 + i), mailboxId: l.mailboxId }));
        const before = await dumpDatabase(h.store);
        const res = await save(clashing);
        assert.equal(res.status, 409);
        assert.equal(res.body.error.code, 'AlreadyLinked');
        assert.equal(res.body.error.details.length, 100);
        assert.deepEqual(res.body.error.details.map((d: any) => d.path), clashing.slice(0, 100).map((_, i) => `body.links.${i}.mailboxId`));
        assert.match(res.body.error.message, /^2000 of these associates or mailboxes are already linked \(the first 100 are listed\)\. Nothing was saved\.$/);
        assert.ok(res.text.length < 40_000, `${res.text.length} bytes`);
        assert.equal(await dumpDatabase(h.store), before);
      });

      test('duplicates inside one batch are refused with their positions', async () => {
        const a = newLink();
        const err = await refused(400, 'ValidationFailed', () =>
          save([a, { ...newLink(), associateId: a.associateId }, { ...newLink(), mailboxId: a.mailboxId }]),
        );
        const paths = err.details.map((d: any) => d.path);
        assert.ok(paths.includes('body.links.1.associateId'), paths.join());
        assert.ok(paths.includes('body.links.2.mailboxId'), paths.join());
      });

      const badLinks: [string, Record<string, unknown>][] = [
        ['rank 0', { rank: 0 }],
        ['rank 100', { rank: 100 }],
        ['rank 1.5', { rank: 1.5 }],
        ['rank "x"', { rank: 'x' }],
        ['rank "5" as text', { rank: '5' }],
        ['rank null', { rank: null }],
        ['associate id as text', { associateId: '12' }],
        ['negative associate id', { associateId: -1 }],
        ['associate id beyond int', { associateId: 2 ** 31 }],
        ['mailbox id not a GUID', { mailboxId: 'abc' }],
        ['mailbox address not an email', { mailboxAddress: 'not-an-email' }],
        ['empty associate name', { associateName: '   ' }],
        ['associate name with control characters', { associateName: 'Ada\u0000Admin' }],
        ['associate name too long', { associateName: 'x'.repeat(201) }],
        // Once stored mangled: read back as a\ufffd\ufffd\ufffdb.
        ['associate name with a lone high surrogate', { associateName: 'a\ud800b' }],
        ['associate name with a lone low surrogate', { associateName: 'Ada \udc00' }],
        ['associate name with a right-to-left override', { associateName: 'Ada \u202Enimda' }],
        ['associate name with a bidi isolate', { associateName: '\u2067Ada\u2069 Admin' }],
        ['associate name with a right-to-left mark', { associateName: 'Ada\u200F Admin' }],
        ['associate name with a zero-width space', { associateName: 'Ada\u200BAdmin' }],
        ['associate name with a zero-width joiner between Latin letters', { associateName: 'Ada\u200DAdmin' }],
        ['associate name with a byte order mark inside', { associateName: 'Ada\uFEFFAdmin' }],
        ['associate name with a line separator', { associateName: 'Ada\u2028Admin' }],
        ['diary as text', { diary: 'yes' }],
        ['unknown field', { dairy: true }],
      ];
      for (const [name, patch] of badLinks) {
        test(`refuses ${name} with 400 and changes nothing`, async () => {
          const err = await refused(400, 'ValidationFailed', () => save([newLink(), { ...newLink(), ...patch }]));
          assert.ok(err.details.every((d: any) => d.path.startsWith('body.links.1')), JSON.stringify(err.details));
        });
      }

      test('refuses a body that is not the expected shape', async () => {
        await refused(400, 'ValidationFailed', () => h.request('POST', '/api/v1/links', { token: admin, body: [newLink()] }));
        await refused(400, 'ValidationFailed', () => save([]));
        await refused(400, 'ValidationFailed', () => h.request('POST', '/api/v1/links', { token: admin, body: { links: 'all' } }));
      });

      test('refuses malformed JSON with 400 and a non-JSON body with 415', async () => {
        await refused(400, 'InvalidJson', () =>
          h.request('POST', '/api/v1/links', { token: admin, raw: '{"links": [', headers: { 'content-type': 'application/json' } }),
        );
        await refused(415, 'UnsupportedMediaType', () =>
          h.request('POST', '/api/v1/links', { token: admin, raw: 'links=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
        );
      });

      test('refuses an oversized body with 413', async () => {
        const huge = JSON.stringify({ links: [{ ...newLink(), associateName: 'x'.repeat(6 * 1024 * 1024) }] });
        await refused(413, 'PayloadTooLarge', () =>
          h.request('POST', '/api/v1/links', { token: admin, raw: huge, headers: { 'content-type': 'application/json' } }),
        );
      });

      test('refuses more links than one batch may hold', async () => {
        const many = Array.from({ length: 20_001 }, (_, i) => newLink(1_000_000 + i));
        await refused(400, 'ValidationFailed', () => save(many));
      });

      test('names in any script are stored and returned as given: emoji sequences, ZWNJ in Persian, combining marks, right-to-left text', async () => {
        for (const name of ['👩\u200D💻 Ada', 'می\u200Cخواهم', 'Zoe\u0308', 'שלום עולם', '𝕏 Æsir']) {
          const a = newLink(undefined, { associateName: name });
          assert.equal((await save([a])).status, 201, name);
          assert.equal((await list()).find((l) => l.associateId === a.associateId).associateName, name);
        }
      });

      test('names with HTML are stored and returned as given text', async () => {
        const name = '<img src=x onerror=alert(1)> & "Ola"';
        const a = newLink(undefined, { associateName: name });
        await save([a]);
        assert.equal((await list()).find((l) => l.associateId === a.associateId).associateName, name);
      });
    });

    describe('Save Users Options', () => {
      let link: any;
      beforeEach(async () => {
        link = (await save([newLink()])).body.created[0];
      });

      function change(extra: Record<string, unknown> = {}) {
        return { id: link.id, diary: false, task: true, contact: false, rank: 42, expectedVersion: link.version, ...extra };
      }

      test('saves options and rank, bumps the version, and audits the change', async () => {
        const res = await h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change()] } });
        assert.equal(res.status, 200);
        assert.deepEqual(
          [res.body.updated[0].diary, res.body.updated[0].contact, res.body.updated[0].rank, res.body.updated[0].version],
          [false, false, 42, 2],
        );
        const listed = (await list()).find((l) => l.id === link.id);
        assert.deepEqual([listed.diary, listed.task, listed.contact, listed.rank, listed.version], [false, true, false, 42, 2]);
        const audit = await h.request('GET', `/api/v1/audit?entityId=${link.id}`, { token: admin });
        const entry = audit.body.entries[0];
        assert.equal(entry.action, 'link.options_changed');
        assert.equal(entry.before.rank, 1);
        assert.equal(entry.after.rank, 42);
        assert.equal(entry.actor.associateId, ADMIN.associateId);
      });

      test('unchecking Diary, Task and Contact disables the user but keeps the link and its history', async () => {
        await seedHistory(h.store, ADMIN.tenantId, link.id, 5);
        const res = await h.request('PATCH', '/api/v1/links', {
          token: admin,
          body: { changes: [change({ diary: false, task: false, contact: false })] },
        });
        assert.equal(res.status, 200);
        const listed = (await list()).find((l) => l.id === link.id);
        assert.equal(listed.state, 'disabled');
        assert.equal(listed.historyCount, 5);
      });

      test('saving the same values changes nothing and writes no audit row', async () => {
        const before = await dumpDatabase(h.store);
        const res = await h.request('PATCH', '/api/v1/links', {
          token: admin,
          body: { changes: [change({ diary: true, task: true, contact: true, rank: 1 })] },
        });
        assert.equal(res.status, 200);
        assert.equal(res.body.unchanged.length, 1);
        assert.equal(await dumpDatabase(h.store), before);
      });

      test('a stale version gets 409 and nothing in the batch is written', async () => {
        const second = (await save([newLink()])).body.created[0];
        await h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change()] } });
        const err = await refused(409, 'VersionConflict', () =>
          h.request('PATCH', '/api/v1/links', {
            token: admin,
            body: {
              changes: [
                { id: second.id, diary: false, task: false, contact: true, rank: 3, expectedVersion: 1 },
                change({ rank: 50 }),
              ],
            },
          }),
        );
        assert.equal(err.details.length, 1);
        assert.equal(err.details[0].linkId, link.id);
        assert.equal(err.details[0].currentVersion, 2);
      });

      test('two saves with the same expected version at once: one 200, one 409', async () => {
        const [a, b] = await Promise.all([
          h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change({ rank: 10 })] } }),
          h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change({ rank: 20 })] } }),
        ]);
        assert.deepEqual([a.status, b.status].sort(), [200, 409]);
        const winner = a.status === 200 ? 10 : 20;
        const listed = (await list()).find((l) => l.id === link.id);
        assert.equal(listed.rank, winner);
        assert.equal(listed.version, 2);
        const audit = await h.request('GET', `/api/v1/audit?entityId=${link.id}`, { token: admin });
        assert.equal(audit.body.entries.filter((e: any) => e.action === 'link.options_changed').length, 1);
      });

      for (const [name, patch] of [
        ['rank 0', { rank: 0 }],
        ['rank 100', { rank: 100 }],
        ['rank 1.5', { rank: 1.5 }],
        ['rank "x"', { rank: 'x' }],
        ['a missing option', { contact: undefined }],
        ['expected version 0', { expectedVersion: 0 }],
        ['a link id that is not an id', { id: '1 or 1=1' }],
      ] as const) {
        test(`refuses ${name} with 400`, async () => {
          await refused(400, 'ValidationFailed', () =>
            h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change(patch)] } }),
          );
        });
      }

      test('the same link twice in one batch is refused', async () => {
        await refused(400, 'ValidationFailed', () =>
          h.request('PATCH', '/api/v1/links', { token: admin, body: { changes: [change(), change({ rank: 3 })] } }),
        );
      });

      test('an unknown link id gets 404 and nothing in the batch is written', async () => {
        const err = await refused(404, 'LinkNotFound', () =>
          h.request('PATCH', '/api/v1/links', {
            token: admin,
            body: { changes: [change(), change({ id: '11111111-1111-4111-8111-111111111111' })] },
          }),
        );
        assert.equal(err.details[0].linkId, '11111111-1111-4111-8111-111111111111');
      });
    });

    describe('Remove Selected Users', () => {
      test('preview counts links and history rows and changes nothing; removal deletes both and audits', async () => {
        const [a, b] = (await save([newLink(), newLink()])).body.created;
        await seedHistory(h.store, ADMIN.tenantId, a.id, 7);
        await seedHistory(h.store, ADMIN.tenantId, b.id, 3);
        const before = await dumpDatabase(h.store);
        const preview = await h.request('POST', '/api/v1/links/removal-preview', { token: admin, body: { ids: [a.id, b.id] } });
        assert.equal(preview.status, 200);
        assert.equal(preview.body.links, 2);
        assert.equal(preview.body.historyRows, 10);
        assert.deepEqual(preview.body.users.map((u: any) => u.historyRows), [7, 3]);
        assert.equal(await dumpDatabase(h.store), before);

        const removal = await h.request('POST', '/api/v1/links/removal', { token: admin, body: { ids: [a.id, b.id] } });
        assert.equal(removal.status, 200);
        assert.equal(removal.body.removed.links, 2);
        assert.equal(removal.body.removed.historyRows, 10);
        const ids = (await list()).map((l) => l.id);
        assert.ok(!ids.includes(a.id) && !ids.includes(b.id));
        const left = await h.store.db
          .selectFrom('sync_item')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('associate_id', 'in', [a.associateId, b.associateId])
          .executeTakeFirstOrThrow();
        assert.equal(Number(left.n), 0);
        const audit = await h.request('GET', `/api/v1/audit?entityId=${a.id}`, { token: admin });
        assert.equal(audit.body.entries[0].action, 'link.removed');
        assert.equal(audit.body.entries[0].before.historyRows, 7);
        assert.equal(audit.body.entries[0].after, null);
      });

      test('an unknown id fails the whole removal with 404', async () => {
        const [a] = (await save([newLink()])).body.created;
        await refused(404, 'LinkNotFound', () =>
          h.request('POST', '/api/v1/links/removal', {
            token: admin,
            body: { ids: [a.id, '22222222-2222-4222-8222-222222222222'] },
          }),
        );
        await refused(404, 'LinkNotFound', () =>
          h.request('POST', '/api/v1/links/removal-preview', {
            token: admin,
            body: { ids: ['22222222-2222-4222-8222-222222222222'] },
          }),
        );
      });

      test('refuses an empty, duplicated or malformed id list', async () => {
        const [a] = (await save([newLink()])).body.created;
        for (const ids of [[], [a.id, a.id], ['x'], 'all', [1]]) {
          await refused(400, 'ValidationFailed', () => h.request('POST', '/api/v1/links/removal', { token: admin, body: { ids } }));
        }
      });
    });

    describe('access', () => {
      test('no token, a malformed token, or a forged token gets 401 on every endpoint', async () => {
        const forged = 'sls_' + 'A'.repeat(43);
        const calls: [string, string, unknown][] = [
          ['GET', '/api/v1/links', undefined],
          ['POST', '/api/v1/links', { links: [newLink()] }],
          ['PATCH', '/api/v1/links', { changes: [] }],
          ['POST', '/api/v1/links/removal-preview', { ids: [] }],
          ['POST', '/api/v1/links/removal', { ids: [] }],
          ['GET', '/api/v1/audit', undefined],
          ['GET', '/api/v1/session', undefined],
          ['DELETE', '/api/v1/session', undefined],
        ];
        for (const [method, url, body] of calls) {
          for (const token of [undefined, 'garbage', forged, admin + 'x']) {
            const err = await refused(401, token ? 'InvalidSession' : 'Unauthenticated', () =>
              h.request(method, url, { token, body }),
            );
            assert.ok(!JSON.stringify(err).includes(admin));
          }
          const basic = await h.request(method, url, { headers: { authorization: `Basic ${admin}` }, body });
          assert.equal(basic.status, 401);
        }
      });

      test('an expired session gets 401', async () => {
        const old = h.now.value;
        const token = await h.token(ADMIN);
        h.now.value = new Date(old.getTime() + (h.config.sessionTtlMinutes + 1) * 60_000);
        try {
          await refused(401, 'InvalidSession', () => h.request('GET', '/api/v1/links', { token }));
        } finally {
          h.now.value = old;
        }
      });

      test('a non-administrator may read the list but gets 403 on every mutation and on the audit log', async () => {
        const [a] = (await save([newLink()])).body.created;
        assert.equal((await h.request('GET', '/api/v1/links', { token: user })).status, 200);
        await refused(403, 'AdminRequired', () => save([newLink()], user));
        await refused(403, 'AdminRequired', () =>
          h.request('PATCH', '/api/v1/links', {
            token: user,
            body: { changes: [{ id: a.id, diary: true, task: true, contact: true, rank: 2, expectedVersion: 1 }] },
          }),
        );
        await refused(403, 'AdminRequired', () => h.request('POST', '/api/v1/links/removal-preview', { token: user, body: { ids: [a.id] } }));
        await refused(403, 'AdminRequired', () => h.request('POST', '/api/v1/links/removal', { token: user, body: { ids: [a.id] } }));
        await refused(403, 'AdminRequired', () => h.request('GET', '/api/v1/audit', { token: user }));
      });

      test("another tenant's links are invisible and their ids get 404", async () => {
        const [a] = (await save([newLink()])).body.created;
        assert.ok(!(await list(other)).some((l) => l.id === a.id));
        await refused(404, 'LinkNotFound', () =>
          h.request('PATCH', '/api/v1/links', {
            token: other,
            body: { changes: [{ id: a.id, diary: true, task: true, contact: true, rank: 2, expectedVersion: 1 }] },
          }),
        );
        await refused(404, 'LinkNotFound', () => h.request('POST', '/api/v1/links/removal-preview', { token: other, body: { ids: [a.id] } }));
        await refused(404, 'LinkNotFound', () => h.request('POST', '/api/v1/links/removal', { token: other, body: { ids: [a.id] } }));
        const audit = await h.request('GET', `/api/v1/audit?entityId=${a.id}`, { token: other });
        assert.deepEqual(audit.body.entries, []);
      });

      test('the same associate and mailbox may be linked in another tenant', async () => {
        const a = newLink();
        assert.equal((await save([a])).status, 201);
        assert.equal((await save([a], other)).status, 201);
      });
    });
  });
}
