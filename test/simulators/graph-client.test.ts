import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchRequestContent, BatchResponseContent, Client, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { startMicrosoftSims, type MicrosoftSims } from './ms-sim-harness.js';

/**
 * Proves the real `@microsoft/microsoft-graph-client` (3.x, default middleware chain: auth,
 * RetryHandler, redirect, telemetry, fetch) works against the simulator over HTTPS.
 */
describe('@microsoft/microsoft-graph-client against the Graph simulator', () => {
  let sims: MicrosoftSims;
  let client: Client;

  before(async () => {
    sims = await startMicrosoftSims();
    const token = await sims.appToken();
    client = Client.init({
      authProvider: (done) => done(null, token),
      baseUrl: `${sims.graph.url}/`,
      defaultVersion: 'v1.0',
      // Hostname only: the client compares hosts without the port, and only for https:// URLs.
      customHosts: new Set(['127.0.0.1']),
      // The simulator's certificate is trusted for these requests only.
      fetchOptions: { dispatcher: sims.dispatcher } as Record<string, unknown>,
    });
  });
  after(() => sims.close());

  it('pages through /users with PageIterator, one request per page', async () => {
    sims.graph.control.resetRequests();
    const first = (await client.api('/users').select(['id', 'displayName', 'mail', 'proxyAddresses']).top(25).get()) as PageCollection;
    assert.ok(first['@odata.nextLink']?.startsWith('https://127.0.0.1:'));
    const seen: string[] = [];
    const iterator = new PageIterator(client, first, (user: { id: string }) => {
      seen.push(user.id);
      return true;
    });
    await iterator.iterate();
    assert.ok(iterator.isComplete());
    assert.equal(seen.length, sims.tenant.mailboxes.length);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(sims.graph.control.requests().byRoute['GET /v1.0/users'], Math.ceil(sims.tenant.mailboxes.length / 25));
  });

  it('its RetryHandler waits Retry-After and retries a 429', async () => {
    sims.graph.control.resetRequests();
    sims.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 1 });
    const started = performance.now();
    const page = (await client.api('/users').top(3).get()) as PageCollection;
    const elapsed = performance.now() - started;
    assert.equal(page.value.length, 3);
    assert.equal(sims.graph.control.requests().byRoute['GET /v1.0/users'], 2, 'one 429, one retry');
    assert.equal(sims.graph.control.requests().throttled, 1);
    assert.ok(elapsed >= 950, `waited ${Math.round(elapsed)} ms`);
  });

  it('its RetryHandler retries an injected 503 too', async () => {
    sims.graph.control.resetRequests();
    sims.graph.control.setFaults({ unavailable: 1, retryAfterSeconds: 1 });
    const user = await client.api('/users/kari.nordmann@nordlys.example').select(['id', 'mail']).get();
    assert.equal(user.mail, 'kari.nordmann@nordlys.example');
    assert.equal(sims.graph.control.requests().byRoute['GET /v1.0/users/{id}'], 2);
  });

  it('$batch through BatchRequestContent: versionless step URLs work, versioned ones are refused like Graph does', async () => {
    const step = (id: string, base: string, mailbox: string) => ({
      id,
      request: new Request(`${base}/users/${mailbox}/mailboxSettings/userPurpose`, { method: 'GET' }),
    });
    const content = new BatchRequestContent([
      step('1', sims.graph.url, DEMO_CASES.sharedMailboxId),
      step('2', sims.graph.url, DEMO_CASES.noMailboxIds[0]!),
    ]);
    const answer = new BatchResponseContent(await client.api('/$batch').post(await content.getContent()));
    const shared = answer.getResponseById('1');
    assert.equal(shared.status, 200);
    assert.equal(((await shared.json()) as { value: string }).value, 'shared');
    assert.equal(answer.getResponseById('2').status, 404);

    // SDK 3.0.7 strips only scheme and host, so a `…/v1.0/…` step becomes `/v1.0/users/…`.
    const versioned = new BatchRequestContent([step('1', `${sims.graph.url}/v1.0`, DEMO_CASES.sharedMailboxId)]);
    await assert.rejects(client.api('/$batch').post(await versioned.getContent()), (err: { statusCode?: number; message?: string }) => {
      assert.equal(err.statusCode, 400);
      assert.equal(err.message, 'Invalid batch payload format.');
      return true;
    });
  });

  it('surfaces Graph errors as GraphError with status and code', async () => {
    await assert.rejects(client.api('/users').top(1000).get(), (err: { statusCode?: number; code?: string }) => {
      assert.equal(err.statusCode, 400);
      assert.equal(err.code, 'Request_UnsupportedQuery');
      return true;
    });
  });
});
