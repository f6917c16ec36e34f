import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { StatementFaults } from '../../helpers/faults.js';
import { ADMIN, dumpDatabase, makeHarness, newLink, seedHistory, testDialects, type Harness } from '../../helpers/harness.js';

/**
 * A database failure at any statement inside save, options or remove rolls the whole change
 * back: the database afterwards is byte-for-byte what it was, and the client gets a 500 that
 * says nothing was saved.
 */
for (const dialect of testDialects()) {
  describe(`atomicity under injected database failures (${dialect})`, () => {
    let h: Harness;
    let faulty: Harness;
    let faults: StatementFaults;
    let admin: string;

    before(async () => {
      h = await makeHarness({ dialect });
      faults = new StatementFaults();
      faulty = h.withStore(h.store.withPlugin(faults));
      admin = await h.token(ADMIN);
    });
    after(() => h.close());

    /**
     * Runs `send` once to count its statements (on a copy of the scenario made by `setup`), then
     * once per statement with that statement failing, checking nothing changed each time.
     */
    async function everyStatementFails(
      setup: () => Promise<unknown>,
      send: (arg: any) => Promise<{ status: number; body: any }>,
      okStatus: number,
    ) {
      const probeArg = await setup();
      faults.reset();
      const probe = await send(probeArg);
      assert.equal(probe.status, okStatus, JSON.stringify(probe.body));
      // The session lookup runs outside the transaction; everything after it is the change.
      const total = faults.count;
      assert.ok(total >= 3, `expected several statements, saw ${faults.kinds.join(', ')}`);
      for (let n = 2; n <= total; n++) {
        const arg = await setup();
        const before = await dumpDatabase(h.store);
        faults.reset(n);
        const res = await send(arg);
        faults.reset();
        assert.equal(res.status, 500, `statement ${n} of ${total} failed but the response was ${res.status}`);
        assert.equal(res.body.error.code, 'InternalError');
        assert.match(res.body.error.message, /Nothing was saved/);
        assert.equal(await dumpDatabase(h.store), before, `statement ${n} of ${total} left a partial change`);
      }
      return total;
    }

    test('Save Added Users: a failure at any statement saves none of the batch', async () => {
      // On SQL Server 400 links take several insert statements; each one is a failure point.
      const total = await everyStatementFails(
        async () => Array.from({ length: dialect === 'mssql' ? 400 : 30 }, () => newLink()),
        (links) => faulty.request('POST', '/api/v1/links', { token: admin, body: { links } }),
        201,
      );
      assert.ok(total >= 5);
    });

    test('Save Users Options: a failure at any statement writes none of the batch', async () => {
      await everyStatementFails(
        async () => {
          const created = (await h.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink(), newLink(), newLink()] } }))
            .body.created;
          return created.map((l: any, i: number) => ({ id: l.id, diary: false, task: i % 2 === 0, contact: true, rank: 9, expectedVersion: 1 }));
        },
        (changes) => faulty.request('PATCH', '/api/v1/links', { token: admin, body: { changes } }),
        200,
      );
    });

    test('Remove Selected Users: a failure at any statement removes no link and no history', async () => {
      await everyStatementFails(
        async () => {
          const created = (await h.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink(), newLink()] } }))
            .body.created;
          for (const l of created) await seedHistory(h.store, ADMIN.tenantId, l.id, 4);
          return created.map((l: any) => l.id);
        },
        (ids) => faulty.request('POST', '/api/v1/links/removal', { token: admin, body: { ids } }),
        200,
      );
    });

    test('the failure is logged with the request id, and the response carries no driver message', async () => {
      faults.reset(2);
      const res = await faulty.request('POST', '/api/v1/links', { token: admin, body: { links: [newLink()] } });
      faults.reset();
      assert.equal(res.status, 500);
      assert.ok(!res.text.includes('injected'));
      const requestId = String(res.headers['x-request-id']);
      assert.ok(h.logs.some((line) => line.includes('injected database failure') && line.includes(requestId)));
    });
  });
}
