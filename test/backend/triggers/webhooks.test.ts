import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { readTime } from '../../../backend/db/dialect.js';
import type { SyncWorker } from '../../../backend/sync/worker.js';
import { reconcileWebhooks, type WebhookDeps } from '../../../backend/triggers/webhook.service.js';
import type { WebhookStore } from '../../../simulators/superoffice/webhook.store.js';
import { silent, TEN_MINUTES, until } from './support.js';
import { at, makeWorld, type World, type WorldUser } from '../sync/diary/world.js';

/**
 * SuperOffice webhooks end to end: the SuperOffice simulator signs and posts `activity.*` to the
 * backend listening on loopback; only a correct X-SuperOffice-Signature makes the associate's
 * mailbox due. With a 10-minute polling interval, a change synced within seconds was brought
 * forward by its webhook.
 */

describe('SuperOffice webhooks', () => {
  let w: World;
  let server: { url: string; close(): Promise<void> };
  let deps: WebhookDeps;
  let hooks: WebhookStore;
  let worker: SyncWorker | null = null;

  before(async () => {
    w = await makeWorld({ users: 3, intervalMs: TEN_MINUTES });
    server = await w.h.listen();
    hooks = w.h.env.superoffice.control.webhooks();
    deps = { store: w.h.store, integration: w.h.integration, baseUrl: server.url, now: () => new Date(), logger: silent };
  });
  after(async () => {
    await worker?.stop();
    await hooks.settled();
    await server.close();
    await w.close();
  });

  const dueOf = async (user: WorldUser) => readTime((await w.mailbox(user)).next_due_at);
  const post = (body: string, headers: Record<string, string>, tenant = w.tenantId) =>
    fetch(`${server.url}/hooks/superoffice/${tenant}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  test('one webhook per tenant, registered with a fresh secret that is kept sealed; a second sweep registers nothing', async () => {
    assert.deepEqual(await reconcileWebhooks(deps), { registered: 1, reactivated: 0, failed: 0 });
    const [hook] = hooks.all();
    assert.equal(hooks.all().length, 1);
    assert.equal(hook!.targetUrl, `${server.url}/hooks/superoffice/${w.tenantId}`);
    assert.deepEqual(hook!.events, ['activity.created', 'activity.changed', 'activity.deleted', 'person.created', 'person.changed', 'person.deleted']);
    const row = await w.h.store.db.selectFrom('superoffice_webhook').selectAll().executeTakeFirstOrThrow();
    assert.ok(!row.secret_sealed.includes(hook!.secret));
    assert.deepEqual(await reconcileWebhooks(deps), { registered: 0, reactivated: 0, failed: 0 });
  });

  test('a bad or missing signature is a 401 and changes nothing; a good one makes the mailbox due now', async () => {
    const user = w.users[0]!;
    await w.pass(user);
    const due = await dueOf(user);
    const body = JSON.stringify({ EventId: 'e1', Event: 'activity.changed', Entity: 'appointment', PrimaryKey: 1, ContextIdentifier: w.tenantId, ChangedByAssociateId: 0, FieldValues: { associate_id: user.associateId } });
    const forged = createHmac('sha256', 'not the secret').update(body).digest('base64');
    assert.equal((await post(body, {})).status, 401);
    assert.equal((await post(body, { 'x-superoffice-signature': forged })).status, 401);
    assert.equal((await post(body, { 'x-superoffice-signature': 'AAAA' })).status, 401);
    // Another tenant (no webhook of ours): no such endpoint.
    assert.equal((await post(body, { 'x-superoffice-signature': forged }, 'Cust99999')).status, 404);
    assert.equal(await dueOf(user), due);

    const good = createHmac('sha256', hooks.all()[0]!.secret).update(body).digest('base64');
    // The body signed, then changed: refused.
    assert.equal((await post(body.replace('"e1"', '"e2"'), { 'x-superoffice-signature': good })).status, 401);
    assert.equal(await dueOf(user), due);
    assert.equal((await post(body, { 'x-superoffice-signature': good })).status, 204);
    assert.ok(Date.parse(await dueOf(user)) <= Date.now());
    const big = await post('x'.repeat(65 * 1024), { 'x-superoffice-signature': good });
    assert.equal(big.status, 413);
  });

  test('an appointment made in SuperOffice reaches Outlook within seconds under a 10-minute interval', async () => {
    const user = w.users[1]!;
    await w.pass(user);
    assert.ok(Date.parse(await dueOf(user)) - Date.now() > TEN_MINUTES - 60_000);
    worker = w.worker([user.rank], { pollMs: 100 });
    const started = Date.now();
    w.so.create(user, { title: 'From the CRM', start: at(2, 9), end: at(2, 10) });
    await until('the event in Outlook', () => w.outlook.events(user).find((e) => e.subject === 'From the CRM'));
    const took = Date.now() - started;
    assert.ok(took < 5000, `synced after ${took} ms`);
    await hooks.settled();
    const mine = hooks.deliveries.filter((d) => d.event === 'activity.created' && JSON.parse(d.body).FieldValues.associate_id === user.associateId);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.status, 204);
    await worker.stop();
    worker = null;
    assert.equal(w.outlook.events(user).filter((e) => e.subject === 'From the CRM').length, 1);
  });

  test('simulator: a failing target gets 3 attempts per event (after 1 s, then 4 s, scaled), then the event is dropped; 9 failures in a row stop the webhook', async () => {
    let calls = 0;
    const target = createServer((req, res) => {
      calls += 1;
      req.resume();
      res.statusCode = 500;
      res.end();
    });
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hook`;
    try {
      hooks.delayScale = 0.01;
      const failing = hooks.create({ Name: 'failing', Events: ['activity.created'], TargetUrl: url, Secret: 's' }, 1);
      const user = w.users[2]!;
      const before = hooks.deliveries.length;
      w.so.create(user, { title: 'One', start: at(3, 9), end: at(3, 10) });
      await hooks.settled();
      const first = hooks.deliveries.slice(before).filter((d) => d.webhookId === failing.webhookId);
      assert.deepEqual(first.map((d) => [d.attempt, d.status]), [[1, 500], [2, 500], [3, 500]]);
      assert.ok(first[1]!.at - first[0]!.at >= 10 && first[2]!.at - first[1]!.at >= 40, 'waits 1 s then 4 s (×0.01)');
      assert.equal(failing.state, 'Active');
      w.so.create(user, { title: 'Two', start: at(4, 9), end: at(4, 10) });
      await hooks.settled();
      w.so.create(user, { title: 'Three', start: at(5, 9), end: at(5, 10) });
      await hooks.settled();
      assert.equal(calls, 9);
      assert.equal(failing.state, 'TooManyErrors');
      w.so.create(user, { title: 'Four', start: at(6, 9), end: at(6, 10) });
      await hooks.settled();
      assert.equal(calls, 9, 'a stopped webhook sends nothing');
      hooks.delete(failing.webhookId);
    } finally {
      hooks.delayScale = 1;
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  test('our webhook stopped for TooManyErrors is set Active again by the next sweep', async () => {
    const ours = hooks.all()[0]!;
    ours.state = 'TooManyErrors';
    assert.deepEqual(await reconcileWebhooks(deps), { registered: 0, reactivated: 1, failed: 0 });
    assert.equal(ours.state, 'Active');
  });
});
