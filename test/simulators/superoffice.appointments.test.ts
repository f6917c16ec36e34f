import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { demoTenant } from '../../simulators/demo-tenant.js';
import type { SuperOfficeSimulator } from '../../simulators/superoffice/superoffice.simulator.js';
import { associateIdAt, CLIENT, fixtureTenant } from './superoffice.fixture.js';
import { api, startFixtureSimulator } from './superoffice.helpers.js';

const OWNER = associateIdAt(1);
const COLLEAGUE = associateIdAt(2);
const OTHER = associateIdAt(4);
const T0 = Date.parse('2026-11-02T08:00:00Z');
const UTC = { 'SO-TimeZone': 'UTC,includeTZOffset' };

function meeting(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Associate: { AssociateId: OWNER },
    StartDate: '2026-11-10T09:00:00',
    EndDate: '2026-11-10T10:00:00',
    Type: 'inDiary',
    Title: 'Pipeline review',
    Description: 'Q4 numbers',
    Location: 'Room Fjord',
    ...overrides,
  };
}

describe('SuperOffice simulator: appointments', () => {
  let sim: SuperOfficeSimulator;
  let token: string;
  const call = (method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => api(sim, method, path, { token, ...options });
  const create = async (body: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await call('POST', 'v1/Appointment', { body, headers });
    assert.equal(res.status, 201, res.text);
    return res.body;
  };
  const archive = async (query: string) => {
    const res = await call('GET', `v1/Archive/FindAppointment?${query}`);
    assert.equal(res.status, 200, res.text);
    return res.body as { value: Record<string, any>[]; 'odata.nextLink': string | null };
  };
  /** Every row as the control API sees it, to show a refusal changed nothing. */
  const snapshot = () => JSON.stringify(sim.control.appointments.list());

  async function refused(status: number, errorType: string | RegExp, send: () => Promise<{ status: number; body: any }>) {
    const before = snapshot();
    const res = await send();
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.equal(res.body.Error, true);
    if (typeof errorType === 'string') assert.equal(res.body.ErrorType, errorType);
    else assert.match(res.body.ErrorType, errorType);
    assert.equal(typeof res.body.ErrorMessage, 'string');
    assert.equal(snapshot(), before, 'the appointments changed');
    return res.body;
  }

  before(async () => {
    sim = await startFixtureSimulator({ tenant: [fixtureTenant(), fixtureTenant('Cust99999', 3)] });
  });
  beforeEach(() => {
    sim.control.reset();
    sim.control.appointments.setTime(T0, { frozen: true });
    token = sim.control.issueAccessToken({ associateId: OWNER });
  });
  after(() => sim.close());

  test('POST then GET returns the AppointmentEntity, dates in the tenant\'s wall clock without an offset', async () => {
    const created = await create(meeting({ Contact: { ContactId: 2 }, Person: { PersonId: 1001 }, IsFree: true, Private: 'PrivateUser' }));
    assert.ok(created.AppointmentId > 0);
    const res = await call('GET', `v1/Appointment/${created.AppointmentId}`);
    assert.equal(res.status, 200);
    const a = res.body;
    assert.equal(a.AppointmentId, created.AppointmentId);
    assert.equal(a.Associate.AssociateId, OWNER);
    assert.equal(a.Contact.ContactId, 2);
    assert.equal(a.Person.PersonId, 1001);
    assert.equal(a.StartDate, '2026-11-10T09:00:00');
    assert.equal(a.EndDate, '2026-11-10T10:00:00');
    assert.equal(a.Type, 'inDiary');
    assert.equal(a.Title, 'Pipeline review');
    assert.equal(a.Description, 'Q4 numbers');
    assert.equal(a.Location, 'Room Fjord');
    assert.equal(a.IsFree, true);
    assert.equal(a.Private, 'PrivateUser');
    assert.equal(a.MotherId, 0);
    assert.deepEqual(a.Participants, []);
    assert.equal(a.Recurrence.IsRecurrence, false);
    // T0 is 08:00Z = 09:00 in Oslo (CET).
    assert.equal(a.CreatedDate, '2026-11-02T09:00:00');
    assert.equal(a.UpdatedDate, '2026-11-02T09:00:00');
    // 09:00 Oslo in November is 08:00 UTC.
    const utc = await call('GET', `v1/Appointment/${created.AppointmentId}`, { headers: UTC });
    assert.equal(utc.body.StartDate, '2026-11-10T08:00:00Z');
    assert.equal(utc.body.UpdatedDate, '2026-11-02T08:00:00Z');
  });

  test('wall-clock dates follow Europe/Oslo across the spring DST change', async () => {
    const before = await create(meeting({ StartDate: '2026-03-28T10:00:00', EndDate: '2026-03-28T11:00:00' }));
    const afterDst = await create(meeting({ StartDate: '2026-03-29T10:00:00', EndDate: '2026-03-29T11:00:00' }));
    const a = await call('GET', `v1/Appointment/${before.AppointmentId}`, { headers: UTC });
    const b = await call('GET', `v1/Appointment/${afterDst.AppointmentId}`, { headers: UTC });
    assert.equal(a.body.StartDate, '2026-03-28T09:00:00Z');
    assert.equal(b.body.StartDate, '2026-03-29T08:00:00Z');
    // An instant sent with Z is stored as that instant and shown back in local time.
    const z = await create(meeting({ StartDate: '2026-07-01T12:00:00Z', EndDate: '2026-07-01T13:00:00Z' }));
    assert.equal(z.StartDate, '2026-07-01T14:00:00');
    const offset = await call('GET', `v1/Appointment/${z.AppointmentId}`, { headers: { 'SO-TimeZone': 'Europe/Oslo,includeTZOffset' } });
    assert.equal(offset.body.StartDate, '2026-07-01T14:00:00+02:00');
  });

  test('bad bodies get 400 with SuperOffice\'s error body and store nothing', async () => {
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ StartDate: undefined }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ EndDate: '2026-11-10T08:00:00' }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Type: 'Meeting' }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Private: 'Secret' }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Associate: { AssociateId: 9999 } }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Title: 42 }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Participants: [{ AssociateId: 9999 }] }) }));
    await refused(400, 'FormatException', () => call('POST', 'v1/Appointment', { body: meeting({ StartDate: '2026-02-30T09:00:00' }) }));
    await refused(400, 'SerializationException', () => call('POST', 'v1/Appointment', { body: [meeting()] }));
    const res = await refused(400, /Exception$/, () =>
      fetch(`${sim.webApiUrl()}v1/Appointment`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"StartDate":' }).then(async (r) => ({ status: r.status, body: await r.json() })),
    );
    assert.equal(res.ErrorSource, 'SuperOffice.Services.Implementation');
    assert.equal(sim.control.appointments.list().length, 0);
  });

  test('the alarm: HasAlarm with AlarmLeadTime (a TimeSpan, days allowed) is stored and returned; none by default; a bad lead time is 400', async () => {
    const none = await create(meeting());
    assert.equal(none.HasAlarm, false);
    const made = await create(meeting({ HasAlarm: true, AlarmLeadTime: '1.02:30:00' }));
    assert.deepEqual([made.HasAlarm, made.AlarmLeadTime], [true, '1.02:30:00']);
    const got = await call('GET', `v1/Appointment/${made.AppointmentId}`);
    assert.deepEqual([got.body.HasAlarm, got.body.AlarmLeadTime], [true, '1.02:30:00']);
    const cleared = await call('PUT', `v1/Appointment/${made.AppointmentId}`, { body: { ...got.body, HasAlarm: false } });
    assert.equal(cleared.status, 200, cleared.text);
    assert.equal(cleared.body.HasAlarm, false);
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ HasAlarm: true, AlarmLeadTime: '15 minutes' }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ HasAlarm: true, AlarmLeadTime: '00:75:00' }) }));
  });

  test('every Appointment route requires the caller\'s token of this tenant', async () => {
    const created = await create(meeting());
    for (const [method, path, body] of [
      ['GET', `v1/Appointment/${created.AppointmentId}`],
      ['PUT', `v1/Appointment/${created.AppointmentId}`, meeting()],
      ['DELETE', `v1/Appointment/${created.AppointmentId}`],
      ['POST', 'v1/Appointment', meeting()],
      ['GET', 'v1/Archive/FindAppointment?$select=appointmentId'],
      ['POST', 'v1/Agents/ForeignSystem/GetKeyByValue', {}],
    ] as [string, string, unknown?][]) {
      await refused(401, 'SoAuthenticationException', () => api(sim, method, path, { body }));
    }
    const foreign = await fetch(`${sim.webApiUrl('Cust99999')}v1/Appointment/${created.AppointmentId}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(foreign.status, 401);
  });

  test('GET of a missing id is 404 with SoNotFoundException; If-Modified-Since gives 304 until it changes', async () => {
    await refused(404, 'SoNotFoundException', () => call('GET', 'v1/Appointment/424242'));
    const created = await create(meeting());
    const lastModified = new Date(T0).toUTCString();
    const same = await call('GET', `v1/Appointment/${created.AppointmentId}`, { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(same.status, 304);
    sim.control.appointments.advance(60_000);
    sim.control.appointments.edit(created.AppointmentId, { Title: 'Moved by the user' });
    const changed = await call('GET', `v1/Appointment/${created.AppointmentId}`, { headers: { 'If-Modified-Since': lastModified } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.Title, 'Moved by the user');
  });

  test('PUT replaces the entity and stamps UpdatedDate; If-Unmodified-Since older than the last change gives 412', async () => {
    const created = await create(meeting());
    const readAt = new Date(T0).toUTCString();
    sim.control.appointments.advance(5 * 60_000);
    const put = await call('PUT', `v1/Appointment/${created.AppointmentId}`, { body: meeting({ Title: 'Renamed' }), headers: { 'If-Unmodified-Since': readAt } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.Title, 'Renamed');
    assert.equal(put.body.UpdatedDate, '2026-11-02T09:05:00');
    // A full PUT: a field left out goes back to its default.
    const partial = await call('PUT', `v1/Appointment/${created.AppointmentId}`, { body: meeting({ Location: undefined }) });
    assert.equal(partial.body.Location, '');

    // The user edits it after our read: our conditional write is refused and changes nothing.
    const ourRead = new Date(sim.control.appointments.now()).toUTCString();
    sim.control.appointments.advance(60_000);
    sim.control.appointments.edit(created.AppointmentId, { Location: 'Teams' }, { asAssociateId: COLLEAGUE });
    await refused(412, 'PreconditionFailedException', () =>
      call('PUT', `v1/Appointment/${created.AppointmentId}`, { body: meeting({ Title: 'Ours' }), headers: { 'If-Unmodified-Since': ourRead } }),
    );
    await refused(412, 'PreconditionFailedException', () => call('DELETE', `v1/Appointment/${created.AppointmentId}`, { headers: { 'If-Unmodified-Since': ourRead } }));
    const now = await call('GET', `v1/Appointment/${created.AppointmentId}`);
    assert.equal(now.body.Location, 'Teams');
    assert.equal(now.body.UpdatedBy.AssociateId, COLLEAGUE);
    await refused(404, 'SoNotFoundException', () => call('PUT', 'v1/Appointment/424242', { body: meeting() }));
  });

  test('DELETE is a hard delete: 204, then 404, and the archive simply no longer has the row', async () => {
    const keep = await create(meeting());
    const gone = await create(meeting({ Title: 'Cancelled' }));
    const del = await call('DELETE', `v1/Appointment/${gone.AppointmentId}`, { headers: { 'If-Unmodified-Since': new Date(T0).toUTCString() } });
    assert.equal(del.status, 204);
    assert.equal((await call('GET', `v1/Appointment/${gone.AppointmentId}`)).status, 404);
    // No tombstone: not even a filter on an old updatedDate shows the deleted row.
    const rows = await archive(`$select=appointmentId,updatedDate&$filter=updatedDate after '2000-01-01T00:00:00Z'`);
    assert.deepEqual(rows.value.map((r) => r.appointmentId), [keep.AppointmentId]);
    await refused(404, 'SoNotFoundException', () => call('DELETE', `v1/Appointment/${gone.AppointmentId}`));
  });

  test('the FindAppointment archive filters on UTC updatedDate and sees user edits as the clock moves', async () => {
    const a = await create(meeting({ Title: 'A' }));
    sim.control.appointments.advance(60_000);
    const b = await create(meeting({ Title: 'B', Associate: { AssociateId: OTHER } }));
    const watermark = new Date(sim.control.appointments.now()).toISOString();
    let rows = await archive(`$select=appointmentId,associateId,updatedDate,date,endDate,type,rawType,text&$filter=updatedDate after '${watermark}'`);
    assert.equal(rows.value.length, 0, 'nothing changed after the watermark');
    sim.control.appointments.advance(30_000);
    sim.control.appointments.edit(a.AppointmentId, { Title: 'A, edited' });
    rows = await archive(`$select=appointmentId,associateId,updatedDate,date,endDate,type,rawType,text&$filter=updatedDate after '${watermark}'`);
    assert.equal(rows.value.length, 1);
    const row = rows.value[0]!;
    assert.equal(row.PrimaryKey, String(a.AppointmentId));
    assert.equal(row.EntityName, 'appointment');
    assert.equal(row.appointmentId, a.AppointmentId);
    assert.equal(row.associateId, OWNER);
    assert.equal(row.updatedDate, '2026-11-02T08:01:30Z');
    assert.equal(row.date, '2026-11-10T09:00:00');
    assert.equal(row.endDate, '2026-11-10T10:00:00');
    assert.equal(row.type, 'inDiary');
    assert.equal(row.rawType, 1);
    assert.equal(row.text, 'A, edited');
    // Per associate, and between two dates.
    const mine = await archive(`$select=appointmentId&$filter=associateId associateIsOneOf (${OTHER}) and updatedDate after '2026-11-01T00:00:00Z'`);
    assert.deepEqual(mine.value.map((r) => r.appointmentId), [b.AppointmentId]);
    const between = await archive(`$select=appointmentId&$filter=date dateBetween ('2026-11-10T00:00:00','2026-11-11T00:00:00')&$orderBy=appointmentId`);
    assert.deepEqual(between.value.map((r) => r.appointmentId), [a.AppointmentId, b.AppointmentId]);
    // GET /api/v1/Appointment is the same archive.
    const rest = await call('GET', `v1/Appointment?$select=appointmentId&$filter=associateId eq ${OWNER}`);
    assert.deepEqual(rest.body.value.map((r: any) => r.appointmentId), [a.AppointmentId]);
  });

  test('unknown columns, operators and bad filters are refused', async () => {
    await create(meeting());
    await refused(400, 'ArgumentException', () => call('GET', 'v1/Archive/FindAppointment?$select=appointmentId,subject'));
    await refused(400, 'ArgumentException', () => call('GET', "v1/Archive/FindAppointment?$select=appointmentId&$filter=updatedDate since '2026-01-01'"));
    await refused(400, 'FormatException', () => call('GET', "v1/Archive/FindAppointment?$select=appointmentId&$filter=updatedDate after 'yesterday'"));
    await refused(400, 'ArgumentException', () => call('GET', 'v1/Archive/FindAppointment?$select=appointmentId&$filter=associateId eq five'));
    await refused(400, 'ArgumentException', () => call('GET', 'v1/Archive/FindAppointment?$select=appointmentId&$orderBy=nope'));
    await refused(400, 'ArgumentException', () => call('GET', 'v1/Archive/FindAppointment?$select=appointmentId&$top=-1'));
    await refused(400, 'ArgumentException', () => call('GET', 'v1/Archive/FindAppointment?$entities=person'));
  });

  test('$top/$skip paging in id order, without a nextLink for a client-set $top', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create(meeting({ Title: `M${i}` }))).AppointmentId);
    const seen: number[] = [];
    for (let skip = 0; ; skip += 3) {
      const page = await archive(`$select=appointmentId&$filter=updatedDate after '2026-01-01T00:00:00Z'&$orderBy=appointmentId&$top=3&$skip=${skip}`);
      assert.equal(page['odata.nextLink'], null);
      seen.push(...page.value.map((r) => r.appointmentId));
      if (page.value.length < 3) break;
    }
    assert.deepEqual(seen, ids);
  });

  test('a booking is one row per invited associate; the master moves and deletes its invitees\' rows', async () => {
    const master = await create(meeting({ Participants: [{ AssociateId: OWNER }, { AssociateId: COLLEAGUE }, { AssociateId: OTHER }, { PersonId: 1005 }] }));
    assert.equal(master.MotherId, master.AppointmentId);
    assert.equal(master.Participants.length, 4);
    const rows = await archive(`$select=appointmentId,associateId,booking,type,rawType&$filter=booking eq 1&$orderBy=appointmentId`);
    assert.deepEqual(
      rows.value.map((r) => [r.associateId, r.booking, r.type, r.rawType]),
      [
        [OWNER, true, 'inDiary', 1],
        [COLLEAGUE, true, 'BookingForDiary', 6],
        [OTHER, true, 'BookingForDiary', 6],
      ],
    );
    const slaveId = rows.value[1]!.appointmentId;
    const slave = await call('GET', `v1/Appointment/${slaveId}`);
    assert.equal(slave.body.MotherId, master.AppointmentId);
    assert.equal(slave.body.Associate.AssociateId, COLLEAGUE);
    assert.equal(slave.body.Participants.length, 4);

    sim.control.appointments.advance(60_000);
    await call('PUT', `v1/Appointment/${master.AppointmentId}`, { body: meeting({ StartDate: '2026-11-10T11:00:00', EndDate: '2026-11-10T12:00:00', Participants: master.Participants }) });
    assert.equal((await call('GET', `v1/Appointment/${slaveId}`)).body.StartDate, '2026-11-10T11:00:00');
    const moved = await archive(`$select=appointmentId&$filter=updatedDate after '2026-11-02T08:00:30Z'`);
    assert.equal(moved.value.length, 3, 'every row of the booking changed');

    assert.equal((await call('DELETE', `v1/Appointment/${master.AppointmentId}`)).status, 204);
    assert.equal((await archive(`$select=appointmentId&$filter=getAllRows eq 1`)).value.length, 0);
  });

  test('a recurrence is one row per occurrence with one rule id; editing one occurrence changes only it', async () => {
    const first = await create(meeting({ Recurrence: { IsRecurrence: true, Pattern: 'Daily', DayPattern: { Cycle: 1 }, RecurrenceEndType: 'Counter', RecurrenceCounter: 3 } }));
    assert.equal(first.Recurrence.IsRecurrence, true);
    assert.ok(first.Recurrence.RecurrenceId > 0);
    const rows = await archive(`$select=appointmentId,date,recurring,recurrenceRuleId&$filter=recurring eq 1&$orderBy=date`);
    assert.deepEqual(rows.value.map((r) => r.date), ['2026-11-10T09:00:00', '2026-11-11T09:00:00', '2026-11-12T09:00:00']);
    assert.ok(rows.value.every((r) => r.recurrenceRuleId === first.Recurrence.RecurrenceId && r.recurring === true));
    sim.control.appointments.advance(60_000);
    sim.control.appointments.edit(rows.value[1]!.appointmentId, { Title: 'Moved occurrence' });
    const changed = await archive(`$select=appointmentId,text&$filter=updatedDate after '2026-11-02T08:00:00Z'`);
    assert.deepEqual(changed.value.map((r) => r.text), ['Moved occurrence']);
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Recurrence: { IsRecurrence: true, Pattern: 'Monthly' } }) }));
    await refused(400, 'ArgumentException', () => call('POST', 'v1/Appointment', { body: meeting({ Recurrence: { IsRecurrence: true, Pattern: 'Daily', RecurrenceEndType: 'Counter', RecurrenceCounter: 0 } }) }));
  });

  test('ForeignSystem keys tag an appointment and find it again by value', async () => {
    const created = await create(meeting());
    const key = { ApplicationName: 'M365 Sync', DeviceName: 'Cust12345', DeviceIdentifier: 'calendar', KeyName: 'graphEventTag', TableName: 'appointment' };
    const add = await call('POST', 'v1/Agents/ForeignSystem/AddForeignKey', { body: { ...key, KeyValue: 'evt-1', RecordId: created.AppointmentId } });
    assert.equal(add.status, 200, add.text);
    assert.equal(add.body.RecordId, created.AppointmentId);
    assert.equal(add.body.Value, 'evt-1');
    // camelCase carriers bind too, as @superoffice/webapi sends them.
    const byValue = await call('POST', 'v1/Agents/ForeignSystem/GetKeyByValue', { body: { applicationName: 'M365 Sync', deviceName: 'Cust12345', deviceIdentifier: 'calendar', keyName: 'graphEventTag', tableName: 'appointment', keyValue: 'evt-1' } });
    assert.equal(byValue.body.RecordId, created.AppointmentId);
    const byRecord = await call('POST', 'v1/Agents/ForeignSystem/GetKey', { body: { ...key, RecordId: created.AppointmentId } });
    assert.equal(byRecord.body.Value, 'evt-1');
    const missing = await call('POST', 'v1/Agents/ForeignSystem/GetKeyByValue', { body: { ...key, KeyValue: 'evt-2' } });
    assert.equal(missing.status, 200);
    assert.equal(missing.text, 'null');
    const tooLong = await call('POST', 'v1/Agents/ForeignSystem/AddForeignKey', { body: { ...key, KeyValue: 'x'.repeat(240), RecordId: created.AppointmentId } });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.ErrorType, 'ArgumentException');
    assert.equal(typeof tooLong.body.Message, 'string', 'agent errors carry Message');
    assert.equal(sim.control.appointments.foreignKeys().length, 1);
    // A hard delete leaves the key behind: a client must check the record still exists.
    await call('DELETE', `v1/Appointment/${created.AppointmentId}`);
    assert.equal((await call('POST', 'v1/Agents/ForeignSystem/GetKeyByValue', { body: { ...key, KeyValue: 'evt-1' } })).body.RecordId, created.AppointmentId);
  });

  test('faults: injected 5xx and a down Web API answer before anything is stored, then it recovers', async () => {
    sim.control.failNext(1, { status: 503, retryAfterSeconds: 7 });
    await refused(503, 'Exception', () => call('POST', 'v1/Appointment', { body: meeting() }));
    const created = await create(meeting());
    sim.control.failNext(2);
    assert.equal((await call('GET', `v1/Appointment/${created.AppointmentId}`)).status, 500);
    assert.equal((await call('GET', 'v1/Archive/FindAppointment?$select=appointmentId')).status, 500);
    assert.equal((await call('GET', `v1/Appointment/${created.AppointmentId}`)).status, 200);
    sim.control.setDown('503');
    const down = await call('PUT', `v1/Appointment/${created.AppointmentId}`, { body: meeting({ Title: 'lost?' }) });
    assert.equal(down.status, 503);
    sim.control.setDown('reset');
    await assert.rejects(call('DELETE', `v1/Appointment/${created.AppointmentId}`));
    sim.control.setDown('off');
    const after = await call('GET', `v1/Appointment/${created.AppointmentId}`);
    assert.equal(after.body.Title, 'Pipeline review');
    assert.equal(sim.control.requestCount('GET /{ctx}/api/v1/Appointment/{id}'), 3);
  });

  test('control routes over HTTP: set and advance the clock, edit and delete as a user', async () => {
    const post = (path: string, method: string, body?: unknown) =>
      fetch(`${sim.url}/__sim${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    let clock = (await (await post('/clock', 'POST', { now: '2026-12-01T10:00:00Z', frozen: true })).json()) as { now: string };
    assert.equal(clock.now, '2026-12-01T10:00:00.000Z');
    clock = (await (await post('/clock', 'POST', { advanceSeconds: 90 })).json()) as { now: string };
    assert.equal(clock.now, '2026-12-01T10:01:30.000Z');
    assert.equal((await post('/clock', 'POST', { now: 'soon' })).status, 400);
    // A month on, the token from T0 has expired: the clock is the Web API's "now" for tokens too.
    assert.equal((await call('GET', 'v1/Archive/FindAppointment?$select=appointmentId')).status, 401);
    token = sim.control.issueAccessToken({ associateId: OWNER });

    const made = await post(`/appointments?as=${OWNER}`, 'POST', meeting({ StartDate: '2026-12-03T09:00:00Z', EndDate: '2026-12-03T10:00:00Z' }));
    assert.equal(made.status, 200);
    const id = ((await made.json()) as { appointmentId: number }).appointmentId;
    await post('/clock', 'POST', { advanceSeconds: 60 });
    const edited = await post(`/appointments/${id}?as=${COLLEAGUE}`, 'PATCH', { Location: 'Customer site' });
    assert.equal(edited.status, 200);
    const entity = await call('GET', `v1/Appointment/${id}`, { headers: UTC });
    assert.equal(entity.body.Location, 'Customer site');
    assert.equal(entity.body.StartDate, '2026-12-03T09:00:00Z');
    assert.equal(entity.body.UpdatedDate, '2026-12-01T10:02:30Z');
    assert.equal((await post(`/appointments/${id}`, 'PATCH', { Type: 'Party' })).status, 400);
    assert.equal((await post('/appointments/424242', 'PATCH', { Title: 'x' })).status, 404);
    assert.equal((await post(`/appointments/${id}`, 'DELETE')).status, 200);
    assert.equal((await call('GET', `v1/Appointment/${id}`)).status, 404);
    const listed = (await (await fetch(`${sim.url}/__sim/appointments`)).json()) as { value: unknown[] };
    assert.deepEqual(listed.value, []);
  });
});

