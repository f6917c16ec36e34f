import type { DemoMailbox } from '../demo-tenant.types.js';
import { requireCalendarsRead, requireCalendarsWrite, type Principal } from './auth.js';
import type { Instance, StoredEvent } from './calendar-store.js';
import { eventSpan, instanceVersion, occurrenceOn } from './calendar-store.js';
import { ianaZone, parseQueryInstant } from './event-time.js';
import { defaultFields, eventView, instanceId, instanceLocalTimes, invalidPropertyId, OCCURRENCE_SEPARATOR, parseEventWrite, parseExpandedProperties, propertyKey, unquote, type ViewOptions } from './event-shape.js';
import { directoryOf, GRAPH_JSON, hasMailbox, type GraphEnv } from './graph-env.js';
import { GraphError, graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';

/**
 * Events in a mailbox's primary calendar (Graph docs: api/user-list-events, api/user-post-events,
 * api/event-get, api/event-update, api/event-delete, api/event-delta). `/events` and
 * `/calendar/events` are the same collection.
 */

const bad = (code: string, message: string) => new GraphError(400, code, message);
const itemNotFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

function mailbox(env: GraphEnv, p: Principal, userId: string, write: boolean): DemoMailbox {
  const user = directoryOf(env, p).find(userId);
  if (!user) throw graphErrors.userNotFound(userId);
  (write ? requireCalendarsWrite : requireCalendarsRead)(p, user.id);
  if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
  return user;
}

/** `Prefer` values, lower-cased names: `IdType="ImmutableId"`, `outlook.timezone="…"`, `odata.maxpagesize=n`. */
function preferences(call: GraphCall): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (call.headers.prefer ?? '').split(',')) {
    const m = /^\s*([\w.-]+)\s*=\s*"?([^"]*)"?\s*$/.exec(part);
    if (m) out.set(m[1]!.toLowerCase(), m[2]!);
  }
  return out;
}

/**
 * Without `Prefer: IdType="ImmutableId"` Graph answers with the default ids, which change when an
 * item moves folders (concepts/outlook-immutable-id); with it, the immutable ones. Both resolve.
 */
function viewOptions(call: GraphCall, expand: string[] | null): { view: ViewOptions; applied: string[] } {
  const prefs = preferences(call);
  const immutable = (prefs.get('idtype') ?? '').toLowerCase() === 'immutableid';
  const zoneName = prefs.get('outlook.timezone') ?? 'UTC';
  // `Prefer: outlook.body-content-type="text"|"html"`: the body converted to that type (api/event-get).
  const bodyType = prefs.get('outlook.body-content-type')?.toLowerCase();
  const applied = [];
  if (immutable) applied.push('IdType="ImmutableId"');
  if (prefs.has('outlook.timezone')) applied.push(`outlook.timezone="${zoneName}"`);
  if (bodyType === 'text' || bodyType === 'html') applied.push(`outlook.body-content-type="${bodyType}"`);
  return { view: { immutable, zone: ianaZone(zoneName), zoneName, expand, ...(bodyType === 'text' || bodyType === 'html' ? { bodyType } : {}) }, applied };
}

function respond(body: unknown, status: number, applied: string[], extra: Record<string, string> = {}): GraphResult {
  return {
    status,
    headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0', ...(applied.length ? { 'Preference-Applied': applied.join(', ') } : {}), ...extra },
    body,
  };
}



/**
 * `$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…')`: the id's
 * name is matched case-sensitively, a String value ignoring case (api/singlevaluelegacyextendedproperty-get).
 * Results omit the property unless it is also expanded. Other filters are not modelled.
 */
