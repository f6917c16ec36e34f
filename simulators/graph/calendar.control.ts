import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { CalendarStore, StoredEvent } from './calendar-store.js';
import { checkBulkEventSpec, seedBulkEvents } from './calendar-seed.js';
import { defaultFields } from './event-shape.js';
import type { GraphControl } from './graph.types.js';

function storedView(e: StoredEvent) {
  return {
    id: e.immutableId,
    restId: e.restId,
    subject: e.subject,
    start: e.start,
    end: e.end,
    isAllDay: e.isAllDay,
    transactionId: e.transactionId,
    changeKey: e.changeKey,
    lastModifiedDateTime: new Date(e.modifiedMs).toISOString(),
    singleValueExtendedProperties: e.extended.map((p) => ({ ...p })),
    attendees: e.attendees.length,
    recurrence: e.recurrence !== null,
    isCancelled: e.isCancelled,
    organizer: e.organizer,
  };
}

function find(cal: CalendarStore, userId: string, id: string): StoredEvent | undefined {
  return cal.find(userId.toLowerCase(), id);
}

/**
 * Calendar test controls under `/__sim` (no token: they stand for the user and the test harness):
 * - `GET|POST /__sim/clock` `{now: ISO}` or `{advanceSeconds}`: lastModifiedDateTime, budgets and delta use it
 * - `GET /__sim/concurrency`: most concurrent requests seen per mailbox (counting refused ones) and the limit
 * - `POST /__sim/mailbox-budget` `{limit, windowSeconds}` or `{}` for none (default 10,000 per 600 s)
 * - `GET /__sim/calendar/users/{id}/events`: every stored event with ids and extended properties
 * - `POST /__sim/calendar/users/{id}/events/{eventId}/copy`: the user copies it (the tag comes along)
 * - `POST /__sim/calendar/users/{id}/events/{eventId}/move`: moved to another folder and back (new REST id)
 * - `POST /__sim/calendar/events/bulk` `{mailboxIds, perMailbox, firstDay, days, subject?}`: user-made events in bulk (load tests)
 * - `POST /__sim/calendar/expire-delta-tokens` `{userId?}`: evicts delta state → 410 syncStateNotFound
 * - `GET /__sim/calendar/invitations`: every write that carried attendees (and so sent invitations)
 * - `POST /__sim/calendar/users/{id}/received` `{subject, start, end, organizer: {name, address}}`: a
 *   meeting someone else organizes lands in the user's calendar (`isOrganizer` false)
 * - `POST /__sim/calendar/users/{id}/events/{eventId}/organizer-cancel`: that organizer cancels it
 *   (`isCancelled` true, "Canceled: " before the subject)
 */
