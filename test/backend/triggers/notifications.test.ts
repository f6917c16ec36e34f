import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { readTime } from '../../../backend/db/dialect.js';
import type { MicrosoftIntegration } from '../../../backend/integration.js';
import { graphOf } from '../../../backend/microsoft/graph.client.js';
import type { SyncWorker } from '../../../backend/sync/worker.js';
import { reconcileSubscriptions, type SubscriptionDeps } from '../../../backend/triggers/subscription.service.js';
import type { SubscriptionStore } from '../../../simulators/graph/subscriptions.js';
import { silent, TEN_MINUTES, until } from './support.js';
import { at, makeWorld, type World, type WorldUser } from '../sync/diary/world.js';

/**
 * Graph change notifications end to end, over real HTTP: the Graph simulator validates our
 * endpoint and posts notifications to the backend listening on loopback; the worker polls every
 * 10 minutes, so anything synced within seconds was brought forward by a notification.
 */

describe('Graph change notifications', () => {
  let w: World;
  let server: { url: string; close(): Promise<void> };
  let deps: SubscriptionDeps;
  let subs: SubscriptionStore;
  let worker: SyncWorker | null = null;

  before(async () => {
    w = await makeWorld({ users: 6, intervalMs: TEN_MINUTES });
    server = await w.h.listen();
    subs = w.h.env.graph.control.subscriptions;
    subs.settings.retryBaseMs = 50;
    // The app reads the notification base from its configuration (lifecycle events renew through it).
    w.h.config.triggers = { baseUrl: server.url };
    deps = { store: w.h.store, integration: w.h.integration as MicrosoftIntegration, baseUrl: server.url, now: () => new Date(), logger: silent };
  });
  after(async () => {
    await worker?.stop();
    await subs.settled();
    await server.close();
    await w.close();
  });

  const rowOf = (user: WorldUser) => w.h.store.db.selectFrom('sync_subscription').selectAll().where('mailbox_id', '=', user.mailboxId).executeTakeFirst();
  const dueOf = async (user: WorldUser) => readTime((await w.mailbox(user)).next_due_at);
  const notify = (body: unknown) => fetch(`${server.url}/hooks/graph/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('one subscription per linked mailbox with Diary on, each endpoint validated first; a second sweep changes nothing', async () => {
    const first = await reconcileSubscriptions(deps);
    assert.deepEqual(first, { created: 6, renewed: 0, deleted: 0, failed: 0 });
    assert.equal(subs.subscriptions.size, 6);
    const validations = subs.deliveries.filter((d) => d.kind === 'validation');
    // The notification URL and the lifecycle URL of each, each answered 200 with the token.
    assert.equal(validations.length, 12);
    assert.ok(validations.every((d) => d.status === 200));
    for (const s of subs.subscriptions.values()) {
      assert.equal(s.collection, 'events');
      assert.equal(s.clientState!.length, 43);
    }
    // The clientState is kept only as a hash.
    const rows = await w.h.store.db.selectFrom('sync_subscription').selectAll().execute();
    for (const r of rows) assert.ok(![...subs.subscriptions.values()].some((s) => s.clientState === r.client_state_hash));
    assert.deepEqual(await reconcileSubscriptions(deps), { created: 0, renewed: 0, deleted: 0, failed: 0 });
  });

  test('simulator: no subscription unless the endpoint echoes the token; a lifetime over 10,080 minutes or a long clientState is refused', async () => {
    const wrong = createServer((req, res) => {
      req.resume();
      res.setHeader('content-type', 'text/plain');
      res.end('not the token');
    });
    await new Promise<void>((r) => wrong.listen(0, '127.0.0.1', r));
    const graph = graphOf(deps.integration, w.h.env.tenant.entraTenantId);
    const body = (over: Record<string, unknown>) => ({
      changeType: 'created,updated,deleted',
      notificationUrl: `${server.url}/hooks/graph/notifications`,
      resource: `/users/${w.users[0]!.mailboxId}/events`,
      expirationDateTime: new Date(Date.now() + 60 * 60_000).toISOString(),
      clientState: 'x',
      ...over,
    });
    const refused = async (over: Record<string, unknown>) => {
      const err = await graph.send('POST', '/subscriptions', {}, body(over)).then(() => null, (e: { statusCode?: number }) => e);
      return err?.statusCode;
    };
    try {
      const before = subs.subscriptions.size;
      assert.equal(await refused({ notificationUrl: `http://127.0.0.1:${(wrong.address() as AddressInfo).port}/` }), 400);
      assert.equal(await refused({ expirationDateTime: new Date(Date.now() + 10_081 * 60_000).toISOString() }), 400);
      assert.equal(await refused({ clientState: 'x'.repeat(129) }), 400);
      assert.equal(await refused({ notificationUrl: 'http://example.com/hook' }), 400);
      assert.equal(subs.subscriptions.size, before);
    } finally {
      await new Promise<void>((r) => wrong.close(() => r()));
    }
  });

  test('the validation token is echoed as text/plain at once', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 1c5c1d2e';
    for (const path of ['/hooks/graph/notifications', '/hooks/graph/lifecycle']) {
      const res = await fetch(`${server.url}${path}?validationToken=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'text/plain' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await res.text(), token);
    }
  });

  test('a forged clientState or an unknown subscription changes nothing; an ill-formed body is a 400', async () => {
    const user = w.users[0]!;
    await w.pass(user);
    const due = await dueOf(user);
    const row = (await rowOf(user))!;
    const forged = { value: [{ subscriptionId: row.subscription_id, clientState: 'guessed', changeType: 'created', resource: 'x' }] };
    assert.equal((await notify(forged)).status, 202);
    assert.equal((await notify({ value: [{ subscriptionId: row.subscription_id, changeType: 'created' }] })).status, 202);
    assert.equal((await notify({ value: [{ subscriptionId: 'e9c3a1f0-0000-4000-8000-000000000000', clientState: 'x' }] })).status, 202);
    assert.equal(await dueOf(user), due);
    assert.equal((await notify('not a batch')).status, 400);
    assert.equal((await fetch(`${server.url}/hooks/graph/notifications`, { method: 'POST', body: '{' })).status, 400);
    const big = await fetch(`${server.url}/hooks/graph/notifications`, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    assert.equal(big.status, 413);
    assert.equal(await dueOf(user), due);
  });

  test('a change notified is synced within seconds with a 10-minute polling interval; a lost one is caught by the next poll', async () => {
    const user = w.users[1]!;
    await w.pass(user);
    assert.ok(Date.parse(await dueOf(user)) - Date.now() > TEN_MINUTES - 60_000);
    worker = w.worker([user.rank], { pollMs: 100 });

    const started = Date.now();
    w.outlook.create(user, { subject: 'Notified', start: { dateTime: at(2, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 10).slice(0, 19), timeZone: 'UTC' } });
    await until('the notified event in SuperOffice', () => w.so.list(user).find((a) => a.title === 'Notified'));
    const took = Date.now() - started;
    assert.ok(took < 5000, `synced after ${took} ms`);
    // Our own write (the tag on the event) is notified too and brings one more pass: let it run out.
    await subs.settled();
    await until('the passes to finish', async () => {
      const m = await w.mailbox(user);
      return m.lease_owner === null && Date.parse(readTime(m.next_due_at)) > Date.now() + 60_000 ? true : undefined;
    });

    // Notifications dropped: nothing moves until the polling interval is up.
    subs.settings.dropNotifications = true;
    w.outlook.create(user, { subject: 'Lost', start: { dateTime: at(3, 9).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(3, 10).slice(0, 19), timeZone: 'UTC' } });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(w.so.list(user).filter((a) => a.title === 'Lost').length, 0);
    // The interval is up (as ten minutes later): the poll finds it, once.
    await w.h.store.db.updateTable('sync_mailbox').set({ next_due_at: new Date(Date.now() - 1000).toISOString() }).where('mailbox_id', '=', user.mailboxId).execute();
    await until('the lost event in SuperOffice', () => w.so.list(user).find((a) => a.title === 'Lost'));
    await worker.stop();
    worker = null;
    subs.settings.dropNotifications = false;
    assert.equal(w.so.list(user).filter((a) => a.title === 'Lost').length, 1);
    assert.equal(w.so.list(user).filter((a) => a.title === 'Notified').length, 1);
  });

  test('a subscription close to expiry is renewed; one Graph no longer knows is made again', async () => {
    const user = w.users[2]!;
    const row = (await rowOf(user))!;
    await w.h.store.db.updateTable('sync_subscription').set({ expires_at: new Date(Date.now() + 3_600_000).toISOString() }).where('subscription_id', '=', row.subscription_id).execute();
    subs.subscriptions.get(row.subscription_id)!.expiresMs = Date.now() + 3_600_000;
    assert.deepEqual(await reconcileSubscriptions(deps), { created: 0, renewed: 1, deleted: 0, failed: 0 });
    const renewed = subs.subscriptions.get(row.subscription_id)!;
    assert.ok(renewed.expiresMs > Date.now() + 4000 * 60_000, 'renewed for the full lifetime');
    assert.equal(Date.parse(readTime((await rowOf(user))!.expires_at)), renewed.expiresMs);

    // Expired at Graph (gone): the renewal's 404 makes a new one.
    subs.expire(row.subscription_id);
    await w.h.store.db.updateTable('sync_subscription').set({ expires_at: new Date(Date.now() + 60_000).toISOString() }).where('subscription_id', '=', row.subscription_id).execute();
    assert.deepEqual(await reconcileSubscriptions(deps), { created: 1, renewed: 0, deleted: 0, failed: 0 });
    const again = (await rowOf(user))!;
    assert.notEqual(again.subscription_id, row.subscription_id);
    assert.ok(subs.subscriptions.has(again.subscription_id));
  });

  test('lifecycle events: reauthorizationRequired renews, subscriptionRemoved recreates and makes the mailbox due, missed forces a full comparison', async () => {
    const user = w.users[3]!;
    await w.pass(user);
    const row = (await rowOf(user))!;
    subs.subscriptions.get(row.subscription_id)!.expiresMs = Date.now() + 3_600_000;
    assert.ok(subs.lifecycle(row.subscription_id, 'reauthorizationRequired'));
    await until('the renewal', () => (subs.subscriptions.get(row.subscription_id)!.expiresMs > Date.now() + 4000 * 60_000 ? true : undefined));

    assert.ok(subs.lifecycle(row.subscription_id, 'missed'));
    await until('due now', async () => (Date.parse(await dueOf(user)) <= Date.now() ? true : undefined));
    const cursor = await w.h.store.db.selectFrom('sync_cursor').select('last_reconcile_at').where('mailbox_id', '=', user.mailboxId).where('kind', '=', 'appointment').executeTakeFirstOrThrow();
    assert.equal(cursor.last_reconcile_at, null);

    await w.pass(user);
    assert.ok(subs.lifecycle(row.subscription_id, 'subscriptionRemoved'));
    await until('a new subscription', async () => {
      const r = await rowOf(user);
      return r && r.subscription_id !== row.subscription_id && subs.subscriptions.has(r.subscription_id) ? r : undefined;
    });
    assert.ok(Date.parse(await dueOf(user)) <= Date.now());
    assert.equal(subs.subscriptions.has(row.subscription_id), false);
  });

  test('turning Diary off or removing the link deletes the subscription at Graph', async () => {
    const [a, b] = [w.users[4]!, w.users[5]!];
    await w.setOptions(a, { diary: false, task: false, contact: false });
    await w.removeAndReadd(b);
    const before = subs.subscriptions.size;
    const r = await reconcileSubscriptions(deps);
    // b is linked again (same options), so its subscription stays.
    assert.deepEqual(r, { created: 0, renewed: 0, deleted: 1, failed: 0 });
    assert.equal(subs.subscriptions.size, before - 1);
    assert.equal(await rowOf(a), undefined);
  });
});