function parseFilter(raw: string | null): ((e: StoredEvent) => boolean) | null {
  if (raw === null) return null;
  const m = /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+\1\/value\s+eq\s+'((?:[^']|'')*)'\s*\)$/i.exec(raw.trim());
  if (!m) throw bad('ErrorInvalidUrlQueryFilter', `The simulator models only singleValueExtendedProperties/Any(ep: ep/id eq '…' and ep/value eq '…') filters on events; got: ${raw}`);
  const key = propertyKey(unquote(m[2]!));
  if (!key) throw invalidPropertyId(unquote(m[2]!));
  const value = unquote(m[3]!).toLowerCase();
  return (e) => e.extended.some((p) => propertyKey(p.id) === key && p.value.toLowerCase() === value);
}

const SELECTABLE = new Set(Object.keys(eventView({ event: { ...defaultFields(), start: { dateTime: '2000-01-01T00:00:00', timeZone: 'UTC' }, end: { dateTime: '2000-01-01T00:00:00', timeZone: 'UTC' }, changeKey: '', createdMs: 0, modifiedMs: 0, cancelledDates: new Set(), exceptions: new Map() } as unknown as StoredEvent, occurrence: null, startUtc: 0, endUtc: 0 }, { immutable: true, zone: 'UTC', zoneName: 'UTC', expand: null }, null)));

function project(view: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return view;
  const out: Record<string, unknown> = { '@odata.etag': view['@odata.etag'], id: view.id };
  for (const name of select) out[name] = view[name];
  if (view.singleValueExtendedProperties) out.singleValueExtendedProperties = view.singleValueExtendedProperties;
  return out;
}

function parseSelect(raw: string | null): string[] | null {
  if (raw === null) return null;
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    if (!SELECTABLE.has(name) || name.startsWith('@')) throw bad('RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'microsoft.graph.event'.`);
    return name;
  });
}

const single = (e: StoredEvent): Instance => ({ event: e, occurrence: null, ...eventSpan(e) });

/** An event or one occurrence by id (`{seriesId}.OCC{yyyymmdd}`). */
function findInstance(env: GraphEnv, user: DemoMailbox, id: string): Instance {
  const [base = '', occ] = id.split(OCCURRENCE_SEPARATOR);
  const e = env.calendar.find(user.id, base);
  if (!e) throw itemNotFound();
  if (occ === undefined) return single(e);
  if (!e.recurrence || !/^\d{8}$/.test(occ)) throw itemNotFound();
  const hit = occurrenceOn(e, `${occ.slice(0, 4)}-${occ.slice(4, 6)}-${occ.slice(6)}`);
  if (!hit) throw itemNotFound();
  return hit;
}

/** `If-Match: W/"changeKey"` (or `*`); a stale one is 412 (api/event-update, concepts/best-practices "optimistic concurrency"). */
function checkIfMatch(call: GraphCall, i: Instance): void {
  const header = call.headers['if-match'];
  if (header === undefined || header.trim() === '*') return;
  const tags = header.split(',').map((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, ''));
  if (!tags.includes(i.exception?.changeKey ?? i.event.changeKey)) {
    throw new GraphError(412, 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.');
  }
}

/** Writing attendees is what sends invitations (api/user-post-events): record each one for tests. */
function recordInvitations(env: GraphEnv, user: DemoMailbox, e: StoredEvent, method: 'POST' | 'PATCH'): void {
  if (e.attendees.length === 0) return;
  env.calendar.invitations.push({ userId: user.id, eventId: e.immutableId, method, attendees: e.attendees.map((a) => a.emailAddress.address), at: new Date(env.calendar.clock.now()).toISOString() });
}

const context = (env: GraphEnv, userId: string, suffix: string) => `${env.baseUrl}/v1.0/$metadata#users('${userId}')/${suffix}`;

export function listEvents(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const select = parseSelect(call.query.get('$select'));
  const filter = parseFilter(call.query.get('$filter'));
  const { view, applied } = viewOptions(call, parseExpandedProperties(call.query.get('$expand'), 'events'));
  const top = Number(call.query.get('$top') ?? '10');
  const skip = Number(call.query.get('$skip') ?? '0');
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0) throw bad('ErrorInvalidUrlQuery', 'Invalid $top or $skip.');
  let events = env.calendar.list(user.id).sort((a, b) => a.createdMs - b.createdMs || a.seq - b.seq);
  if (filter) events = events.filter(filter);
  const page = events.slice(skip, skip + top);
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, 'events') };
  body.value = page.map((e) => project(eventView(single(e), view, user.mail), select));
  if (skip + top < events.length) {
    const kept = call.rawQuery.split('&').filter((q) => q && !/^(\$|%24)skip=/i.test(q));
    body['@odata.nextLink'] = `${env.baseUrl}/v1.0${call.path}?${[...kept, `$skip=${skip + top}`].join('&')}`;
  }
  return respond(body, 200, applied);
}