export function calendarControlRoutes(control: GraphControl, mailboxOf: (id: string) => string | null): Router {
  const cal = control.calendar;
  const router = new Router({ prefix: '/__sim' });
  // Room for a bulk seed's list of 1,000s of mailbox ids.
  router.use(bodyParser({ enableTypes: ['json'], jsonLimit: '1mb' }));
  const refuse = (ctx: { status: number; body: unknown }, message: string) => {
    ctx.status = 400;
    ctx.body = { error: { code: 'BadRequest', message } };
  };

  router.get('/clock', (ctx) => {
    ctx.body = { now: new Date(cal.clock.now()).toISOString() };
  });
  router.post('/clock', (ctx) => {
    const b = (ctx.request.body ?? {}) as { now?: unknown; advanceSeconds?: unknown };
    const at = typeof b.now === 'string' ? Date.parse(b.now) : NaN;
    if (typeof b.now === 'string' && !Number.isNaN(at)) cal.clock.set(at);
    else if (typeof b.advanceSeconds === 'number' && Number.isFinite(b.advanceSeconds)) cal.clock.advance(b.advanceSeconds * 1000);
    else return refuse(ctx, 'Send {now: ISO 8601} or {advanceSeconds: number}.');
    ctx.body = { now: new Date(cal.clock.now()).toISOString() };
  });
  router.get('/concurrency', (ctx) => {
    ctx.body = control.concurrency();
  });
  router.post('/mailbox-budget', (ctx) => {
    const b = (ctx.request.body ?? {}) as { limit?: unknown; windowSeconds?: unknown };
    const budget = typeof b.limit === 'number' && typeof b.windowSeconds === 'number' ? { limit: b.limit, windowSeconds: b.windowSeconds } : null;
    control.setMailboxBudget(budget);
    ctx.body = { mailboxBudget: budget };
  });
  router.get('/calendar/users/:userId/events', (ctx) => {
    ctx.body = { value: cal.list(ctx.params.userId!.toLowerCase()).map(storedView) };
  });
  router.post('/calendar/users/:userId/events/:eventId/copy', (ctx) => {
    const e = find(cal, ctx.params.userId!, ctx.params.eventId!);
    if (!e) return refuse(ctx, 'No such event.');
    // Outlook's copy keeps every property, extended ones included, but not the client's transactionId.
    const { mailboxId, subject, body, start, end, isAllDay, location, showAs, sensitivity, categories, isReminderOn, recurrence, attendees, extended } = e;
    const copy = cal.create(mailboxId, { subject, body: { ...body }, start: { ...start }, end: { ...end }, isAllDay, location: { ...location }, showAs, sensitivity, categories: [...categories], isReminderOn, recurrence, attendees: [...attendees], extended: extended.map((p) => ({ ...p })) }, null);
    ctx.status = 201;
    ctx.body = storedView(copy);
  });
  router.post('/calendar/users/:userId/events/:eventId/move', (ctx) => {
    const e = find(cal, ctx.params.userId!, ctx.params.eventId!);
    if (!e) return refuse(ctx, 'No such event.');
    cal.move(e);
    ctx.body = storedView(e);
  });
  router.post('/calendar/events/bulk', (ctx) => {
    let spec;
    try {
      spec = checkBulkEventSpec(ctx.request.body, mailboxOf);
    } catch (err) {
      return refuse(ctx, (err as Error).message);
    }
    ctx.body = { created: seedBulkEvents(cal, spec) };
  });
  router.post('/calendar/expire-delta-tokens', (ctx) => {
    const b = (ctx.request.body ?? {}) as { userId?: unknown };
    ctx.body = { expired: cal.expireDeltaTokens(typeof b.userId === 'string' ? b.userId.toLowerCase() : undefined) };
  });
  const zoned = (v: unknown) =>
    typeof v === 'object' && v !== null && typeof (v as { dateTime?: unknown }).dateTime === 'string' && typeof (v as { timeZone?: unknown }).timeZone === 'string'
      ? { dateTime: (v as { dateTime: string }).dateTime, timeZone: (v as { timeZone: string }).timeZone }
      : null;
  router.post('/calendar/users/:userId/received', (ctx) => {
    const b = (ctx.request.body ?? {}) as { subject?: unknown; start?: unknown; end?: unknown; organizer?: { name?: unknown; address?: unknown } };
    const start = zoned(b.start);
    const end = zoned(b.end);
    if (typeof b.subject !== 'string' || !start || !end || typeof b.organizer?.address !== 'string') {
      return refuse(ctx, 'Send {subject, start: {dateTime, timeZone}, end: {dateTime, timeZone}, organizer: {name, address}}.');
    }
    const organizer = { name: typeof b.organizer.name === 'string' ? b.organizer.name : b.organizer.address, address: b.organizer.address };
    ctx.status = 201;
    ctx.body = storedView(cal.receive(ctx.params.userId!.toLowerCase(), { ...defaultFields(), subject: b.subject, start, end }, organizer));
  });
  router.post('/calendar/users/:userId/events/:eventId/organizer-cancel', (ctx) => {
    const e = find(cal, ctx.params.userId!, ctx.params.eventId!);
    if (!e) return refuse(ctx, 'No such event.');
    if (e.organizer === null) return refuse(ctx, "The user organizes this event: only a meeting they received is cancelled by its organizer.");
    cal.cancelByOrganizer(e);
    ctx.body = storedView(e);
  });
  router.get('/calendar/invitations', (ctx) => {
    ctx.body = { value: cal.invitations.map((i) => ({ ...i })) };
  });
  return router;
}
