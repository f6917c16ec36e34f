import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { jsonOf, startMicrosoftSims, TEST_APP, type MicrosoftSims } from './ms-sim-harness.js';

const TAG = 'String {8ECCC264-6880-4EBE-992F-8888D2EEAA1D} Name SoId';
const IMMUTABLE = 'IdType="ImmutableId"';

describe('Graph simulator: calendar events', () => {
  let sims: MicrosoftSims;
  let token: string;
  let user: string;

  before(async () => {
    sims = await startMicrosoftSims();
    sims.entra.control.grantConsent(sims.tenant.entraTenantId, TEST_APP.clientId, [...TEST_APP.permissions, 'Calendars.ReadWrite']);
    token = await sims.appToken();
    user = sims.tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user')!.id;
  });
  after(() => sims.close());
  beforeEach(() => sims.graph.control.reset());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, bearer = token) =>
    sims.fetch(path.startsWith('https://') ? path : `${sims.graph.url}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), prefer: IMMUTABLE, ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await sims.fetch(`${sims.graph.url}/__sim${path}`, {
      method,
      headers: body !== undefined ? { 'content-type': 'application/json' } : {},
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return jsonOf(res);
  };
  const stored = async () => (await control('GET', `/calendar/users/${user}/events`)).value as any[];
  const event = (over: Record<string, unknown> = {}) => ({
    subject: 'Quarterly review',
    body: { contentType: 'text', content: 'Agenda' },
    start: { dateTime: '2026-12-10T10:00:00', timeZone: 'Europe/Oslo' },
    end: { dateTime: '2026-12-10T11:00:00', timeZone: 'Europe/Oslo' },
    ...over,
  });
  const create = async (over: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const res = await call('POST', `/users/${user}/events`, event(over), headers);
    assert.equal(res.status, 201, await res.clone().text());
    return jsonOf(res);
  };

  describe('permissions', () => {
    it('refuses a token without a Calendars permission with 403 ErrorAccessDenied', async () => {
      const sims2 = await startMicrosoftSims();
      try {
        const bare = await sims2.appToken();
        const res = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/events`, { headers: { authorization: `Bearer ${bare}` } });
        assert.equal(res.status, 403);
        assert.equal((await jsonOf(res)).error.code, 'ErrorAccessDenied');
        sims2.entra.control.grantConsent(sims2.tenant.entraTenantId, TEST_APP.clientId, ['Calendars.Read']);
        const reader = await sims2.appToken();
        const read = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/events`, { headers: { authorization: `Bearer ${reader}` } });
        assert.equal(read.status, 200);
        const write = await sims2.fetch(`${sims2.graph.url}/v1.0/users/${user}/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${reader}`, 'content-type': 'application/json' },
          body: JSON.stringify(event()),
        });
        assert.equal(write.status, 403, 'Calendars.Read cannot write');
      } finally {
        await sims2.close();
      }
    });

    it('answers 401 without a token', async () => {
      const res = await sims.fetch(`${sims.graph.url}/v1.0/users/${user}/events`);
      assert.equal(res.status, 401);
    });
  });

  describe('create, read, update, delete', () => {
    it('creates an event with Graph’s shape, readable at /events/{id} and /calendar/events/{id}', async () => {
      await control('POST', '/clock', { now: '2026-11-30T08:00:00Z' });
      const e = await create({ location: { displayName: 'Room 1' }, showAs: 'tentative', sensitivity: 'private' });
      assert.match(e.id, /^AAkALg/);
      assert.equal(e['@odata.etag'], `W/"${e.changeKey}"`);
      assert.equal(e.type, 'singleInstance');
      assert.equal(e.seriesMasterId, null);
      assert.equal(e.transactionId, null);
      assert.match(e.iCalUId, /^040000008200E00074C5B7101A82E008/);
      assert.match(e.createdDateTime, /^2026-11-30T08:00:0/);
      assert.deepEqual(e.start, { dateTime: '2026-12-10T09:00:00.0000000', timeZone: 'UTC' });
      assert.equal(e.location.displayName, 'Room 1');
      assert.equal(e.showAs, 'tentative');
      assert.equal(e.sensitivity, 'private');
      assert.equal(e.singleValueExtendedProperties, undefined);
      for (const path of [`/users/${user}/events/${e.id}`, `/users/${user}/calendar/events/${e.id}`]) {
        const got = await jsonOf(await call('GET', path));
        assert.equal(got.id, e.id);
        assert.equal(got.subject, 'Quarterly review');
      }
      const list = await jsonOf(await call('GET', `/users/${user}/calendar/events`));
      assert.deepEqual(list.value.map((x: any) => x.id), [e.id]);
    });

    it('PATCH changes the fields, bumps changeKey and lastModifiedDateTime; DELETE answers 204 then 404', async () => {
      await control('POST', '/clock', { now: '2026-11-30T08:00:00Z' });
      const e = await create();
      await control('POST', '/clock', { advanceSeconds: 3600 });
      const res = await call('PATCH', `/users/${user}/events/${e.id}`, { subject: 'Moved', showAs: 'free' });
      assert.equal(res.status, 200);
      const patched = await jsonOf(res);
      assert.equal(patched.subject, 'Moved');
      assert.equal(patched.body.content, 'Agenda', 'a PATCH keeps what it does not name');
      assert.notEqual(patched.changeKey, e.changeKey);
      assert.match(patched.lastModifiedDateTime, /^2026-11-30T09:00:0/);
      assert.equal((await call('DELETE', `/users/${user}/events/${e.id}`)).status, 204);
      const gone = await call('GET', `/users/${user}/events/${e.id}`);
      assert.equal(gone.status, 404);
      assert.equal((await jsonOf(gone)).error.code, 'ErrorItemNotFound');
    });

    it('answers 404 for an unknown user and MailboxNotEnabledForRESTAPI for a user without a mailbox; a UPN addresses the mailbox', async () => {
      const unknown = await call('GET', '/users/00000000-0000-0000-0000-000000000000/events');
      assert.equal(unknown.status, 404);
      assert.equal((await jsonOf(unknown)).error.code, 'Request_ResourceNotFound');
      const noMailbox = await call('POST', `/users/${DEMO_CASES.noMailboxIds[0]}/events`, event());
      assert.equal(noMailbox.status, 404);
      assert.equal((await jsonOf(noMailbox)).error.code, 'MailboxNotEnabledForRESTAPI');
      const e = await create();
      const upn = sims.tenant.mailboxes.find((m) => m.id === user)!.userPrincipalName;
      assert.equal((await jsonOf(await call('GET', `/users/${upn}/events/${e.id}`))).id, e.id);
    });

    it('lists 10 per page by default with a nextLink, and honours $top and $select', async () => {
      for (let i = 0; i < 12; i++) await create({ subject: `E${i}` });
      const first = await jsonOf(await call('GET', `/users/${user}/events`));
      assert.equal(first.value.length, 10);
      const second = await jsonOf(await call('GET', first['@odata.nextLink']));
      assert.equal(second.value.length, 2);
      assert.equal(second['@odata.nextLink'], undefined);
      const slim = await jsonOf(await call('GET', `/users/${user}/events?$top=3&$select=subject,start`));
      assert.equal(slim.value.length, 3);
      assert.deepEqual(Object.keys(slim.value[0]).sort(), ['@odata.etag', 'id', 'start', 'subject']);
      const unknown = await call('GET', `/users/${user}/events?$select=subjekt`);
      assert.equal(unknown.status, 400);
    });

    it('If-Match with a stale etag is 412 ErrorIrresolvableConflict and changes nothing', async () => {
      const e = await create();
      const current = await jsonOf(await call('PATCH', `/users/${user}/events/${e.id}`, { subject: 'Second' }, { 'if-match': e['@odata.etag'] }));
      const stale = await call('PATCH', `/users/${user}/events/${e.id}`, { subject: 'Lost update' }, { 'if-match': e['@odata.etag'] });
      assert.equal(stale.status, 412);
      assert.equal((await jsonOf(stale)).error.code, 'ErrorIrresolvableConflict');
      assert.equal((await call('DELETE', `/users/${user}/events/${e.id}`, undefined, { 'if-match': e['@odata.etag'] })).status, 412);
      const [row] = await stored();
      assert.equal(row.subject, 'Second');
      assert.equal(row.changeKey, current.changeKey);
    });

    it('refuses bad shapes with Graph’s 400 and creates nothing', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ subjectt: 'typo' }, 'RequestBodyRead'],
        [{ showAs: 'busyish' }, 'RequestBodyRead'],
        [{ sensitivity: 'secret' }, 'RequestBodyRead'],
        [{ start: { dateTime: 'tomorrow', timeZone: 'UTC' } }, 'RequestBodyRead'],
        [{ start: { dateTime: '2026-12-10T10:00:00', timeZone: 'Mars/Olympus' } }, 'TimeZoneNotSupportedException'],
        [{ end: { dateTime: '2026-12-10T09:00:00', timeZone: 'Europe/Oslo' } }, 'ErrorInvalidRequest'],
        [{ end: undefined }, 'ErrorInvalidRequest'],
        [{ isAllDay: true }, 'ErrorPropertyValidationFailure'],
        [{ singleValueExtendedProperties: [{ id: 'SoId', value: '1' }] }, 'ErrorInvalidExtendedPropertyValue'],
        [{ attendees: [{ emailAddress: { address: 'not-an-address' } }] }, 'ErrorInvalidRecipients'],
      ];
      for (const [over, code] of cases) {
        const body = event(over);
        if ('end' in over && over.end === undefined) delete (body as Record<string, unknown>).end;
        const res = await call('POST', `/users/${user}/events`, body);
        assert.equal(res.status, 400, JSON.stringify(over));
        const err = (await jsonOf(res)).error;
        assert.equal(err.code, code, JSON.stringify(over));
        assert.ok(err.innerError['request-id']);
      }
      assert.equal((await stored()).length, 0);
    });

    it('accepts an all-day event midnight to midnight and keeps its dates', async () => {
      const e = await create({ isAllDay: true, start: { dateTime: '2026-12-24T00:00:00', timeZone: 'Europe/Oslo' }, end: { dateTime: '2026-12-25T00:00:00', timeZone: 'Europe/Oslo' } });
      assert.equal(e.isAllDay, true);
      assert.equal(e.start.dateTime, '2026-12-24T00:00:00.0000000');
      assert.equal(e.end.dateTime, '2026-12-25T00:00:00.0000000');
    });

    it('answers in UTC unless Prefer: outlook.timezone names a zone, across a DST change', async () => {
      const winter = await create();
      const summer = await create({ start: { dateTime: '2026-03-30T10:00:00', timeZone: 'Europe/Oslo' }, end: { dateTime: '2026-03-30T11:00:00', timeZone: 'Europe/Oslo' } });
      assert.equal(winter.start.dateTime, '2026-12-10T09:00:00.0000000');
      assert.equal(summer.start.dateTime, '2026-03-30T08:00:00.0000000');
      const res = await call('GET', `/users/${user}/events/${summer.id}`, undefined, { prefer: `${IMMUTABLE}, outlook.timezone="W. Europe Standard Time"` });
      assert.match(res.headers.get('preference-applied') ?? '', /outlook\.timezone="W\. Europe Standard Time"/);
      const local = await jsonOf(res);
      assert.deepEqual(local.start, { dateTime: '2026-03-30T10:00:00.0000000', timeZone: 'W. Europe Standard Time' });
      assert.equal(local.originalStartTimeZone, 'Europe/Oslo');
      const bad = await call('GET', `/users/${user}/events/${summer.id}`, undefined, { prefer: 'outlook.timezone="Nowhere/Land"' });
      assert.equal(bad.status, 400);
    });
  });

  describe('transactionId', () => {
    it('a second POST with the same transactionId returns the first event and creates nothing', async () => {
      const first = await create({ transactionId: 'tx-1' });
      const second = await create({ transactionId: 'tx-1', subject: 'Retried' });
      assert.equal(second.id, first.id);
      assert.equal(second.subject, 'Quarterly review');
      assert.equal(second.transactionId, 'tx-1');
      const other = await create({ transactionId: 'tx-2' });
      assert.notEqual(other.id, first.id);
      assert.equal((await stored()).length, 2);
    });

    it('refuses changing the transactionId of an event', async () => {
      const e = await create({ transactionId: 'tx-1' });
      const res = await call('PATCH', `/users/${user}/events/${e.id}`, { transactionId: 'tx-9' });
      assert.equal(res.status, 400);
      assert.equal((await stored())[0].transactionId, 'tx-1');
    });
  });

  describe('single-value extended properties', () => {
    const expand = `$expand=singleValueExtendedProperties($filter=id eq '${TAG}')`;

    it('are returned only when expanded by id', async () => {
      const e = await create({ singleValueExtendedProperties: [{ id: TAG, value: 'Cust1:appointment:42' }] });
      assert.equal(e.singleValueExtendedProperties, undefined);
      const plain = await jsonOf(await call('GET', `/users/${user}/events/${e.id}`));
      assert.equal(plain.singleValueExtendedProperties, undefined);
      const expanded = await jsonOf(await call('GET', `/users/${user}/events/${e.id}?${expand}`));
      assert.deepEqual(expanded.singleValueExtendedProperties, [{ id: TAG, value: 'Cust1:appointment:42' }]);
      const otherName = await jsonOf(await call('GET', `/users/${user}/events/${e.id}?$expand=singleValueExtendedProperties($filter=id eq '${TAG.replace('SoId', 'Other')}')`));
      assert.equal(otherName.singleValueExtendedProperties, undefined);
      const wholesale = await call('GET', `/users/${user}/events/${e.id}?$expand=singleValueExtendedProperties`);
      assert.equal(wholesale.status, 400, 'properties cannot be listed wholesale');
    });

    it('$filter finds by id and value: the name is case-sensitive, the value is not; results omit the property', async () => {
      await create({ singleValueExtendedProperties: [{ id: TAG, value: 'Cust1:appointment:42' }] });
      await create({ singleValueExtendedProperties: [{ id: TAG, value: 'Cust1:appointment:43' }] });
      await create();
      const find = async (id: string, value: string, extra = '') =>
        (await jsonOf(await call('GET', `/users/${user}/events?$filter=${encodeURIComponent(`singleValueExtendedProperties/Any(ep: ep/id eq '${id}' and ep/value eq '${value}')`)}${extra}`))).value as any[];
      const hit = await find(TAG, 'cust1:APPOINTMENT:42');
      assert.equal(hit.length, 1);
      assert.equal(hit[0].singleValueExtendedProperties, undefined);
      assert.equal((await find(TAG.replace('8ECCC264-6880-4EBE-992F-8888D2EEAA1D', '8eccc264-6880-4ebe-992f-8888d2eeaa1d'), 'Cust1:appointment:42')).length, 1, 'the GUID ignores case');
      assert.equal((await find(TAG.replace('SoId', 'soid'), 'Cust1:appointment:42')).length, 0, 'the name is case-sensitive');
      const both = await find(TAG, 'Cust1:appointment:43', `&${expand}`);
      assert.equal(both[0].singleValueExtendedProperties[0].value, 'Cust1:appointment:43');
      const unsupported = await call('GET', `/users/${user}/events?$filter=${encodeURIComponent("subject eq 'x'")}`);
      assert.equal(unsupported.status, 400);
    });

    it('a user’s copy keeps the tag, so a lookup by tag finds two', async () => {
      const e = await create({ singleValueExtendedProperties: [{ id: TAG, value: 'Cust1:appointment:42' }], transactionId: 'tx-1' });
      const copy = await control('POST', `/calendar/users/${user}/events/${e.id}/copy`);
      assert.notEqual(copy.id, e.id);
      assert.equal(copy.transactionId, null);
      const found = await jsonOf(await call('GET', `/users/${user}/events?$filter=${encodeURIComponent(`singleValueExtendedProperties/Any(ep: ep/id eq '${TAG}' and ep/value eq 'Cust1:appointment:42')`)}`));
      assert.deepEqual(new Set(found.value.map((x: any) => x.id)), new Set([e.id, copy.id]));
    });
  });

  describe('immutable ids', () => {
    it('without the Prefer header ids are the default ones, which change on a move; immutable ones survive', async () => {
      const withPrefer = await create();
      const res = await call('GET', `/users/${user}/events/${withPrefer.id}`, undefined, { prefer: '' });
      const regular = await jsonOf(res);
      assert.match(regular.id, /^AAMkAG/);
      assert.notEqual(regular.id, withPrefer.id);
      await control('POST', `/calendar/users/${user}/events/${withPrefer.id}/move`);
      assert.equal((await call('GET', `/users/${user}/events/${regular.id}`, undefined, { prefer: '' })).status, 404);
      assert.equal((await call('GET', `/users/${user}/events/${withPrefer.id}`)).status, 200);
      const after = await jsonOf(await call('GET', `/users/${user}/events/${withPrefer.id}`, undefined, { prefer: '' }));
      assert.notEqual(after.id, regular.id);
    });
  });

  describe('attendees', () => {
    it('counts every write that carried attendees (each would send invitations)', async () => {
      const e = await create({ body: { contentType: 'text', content: 'Participants: Ann, Bob' } });
      assert.equal((await control('GET', '/calendar/invitations')).value.length, 0);
      await call('PATCH', `/users/${user}/events/${e.id}`, { attendees: [{ type: 'required', emailAddress: { address: 'ann@example.com' } }] });
      const sent = (await control('GET', '/calendar/invitations')).value;
      assert.equal(sent.length, 1);
      assert.deepEqual(sent[0].attendees, ['ann@example.com']);
    });
  });

  describe('received meetings', () => {
    it("a meeting someone else organizes: isOrganizer false, their organizer; cancelled by them it stays, isCancelled, 'Canceled: ' subject, a change for delta", async () => {
      const got = await control('POST', `/calendar/users/${user}/received`, {
        subject: 'Supplier lunch',
        start: { dateTime: '2026-12-10T11:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-10T12:00:00', timeZone: 'UTC' },
        organizer: { name: 'Sam Supplier', address: 'sam@supplier.example' },
      });
      const view = `/users/${user}/calendarView?startDateTime=2026-12-10T00:00:00Z&endDateTime=2026-12-11T00:00:00Z`;
      const first = await jsonOf(await call('GET', `/users/${user}/calendarView/delta?startDateTime=2026-12-10T00:00:00Z&endDateTime=2026-12-11T00:00:00Z`));
      const [before] = (await jsonOf(await call('GET', view))).value;
      assert.deepEqual([before.isOrganizer, before.isCancelled, before.organizer.emailAddress.address], [false, false, 'sam@supplier.example']);
      const cancelled = await control('POST', `/calendar/users/${user}/events/${got.id}/organizer-cancel`);
      assert.equal(cancelled.isCancelled, true);
      const [after] = (await jsonOf(await call('GET', view))).value;
      assert.deepEqual([after.id, after.isCancelled, after.subject], [before.id, true, 'Canceled: Supplier lunch']);
      assert.notEqual(after.changeKey, before.changeKey);
      const changes = await jsonOf(await call('GET', first['@odata.deltaLink']));
      assert.deepEqual(changes.value.map((e: any) => e.id), [before.id], 'the cancellation is a change delta reports');
      const own = await create();
      const refused = await sims.fetch(`${sims.graph.url}/__sim/calendar/users/${user}/events/${own.id}/organizer-cancel`, { method: 'POST' });
      assert.equal(refused.status, 400, "the user's own event has no other organizer to cancel it");
      assert.equal(own.isOrganizer, true);
    });
  });

  describe('calendarView/delta', () => {
    const window = 'startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z';
    const delta = (q: string, headers: Record<string, string> = {}) => call('GET', q.startsWith('https://') ? q : `/users/${user}/calendarView/delta?${q}`, undefined, headers);

    /** Follows nextLinks to the deltaLink; returns every item and the deltaLink. */
    async function round(first: string, pageSize = 2) {
      const items: any[] = [];
      let url = first;
      let pages = 0;
      for (;;) {
        const res = await delta(url, { prefer: `${IMMUTABLE}, odata.maxpagesize=${pageSize}` });
        assert.equal(res.status, 200, await res.clone().text());
        const body = await jsonOf(res);
        pages += 1;
        assert.ok(body.value.length <= pageSize);
        items.push(...body.value);
        if (body['@odata.nextLink']) {
          assert.equal(body['@odata.deltaLink'], undefined);
          url = body['@odata.nextLink'];
          continue;
        }
        assert.match(body['@odata.deltaLink'], /calendarView\/delta\?\$deltatoken=/);
        return { items, deltaLink: body['@odata.deltaLink'] as string, pages };
      }
    }

    it('needs startDateTime and endDateTime and refuses query options', async () => {
      const missing = await delta('startDateTime=2026-12-01T00:00:00Z');
      assert.equal(missing.status, 400);
      assert.equal((await jsonOf(missing)).error.code, 'ErrorInvalidParameter');
      for (const option of ['$select=subject', '$filter=subject%20eq%20%27x%27', '$expand=singleValueExtendedProperties', '$orderby=start', '$top=5']) {
        const res = await delta(`${window}&${option}`);
        assert.equal(res.status, 400, option);
        assert.equal((await jsonOf(res)).error.code, 'ErrorInvalidUrlQuery');
      }
    });

    it('pages the window with nextLinks to a deltaLink, then reports only changes', async () => {
      const ids = [];
      for (let d = 10; d < 15; d++) ids.push((await create({ start: { dateTime: `2026-12-${d}T10:00:00`, timeZone: 'UTC' }, end: { dateTime: `2026-12-${d}T11:00:00`, timeZone: 'UTC' } })).id);
      const outside = await create({ start: { dateTime: '2027-02-01T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-02-01T11:00:00', timeZone: 'UTC' } });
      const first = await round(window);
      assert.equal(first.pages, 3);
      assert.deepEqual(new Set(first.items.map((i) => i.id)), new Set(ids));
      assert.ok(first.items.every((i) => i.singleValueExtendedProperties === undefined && i['@removed'] === undefined));

      const idle = await round(first.deltaLink);
      assert.deepEqual(idle.items, []);
      assert.equal(idle.pages, 1);

      await call('PATCH', `/users/${user}/events/${ids[0]}`, { subject: 'Changed' });
      await call('PATCH', `/users/${user}/events/${ids[1]}`, { start: { dateTime: '2027-01-10T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-01-10T11:00:00', timeZone: 'UTC' } });
      await call('DELETE', `/users/${user}/events/${ids[2]}`);
      await call('PATCH', `/users/${user}/events/${outside.id}`, { subject: 'Far away' });
      const added = await create({ start: { dateTime: '2026-12-20T10:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-20T11:00:00', timeZone: 'UTC' } });

      const changes = await round(idle.deltaLink);
      const byId = new Map(changes.items.map((i) => [i.id, i]));
      assert.equal(byId.get(ids[0]).subject, 'Changed');
      assert.deepEqual(byId.get(ids[1])['@removed'], { reason: 'deleted' }, 'moved out of the window');
      assert.deepEqual(byId.get(ids[2])['@removed'], { reason: 'deleted' });
      assert.deepEqual(byId.get(outside.id)['@removed'], { reason: 'deleted' }, 'changed outside the window');
      assert.equal(byId.get(added.id).subject, 'Quarterly review');
      assert.equal(changes.items.length, 5);
    });

    it('expands a weekly series into occurrences; deleting one is an @removed', async () => {
      const series = await create({
        start: { dateTime: '2026-12-01T09:00:00', timeZone: 'Europe/Oslo' },
        end: { dateTime: '2026-12-01T09:30:00', timeZone: 'Europe/Oslo' },
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered', startDate: '2026-12-01', numberOfOccurrences: 3 } },
      });
      assert.equal(series.type, 'seriesMaster');
      const first = await round(window, 10);
      assert.equal(first.items.length, 3);
      assert.ok(first.items.every((i) => i.type === 'occurrence' && i.seriesMasterId === series.id));
      assert.deepEqual(first.items.map((i) => i.start.dateTime), ['2026-12-01T08:00:00.0000000', '2026-12-08T08:00:00.0000000', '2026-12-15T08:00:00.0000000']);
      assert.equal((await call('DELETE', `/users/${user}/events/${first.items[1].id}`)).status, 204);
      const next = await round(first.deltaLink, 10);
      const removed = next.items.filter((i) => i['@removed']);
      assert.deepEqual(removed.map((i) => i.id), [first.items[1].id]);
    });

    it('editing one occurrence makes it an exception; delta reports only that instance', async () => {
      const series = await create({
        start: { dateTime: '2026-12-02T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-02T10:00:00', timeZone: 'UTC' },
        recurrence: { pattern: { type: 'daily', interval: 7 }, range: { type: 'endDate', startDate: '2026-12-02', endDate: '2026-12-23' } },
      });
      const first = await round(window, 10);
      assert.equal(first.items.length, 4);
      const target = first.items[2];
      assert.equal((await call('PATCH', `/users/${user}/events/${target.id}`, { subject: 'Moved once' }, { 'if-match': 'W/"stale"' })).status, 412);
      const res = await call('PATCH', `/users/${user}/events/${target.id}`, {
        subject: 'Moved once',
        start: { dateTime: '2026-12-16T13:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-16T14:00:00', timeZone: 'UTC' },
      }, { 'if-match': target['@odata.etag'] });
      assert.equal(res.status, 200, await res.clone().text());
      const exception = await jsonOf(res);
      assert.equal(exception.type, 'exception');
      assert.equal(exception.id, target.id);
      assert.equal(exception.seriesMasterId, series.id);
      assert.equal(exception.start.dateTime, '2026-12-16T13:00:00.0000000');
      const next = await round(first.deltaLink, 10);
      assert.deepEqual(next.items.map((i) => [i.id, i.type, i.subject]), [[target.id, 'exception', 'Moved once']]);
      const master = await jsonOf(await call('GET', `/users/${user}/events/${series.id}`));
      assert.equal(master.subject, 'Quarterly review');
    });

    it('an evicted token answers 410 syncStateNotFound; a new round without a token works', async () => {
      await create();
      const first = await round(window);
      const firstPage = await jsonOf(await delta(window, { prefer: 'odata.maxpagesize=1' }));
      await create();
      const expired = await control('POST', '/calendar/expire-delta-tokens', { userId: user });
      assert.ok(expired.expired >= 2);
      const res = await delta(first.deltaLink);
      assert.equal(res.status, 410);
      assert.equal((await jsonOf(res)).error.code, 'syncStateNotFound');
      if (firstPage['@odata.nextLink']) assert.equal((await delta(firstPage['@odata.nextLink'])).status, 410);
      assert.equal((await delta('$deltatoken=made-up')).status, 410);
      assert.equal((await round(window)).items.length, 2);
    });
  });

  describe('calendarView', () => {
    it('lists the window with series expanded, by start, paged with $top, the tag expanded on request', async () => {
      const single = await create({ subject: 'Single', start: { dateTime: '2026-12-03T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-03T13:00:00', timeZone: 'UTC' }, singleValueExtendedProperties: [{ id: TAG, value: 'so:1' }] });
      await create({
        subject: 'Weekly',
        start: { dateTime: '2026-12-01T09:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-12-01T09:30:00', timeZone: 'UTC' },
        recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] }, range: { type: 'numbered', startDate: '2026-12-01', numberOfOccurrences: 3 } },
      });
      await create({ subject: 'Outside', start: { dateTime: '2027-02-01T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2027-02-01T10:00:00', timeZone: 'UTC' } });
      const expand = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${TAG}')`)}`;
      const first = await jsonOf(await call('GET', `/users/${user}/calendarView?startDateTime=2026-11-30T00:00:00Z&endDateTime=2027-01-01T00:00:00Z&${expand}&$top=3`));
      assert.deepEqual(first.value.map((e: any) => [e.subject, e.type]), [['Weekly', 'occurrence'], ['Single', 'singleInstance'], ['Weekly', 'occurrence']]);
      assert.deepEqual(first.value[1].singleValueExtendedProperties, [{ id: TAG, value: 'so:1' }]);
      assert.equal(first.value[1].id, single.id);
      assert.equal(first.value[0].singleValueExtendedProperties, undefined);
      const next = await jsonOf(await call('GET', first['@odata.nextLink']));
      assert.deepEqual(next.value.map((e: any) => e.start.dateTime), ['2026-12-15T09:00:00.0000000']);
      assert.equal(next['@odata.nextLink'], undefined);
      const missing = await call('GET', `/users/${user}/calendarView`);
      assert.equal(missing.status, 400);
      assert.equal((await jsonOf(missing)).error.code, 'ErrorInvalidParameter');
    });

    it('converts an HTML body to text for Prefer: outlook.body-content-type="text"', async () => {
      const e = await create({ body: { contentType: 'html', content: '<html><body><p>Agenda &amp; notes</p><p>Line two</p></body></html>' } });
      const res = await call('GET', `/users/${user}/events/${e.id}`, undefined, { prefer: `${IMMUTABLE}, outlook.body-content-type="text"` });
      assert.match(res.headers.get('preference-applied') ?? '', /outlook\.body-content-type="text"/);
      assert.deepEqual((await jsonOf(res)).body, { contentType: 'text', content: 'Agenda & notes\nLine two' });
      assert.equal((await jsonOf(await call('GET', `/users/${user}/events/${e.id}`))).body.contentType, 'html', 'unchanged without the preference');
    });
  });

  describe('$batch', () => {
    it('creates events as batch items, each answered 201, with transactionId dedupe across retries', async () => {
      const requests = [1, 2, 3].map((n) => ({
        id: String(n),
        method: 'POST',
        url: `/users/${user}/events`,
        headers: { 'content-type': 'application/json', prefer: IMMUTABLE },
        body: event({ subject: `Batch ${n}`, transactionId: `tx-batch-${n}` }),
      }));
      const first = await jsonOf(await call('POST', '/$batch', { requests }));
      assert.deepEqual(first.responses.map((r: any) => r.status), [201, 201, 201]);
      const again = await jsonOf(await call('POST', '/$batch', { requests }));
      const ids = (b: any) => Object.fromEntries(b.responses.map((r: any) => [r.id, r.body.id]));
      assert.deepEqual(ids(again), ids(first));
      assert.equal((await stored()).length, 3);
    });
  });

  describe('demo seed', () => {
    it('seeds untagged user-made events that come back after a reset', async () => {
      const seeded = await startMicrosoftSims({ graph: { calendarSeed: 'demo' } });
      try {
        const first = seeded.tenant.mailboxes.find((m) => m.userPurpose === 'user' && m.userType === 'Member' && m.accountEnabled)!;
        const rows = async () => (await jsonOf(await seeded.fetch(`${seeded.graph.url}/__sim/calendar/users/${first.id}/events`))).value as any[];
        const before = await rows();
        assert.equal(before.length, 7);
        assert.ok(before.every((e) => e.singleValueExtendedProperties.length === 0 && e.transactionId === null));
        assert.equal(before.filter((e) => e.recurrence).length, 1);
        assert.equal(before.filter((e) => e.isAllDay).length, 1);
        seeded.graph.control.reset();
        assert.deepEqual((await rows()).map((e) => e.subject), before.map((e) => e.subject));
      } finally {
        await seeded.close();
      }
    });
  });

  describe('bulk seeding for load tests', () => {
    it('POST /__sim/calendar/events/bulk stores user-made events that the API serves like any other, and refuses a bad spec whole', async () => {
      const other = sims.tenant.mailboxes.filter((m) => m.userType === 'Member' && m.userPurpose === 'user')[1]!.id;
      for (const bad of [
        { mailboxIds: [user], perMailbox: 0, firstDay: '2026-12-01', days: 3 },
        { mailboxIds: [user, 'no-such-mailbox'], perMailbox: 2, firstDay: '2026-12-01', days: 3 },
        { mailboxIds: [user], perMailbox: 2, firstDay: 'tomorrow', days: 3 },
        { mailboxIds: [], perMailbox: 2, firstDay: '2026-12-01', days: 3 },
      ]) {
        const res = await control('POST', '/calendar/events/bulk', bad);
        assert.equal(res.error?.code, 'BadRequest', JSON.stringify(bad));
      }
      assert.deepEqual(await stored(), [], 'a refused spec stores nothing');

      const made = await control('POST', '/calendar/events/bulk', { mailboxIds: [user, other.toUpperCase()], perMailbox: 4, firstDay: '2026-12-01', days: 3, subject: 'Seeded' });
      assert.equal(made.created, 8);
      const mine = await stored();
      assert.equal(mine.length, 4);
      assert.ok(mine.every((e: any) => e.transactionId === null && e.singleValueExtendedProperties.length === 0), 'made in Outlook: no tag, no transactionId');
      const delta = await jsonOf(await call('GET', `/users/${user}/calendarView/delta?startDateTime=2026-11-30T00:00:00Z&endDateTime=2026-12-10T00:00:00Z`));
      const seen = (delta.value as any[]).map((e) => `${e.subject} ${e.start.dateTime}`).sort();
      // Round-robin over 3 days from 08:00 W. Europe time (07:00 UTC in December), the next hour on the next round.
      assert.deepEqual(seen, ['Seeded 1 2026-12-01T07:00:00.0000000', 'Seeded 2 2026-12-02T07:00:00.0000000', 'Seeded 3 2026-12-03T07:00:00.0000000', 'Seeded 4 2026-12-01T08:00:00.0000000']);
      const theirs = await control('GET', `/calendar/users/${other}/events`);
      assert.equal(theirs.value.length, 4);
    });
  });

  describe('throttling and faults', () => {
    it('allows 4 concurrent requests per mailbox, answers the rest 429 with Retry-After, and reports the peak', async () => {
      sims.graph.control.setFaults({ delayMs: 150 });
      const results = await Promise.all(Array.from({ length: 6 }, () => call('GET', `/users/${user}/events`)));
      sims.graph.control.clearFaults();
      const statuses = results.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429]);
      const refused = results.find((r) => r.status === 429)!;
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal((await jsonOf(refused)).error.code, 'ApplicationThrottled');
      const seen = await control('GET', '/concurrency');
      assert.equal(seen.limit, 4);
      assert.equal(seen.peakByMailbox[user], 5, 'a refused attempt counts as the 5th, so a client breaching 4 is visible');

      sims.graph.control.reset();
      for (let i = 0; i < 3; i++) await call('GET', `/users/${user}/events`);
      assert.equal((await control('GET', '/concurrency')).peakByMailbox[user], 1);
    });

    it('answers 429 with Retry-After once the mailbox budget is spent, until the clock passes the window', async () => {
      await control('POST', '/mailbox-budget', { limit: 3, windowSeconds: 600 });
      for (let i = 0; i < 3; i++) assert.equal((await call('GET', `/users/${user}/events`)).status, 200);
      const over = await call('GET', `/users/${user}/events`);
      assert.equal(over.status, 429);
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter > 590 && retryAfter <= 600, String(retryAfter));
      await control('POST', '/clock', { advanceSeconds: 601 });
      assert.equal((await call('GET', `/users/${user}/events`)).status, 200);
    });

    it('commit-then-timeout applies the write and drops the response; a retry with the transactionId creates nothing', async () => {
      sims.graph.control.setFaults({ commitThenTimeout: 1 });
      await assert.rejects(call('POST', `/users/${user}/events`, event({ transactionId: 'tx-lost' })));
      const afterFault = await stored();
      assert.equal(afterFault.length, 1, 'the write was applied');
      const retry = await create({ transactionId: 'tx-lost' });
      assert.equal(retry.id, afterFault[0].id);
      assert.equal((await stored()).length, 1);
    });
  });
});