/** `startDateTime`/`endDateTime` of a calendar view: both required, ISO 8601, end after start. */
function windowOf(call: GraphCall): { startMs: number; endMs: number } {
  const startRaw = call.query.get('startDateTime');
  const endRaw = call.query.get('endDateTime');
  if (startRaw === null || endRaw === null) {
    throw bad('ErrorInvalidParameter', 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.');
  }
  const startMs = parseQueryInstant(startRaw);
  const endMs = parseQueryInstant(endRaw);
  if (startMs === null || endMs === null) throw bad('ErrorInvalidParameter', `The value '${startMs === null ? startRaw : endRaw}' of parameter '${startMs === null ? 'StartDateTime' : 'EndDateTime'}' is invalid.`);
  if (endMs <= startMs) throw bad('ErrorInvalidParameter', 'EndDateTime must be after StartDateTime.');
  return { startMs, endMs };
}

/**
 * `GET /users/{id}/calendarView?startDateTime&endDateTime` (api/user-list-calendarview): the
 * occurrences, exceptions and single events in the window (series masters expanded), by start;
 * `$top` (default 10) / `$skip` paging with an `@odata.nextLink`; `$select` and the extended
 * property `$expand` as on events.
 */
export function calendarView(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const { startMs, endMs } = windowOf(call);
  const select = parseSelect(call.query.get('$select'));
  const { view, applied } = viewOptions(call, parseExpandedProperties(call.query.get('$expand'), 'events'));
  const top = Number(call.query.get('$top') ?? '10');
  const skip = Number(call.query.get('$skip') ?? '0');
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0) throw bad('ErrorInvalidUrlQuery', 'Invalid $top or $skip.');
  const all = env.calendar.instances(user.id, startMs, endMs).sort((a, b) => a.startUtc - b.startUtc || instanceId(a, true).localeCompare(instanceId(b, true)));
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, 'calendarView') };
  body.value = all.slice(skip, skip + top).map((i) => project(eventView(i, view, user.mail), select));
  if (skip + top < all.length) {
    const kept = call.rawQuery.split('&').filter((q) => q && !/^(\$|%24)skip=/i.test(q));
    body['@odata.nextLink'] = `${env.baseUrl}/v1.0${call.path}?${[...kept, `$skip=${skip + top}`].join('&')}`;
  }
  return respond(body, 200, applied);
}

export function getEvent(env: GraphEnv, call: GraphCall, p: Principal, userId: string, id: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const select = parseSelect(call.query.get('$select'));
  const { view, applied } = viewOptions(call, parseExpandedProperties(call.query.get('$expand'), 'events'));
  const instance = findInstance(env, user, id);
  return respond({ '@odata.context': context(env, userId, 'events/$entity'), ...project(eventView(instance, view, user.mail), select) }, 200, applied);
}

/**
 * POST: 201 with the event. A repeated `transactionId` answers the event already created and
 * creates nothing (resources/event transactionId: "to avoid redundant POST operations in case of
 * client retries"; observed as 201 without a new item).
 */