describe('SuperOffice simulator: bulk seeding for load tests', () => {
  let sim: SuperOfficeSimulator;
  before(async () => {
    sim = await startFixtureSimulator();
    sim.control.appointments.setTime(T0, { frozen: true });
  });
  after(() => sim.close());
  const bulk = (body: unknown) =>
    fetch(`${sim.url}/__sim/appointments/bulk`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  test('POST /__sim/appointments/bulk saves rows the archive and the REST API serve like any other, and refuses a bad spec whole', async () => {
    sim.control.appointments.reset();
    sim.control.appointments.setTime(T0, { frozen: true });
    const before = sim.control.appointments.list().length;
    for (const bad of [
      { associateIds: [OWNER], perAssociate: 0, firstDay: '2026-11-03', days: 5 },
      { associateIds: [OWNER, 9999], perAssociate: 3, firstDay: '2026-11-03', days: 5 },
      { associateIds: [OWNER], perAssociate: 3, firstDay: '3 Nov', days: 5 },
      { associateIds: [], perAssociate: 3, firstDay: '2026-11-03', days: 5 },
      { associateIds: [OWNER], perAssociate: 1_000_001, firstDay: '2026-11-03', days: 5 },
    ]) {
      const res = await bulk(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.equal(typeof ((await res.json()) as { error: string }).error, 'string');
    }
    assert.equal(sim.control.appointments.list().length, before, 'a refused spec stores nothing');

    const res = await bulk({ associateIds: [OWNER, COLLEAGUE], perAssociate: 12, firstDay: '2026-11-03', days: 5, title: 'Load' });
    assert.equal(res.status, 200);
    const made = (await res.json()) as { created: number; firstId: number; lastId: number };
    assert.equal(made.created, 24);
    assert.equal(made.lastId - made.firstId, 23, 'consecutive ids');
    assert.equal(sim.control.appointments.get(made.firstId)?.title, 'Load 1');
    assert.equal(sim.control.appointments.get(made.lastId)?.associateId, COLLEAGUE);
    assert.equal(sim.control.appointments.get(424242), undefined);
    const token = sim.control.issueAccessToken({ associateId: OWNER });
    const archive = await api(sim, 'GET', `v1/Archive/FindAppointment?$select=appointmentId,associateId,date,endDate,text,updatedDate&$filter=${encodeURIComponent(`associateId eq ${OWNER} and updatedDate after '2026-11-01T00:00:00Z'`)}&$orderBy=date`, { token });
    assert.equal(archive.status, 200);
    const rows = archive.body.value as Record<string, any>[];
    assert.equal(rows.length, 12, 'the owner\'s 12, not the colleague\'s');
    assert.ok(rows.every((r) => r.associateId === OWNER && r.updatedDate === '2026-11-02T08:00:00Z'));
    // Round-robin over 5 days from 08:00 Oslo time, the next hour on the next round.
    assert.equal(rows[0]!.date, '2026-11-03T08:00:00');
    assert.equal(rows[0]!.text, 'Load 1');
    assert.equal(rows[1]!.date, '2026-11-03T09:00:00');
    assert.equal(rows[1]!.text, 'Load 6');
    assert.equal(rows.at(-1)!.date, '2026-11-07T09:00:00');
    const one = await api(sim, 'GET', `v1/Appointment/${made.firstId}`, { token, headers: UTC });
    assert.equal(one.status, 200);
    assert.equal(one.body.StartDate, '2026-11-03T07:00:00Z');
    assert.equal(one.body.EndDate, '2026-11-03T08:00:00Z');
    assert.equal(one.body.Type, 'inDiary');
    assert.equal(one.body.Private, 'Public');
  });

  test('an associate\'s archive rows come out the same however many other diaries the tenant holds, and follow edits, moves to another diary and deletes', async () => {
    sim.control.appointments.reset();
    sim.control.appointments.setTime(T0, { frozen: true });
    const token = sim.control.issueAccessToken({ associateId: OWNER });
    const ids = async (filter: string) => {
      const res = await api(sim, 'GET', `v1/Archive/FindAppointment?$select=appointmentId&$filter=${encodeURIComponent(filter)}&$orderBy=appointmentId`, { token });
      assert.equal(res.status, 200, res.text);
      return (res.body.value as { appointmentId: number }[]).map((r) => r.appointmentId);
    };
    sim.control.appointments.bulkCreate({ associateIds: [OWNER], perAssociate: 3, firstDay: '2026-11-03', days: 3 });
    const mine = await ids(`associateId eq ${OWNER}`);
    sim.control.appointments.bulkCreate({ associateIds: [COLLEAGUE, OTHER], perAssociate: 500, firstDay: '2026-11-03', days: 30 });
    assert.deepEqual(await ids(`associateId eq ${OWNER}`), mine);
    assert.equal((await ids(`associateId associateIsOneOf (${OWNER}, ${OTHER})`)).length, 503);
    assert.deepEqual(await ids(`associateId eq ${OWNER} and associateId eq ${OTHER}`), [], 'two different owners: no row');
    // A restriction the associate lookup does not serve scans every row, and finds the same.
    assert.deepEqual(await ids(`associateId ge ${OWNER} and associateId le ${OWNER}`), mine);
    // Given to a colleague: it leaves the owner's diary and joins theirs.
    sim.control.appointments.edit(mine[0]!, { Associate: { AssociateId: COLLEAGUE } });
    assert.deepEqual(await ids(`associateId eq ${OWNER}`), mine.slice(1));
    assert.ok((await ids(`associateId eq ${COLLEAGUE}`)).includes(mine[0]!));
    sim.control.appointments.delete(mine[1]!);
    assert.deepEqual(await ids(`associateId eq ${OWNER}`), mine.slice(2));
  });
});

describe('SuperOffice simulator: demo appointments', () => {
  let sim: SuperOfficeSimulator;
  before(async () => {
    sim = await startFixtureSimulator({ tenant: demoTenant(), clients: [CLIENT] });
  });
  after(() => sim.close());

  test('the demo tenant seeds diary entries around today, with bookings, a series and a checklist item, again after reset', async () => {
    const rows = sim.control.appointments.list();
    const now = sim.control.appointments.now();
    assert.ok(rows.length >= 30);
    assert.ok(rows.some((r) => r.start < now) && rows.some((r) => r.start > now), 'past and future');
    assert.ok(rows.every((r) => Math.abs(r.start - now) < 30 * 86_400_000), 'inside the default sync window');
    assert.ok(rows.some((r) => r.motherId !== 0 && r.motherId !== r.appointmentId), 'an invitee\'s booking row');
    assert.ok(rows.some((r) => r.recurrenceRuleId !== 0));
    assert.ok(rows.some((r) => r.type === 'inChecklist'));
    const token = sim.control.issueAccessToken({ associateId: rows[0]!.associateId });
    const res = await api(sim, 'GET', 'v1/Archive/FindAppointment?$select=appointmentId&$filter=getAllRows eq 1', { token });
    assert.equal(res.body.value.length, rows.length);
    sim.control.appointments.delete(rows[0]!.appointmentId);
    sim.control.reset();
    assert.equal(sim.control.appointments.list().length, rows.length);
  });
});
