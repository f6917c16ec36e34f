import { deepEqual, equal, ok } from '../test-support/assert.js';
import { PanelApi, PanelApiError } from './api-client.js';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A fetch that records requests and answers with the given status and JSON. */
function fakeFetch(status: number, body: unknown, sent: Sent[]): typeof fetch {
  return async (input, init = {}) => {
    sent.push({ url: String(input), init });
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  };
}

describe('PanelApi', () => {
  it('sends the session token as a bearer token and JSON bodies', async () => {
    const sent: Sent[] = [];
    const api = new PanelApi('/api/v1', fakeFetch(201, { created: [], unchanged: [] }, sent));
    api.useToken('sls_abc');
    await api.saveAddedUsers([]);
    const headers = sent[0]!.init.headers as Record<string, string>;
    equal(sent[0]!.url, '/api/v1/links');
    equal(sent[0]!.init.method, 'POST');
    equal(headers.authorization, 'Bearer sls_abc');
    equal(headers['content-type'], 'application/json');
    deepEqual(JSON.parse(String(sent[0]!.init.body)), { links: [] });
  });

  it('turns the error envelope into a PanelApiError with code, message and details', async () => {
    const api = new PanelApi('/api/v1', fakeFetch(409, { error: { code: 'VersionConflict', message: 'Reload.', details: [{ message: 'x', linkId: 'l1' }] } }, []));
    try {
      await api.saveUsersOptions([]);
      ok(false, 'should have thrown');
    } catch (err) {
      ok(err instanceof PanelApiError);
      equal(err.status, 409);
      equal(err.code, 'VersionConflict');
      equal(err.message, 'Reload.');
      equal(err.details[0]!.linkId, 'l1');
    }
  });

  it('follows nextCursor page by page and returns the whole list of linked users', async () => {
    const sent: string[] = [];
    const pages: Record<string, unknown> = {
      '/api/v1/links': { links: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1.x' },
      '/api/v1/links?cursor=c1.x': { links: [{ id: 'c' }], nextCursor: 'c/2+=' },
      '/api/v1/links?cursor=c%2F2%2B%3D': { links: [{ id: 'd' }], nextCursor: null },
    };
    const api = new PanelApi('/api/v1', async (input) => {
      sent.push(String(input));
      const body = pages[String(input)];
      return new Response(JSON.stringify(body ?? { error: { code: 'ValidationFailed', message: 'bad cursor', details: [] } }), {
        status: body ? 200 : 400,
        headers: { 'content-type': 'application/json' },
      });
    });
    deepEqual((await api.links()).map((l) => l.id), ['a', 'b', 'c', 'd']);
    deepEqual(sent, Object.keys(pages), 'one request per page, the cursor passed back escaped, none after the last');
  });

  it('reports an unreachable server as a network error, and lets an abort through', async () => {
    const down = new PanelApi('/api/v1', async () => {
      throw new TypeError('Failed to fetch');
    });
    try {
      await down.links();
      ok(false);
    } catch (err) {
      ok(err instanceof PanelApiError && err.code === 'NetworkError');
    }
    const aborting = new PanelApi('/api/v1', async () => {
      throw new DOMException('aborted', 'AbortError');
    });
    try {
      await aborting.links();
      ok(false);
    } catch (err) {
      equal((err as Error).name, 'AbortError');
    }
  });

  it('passes the Graph cursor back encoded, and maps the mailbox check to a Map', async () => {
    const sent: Sent[] = [];
    const api = new PanelApi('/api/v1', fakeFetch(200, { mailboxes: [], next: null, total: 0 }, sent));
    await api.mailboxPage('https://graph.example/v1.0/users?$skiptoken=a&b');
    equal(sent[0]!.url, `/api/v1/mailboxes?cursor=${encodeURIComponent('https://graph.example/v1.0/users?$skiptoken=a&b')}`);
    const checker = new PanelApi('/api/v1', fakeFetch(200, { results: [{ id: 'm1', kind: 'shared' }] }, []));
    equal((await checker.checkMailboxes(['m1'])).get('m1'), 'shared');
  });

  it('reads and changes the tenant settings, invites and authorizations at their endpoints', async () => {
    const sent: Sent[] = [];
    const answers: Record<string, unknown> = {
      'PATCH /api/v1/tenant': { id: 'T', mode: 'oauth' },
      'GET /api/v1/invites': { invites: [{ id: 'i1' }] },
      'POST /api/v1/invites': { invites: [], links: [], skipped: [], failed: [] },
      'POST /api/v1/invites/revoke': { revoked: [{ id: 'i1' }] },
      'GET /api/v1/authorizations': { authorizations: [{ mailboxId: 'm1' }] },
      'POST /api/v1/authorizations/revoke': { revoked: [], disabledLinks: 2 },
    };
    const api = new PanelApi('/api/v1', async (input, init = {}) => {
      sent.push({ url: String(input), init });
      return new Response(JSON.stringify(answers[`${init.method} ${String(input)}`]), { status: 200 });
    });
    equal((await api.updateTenant({ expectedVersion: 3, mode: 'oauth' })).mode, 'oauth');
    deepEqual(await api.invites(), [{ id: 'i1' }]);
    deepEqual(await api.sendInvites({ associateIds: [1, 2], delivery: 'link' }), { invites: [], links: [], skipped: [], failed: [] });
    deepEqual(await api.revokeInvites(['i1']), [{ id: 'i1' }]);
    deepEqual(await api.authorizations(), [{ mailboxId: 'm1' }]);
    equal((await api.revokeAuthorizations(['m1'])).disabledLinks, 2);
    deepEqual(
      sent.map((s) => [s.init.method, s.url, s.init.body === undefined ? null : JSON.parse(String(s.init.body))]),
      [
        ['PATCH', '/api/v1/tenant', { expectedVersion: 3, mode: 'oauth' }],
        ['GET', '/api/v1/invites', null],
        ['POST', '/api/v1/invites', { associateIds: [1, 2], delivery: 'link' }],
        ['POST', '/api/v1/invites/revoke', { ids: ['i1'] }],
        ['GET', '/api/v1/authorizations', null],
        ['POST', '/api/v1/authorizations/revoke', { mailboxIds: ['m1'] }],
      ],
    );
  });
});