export function createEvent(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const { view, applied } = viewOptions(call, null);
  const parsed = parseEventWrite(call.body);
  if (parsed.transactionId !== undefined) {
    const existing = env.calendar.findByTransactionId(user.id, parsed.transactionId);
    if (existing) return respond({ '@odata.context': context(env, userId, 'events/$entity'), ...eventView(single(existing), view, user.mail) }, 201, applied);
  }
  const e = env.calendar.create(user.id, { ...defaultFields(), ...parsed.fields }, parsed.transactionId ?? null);
  recordInvitations(env, user, e, 'POST');
  return respond({ '@odata.context': context(env, userId, 'events/$entity'), ...eventView(single(e), view, user.mail) }, 201, applied);
}

export function updateEvent(env: GraphEnv, call: GraphCall, p: Principal, userId: string, id: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const { view, applied } = viewOptions(call, null);
  const instance = findInstance(env, user, id);
  const e = instance.event;
  checkIfMatch(call, instance);
  if (instance.occurrence) {
    // Editing one occurrence makes it an exception (resources/event type); it cannot carry its own recurrence.
    const b = (call.body ?? {}) as Record<string, unknown>;
    if (b && typeof b === 'object' && ('recurrence' in b || 'transactionId' in b)) throw bad('ErrorInvalidRequest', 'An occurrence cannot be given a recurrence or a transactionId.');
    if (b && typeof b === 'object' && 'singleValueExtendedProperties' in b) throw new GraphError(501, 'NotImplemented', 'The simulator does not model extended properties on one occurrence.');
    const { startLocal, endLocal } = instanceLocalTimes(instance);
    const parsed = parseEventWrite(call.body, { ...e, ...instance.exception?.fields, start: startLocal, end: endLocal });
    env.calendar.updateOccurrence(e, instance.occurrence, parsed.fields);
    const updated = findInstance(env, user, id);
    return respond({ '@odata.context': context(env, userId, 'events/$entity'), ...eventView(updated, view, user.mail) }, 200, applied);
  }
  const parsed = parseEventWrite(call.body, e);
  const attendeesWritten = parsed.fields.attendees !== undefined;
  env.calendar.update(e, parsed.fields);
  if (attendeesWritten) recordInvitations(env, user, e, 'PATCH');
  return respond({ '@odata.context': context(env, userId, 'events/$entity'), ...eventView(single(e), view, user.mail) }, 200, applied);
}

/** DELETE: 204. Deleting an occurrence removes that date from its series. */
export function deleteEvent(env: GraphEnv, call: GraphCall, p: Principal, userId: string, id: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const instance = findInstance(env, user, id);
  checkIfMatch(call, instance);
  if (instance.occurrence) env.calendar.cancelOccurrence(instance.event, instance.occurrence);
  else env.calendar.delete(instance.event);
  return { status: 204, headers: {} };
}

const DELTA_UNSUPPORTED = ['$select', '$expand', '$filter', '$orderby', '$search', '$top', '$skip'];
const DEFAULT_DELTA_PAGE = 10;
const MAX_DELTA_PAGE = 1000;
/**
 * Outlook delta tokens live in a bounded cache (delta-query-overview, "Token duration"); a lost one
 * answers 410 with the sync-state code and message Graph uses for expired delta links.
 */
const syncStateNotFound = () => new GraphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');

/**
 * `GET /users/{id}/calendarView/delta` (api/event-delta, concepts/delta-query-events):
 * `startDateTime`/`endDateTime` only on the first call; `@odata.nextLink` pages (`$skiptoken`) end
 * with an `@odata.deltaLink` (`$deltatoken`); query options are refused; `@removed` for deletes
 * and for events that left the window or changed outside it; an evicted token answers 410
 * `syncStateNotFound` (delta-query-overview, "Token duration"). Page size: `Prefer: odata.maxpagesize`.
 */
export function calendarViewDelta(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const used = DELTA_UNSUPPORTED.filter((o) => call.query.has(o));
  if (used.length > 0) throw bad('ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the 'Events' resource: '${used.join(', ')}'.`);
  const { view, applied } = viewOptions(call, null);
  // An unusable preference is ignored, as preferences are (RFC 7240 §2).
  const asked = Number(preferences(call).get('odata.maxpagesize'));
  const pageSize = Number.isInteger(asked) && asked >= 1 && asked <= MAX_DELTA_PAGE ? asked : DEFAULT_DELTA_PAGE;
  if (pageSize === asked) applied.push(`odata.maxpagesize=${pageSize}`);
  const base = `${env.baseUrl}/v1.0/users/${encodeURIComponent(userId)}/calendarView/delta`;

  const skip = call.query.get('$skiptoken');
  const deltaToken = call.query.get('$deltatoken');
  let pageSetId: string;
  let offset = 0;
  if (skip !== null) {
    const [id = '', at = ''] = skip.split('.');
    const set = env.calendar.deltaPageSet(id);
    if (!set || set.mailboxId !== user.id || !/^\d+$/.test(at)) throw syncStateNotFound();
    pageSetId = id;
    offset = Number(at);
  } else {
    let state;
    if (deltaToken !== null) {
      state = env.calendar.deltaState(deltaToken);
      if (!state || state.mailboxId !== user.id) throw syncStateNotFound();
    } else {
      const { startMs, endMs } = windowOf(call);
      state = { mailboxId: user.id, startMs, endMs, known: new Map<string, string>(), seq: -1 };
    }
    pageSetId = deltaRound(env, user, state, view);
  }
  const set = env.calendar.deltaPageSet(pageSetId)!;
  const page = set.items.slice(offset, offset + pageSize);
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, 'calendarView/delta') };
  if (offset + pageSize < set.items.length) body['@odata.nextLink'] = `${base}?$skiptoken=${pageSetId}.${offset + pageSize}`;
  else body['@odata.deltaLink'] = `${base}?$deltatoken=${set.nextState}`;
  body.value = page;
  return respond(body, 200, applied);
}

/** One delta round, frozen at its start so paging is consistent; returns its page set's id. */
function deltaRound(env: GraphEnv, user: DemoMailbox, state: { startMs: number; endMs: number; known: Map<string, string>; seq: number }, view: ViewOptions): string {
  const cal = env.calendar;
  const now = cal.instances(user.id, state.startMs, state.endMs);
  const known = new Map<string, string>();
  const items: Record<string, unknown>[] = [];
  const removed = new Set<string>();
  for (const i of now) {
    const key = instanceId(i, true);
    known.set(key, instanceVersion(i));
    if (state.known.get(key) !== instanceVersion(i)) items.push(eventView(i, view, user.mail));
  }
  const removedItem = (immutableKey: string, restKey: string) => {
    if (removed.has(immutableKey)) return;
    removed.add(immutableKey);
    items.push({ '@odata.type': '#microsoft.graph.event', id: view.immutable ? immutableKey : restKey, '@removed': { reason: 'deleted' } });
  };
  const restOf = (key: string) => {
    const [b = '', occ] = key.split(OCCURRENCE_SEPARATOR);
    const e = cal.find(user.id, b);
    return e ? e.restId + (occ !== undefined ? OCCURRENCE_SEPARATOR + occ : '') : key;
  };
  for (const key of state.known.keys()) if (!known.has(key)) removedItem(key, restOf(key));
  if (state.seq >= 0) {
    // api/event-delta: @removed also stands for events outside the window that were added, updated or deleted.
    const inWindow = new Set(now.map((i) => i.event));
    const changed = cal.changedSince(user.id, state.seq);
    for (const e of changed.events) if (!inWindow.has(e)) removedItem(e.immutableId, e.restId);
    for (const t of changed.deleted) removedItem(t.immutableId, t.restId);
  }
  const nextState = cal.saveDeltaState({ mailboxId: user.id, startMs: state.startMs, endMs: state.endMs, known, seq: cal.currentSeq });
  return cal.saveDeltaPages({ mailboxId: user.id, items, nextState });
}
