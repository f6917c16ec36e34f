import Router from '@koa/router';
import type { Context } from 'koa';
import type { DemoAppointmentSeed } from '../demo-appointments.js';
import { parseAppointment, renderAppointment } from './appointment.entity.js';
import type { StoredAppointment } from './appointment.store.js';
import { formatLocal, parseDate, type DateStyle } from './appointment.time.js';
import { asBody, field } from './body.js';
import { SoError } from './errors.js';
import type { ForeignKeyRow } from './foreign-keys.js';
import { tenantKey, type SimState, type TenantState } from './sim.types.js';

export interface UserEditOptions {
  /** The associate doing it (`UpdatedBy`); the owner by default. */
  asAssociateId?: number;
  /** Defaults to the first tenant. */
  contextId?: string;
}

/**
 * Many diary appointments at once, for load tests (one request instead of one per row): for each
 * associate, `perAssociate` public one-hour `inDiary` appointments titled "{title} {n}", spread
 * round-robin over `days` days from `firstDay` (tenant-local date) at 08:00, 09:00, … 16:00 local.
 */
export interface BulkAppointmentSpec {
  associateIds: number[];
  perAssociate: number;
  firstDay: string;
  days: number;
  title?: string;
}

/** At most this many rows per bulk call: enough for 1,000 users × 1,000 appointments. */
export const BULK_MAX_ROWS = 1_000_000;

/** Levers for appointments and the clock; also over HTTP under `/__sim/clock` and `/__sim/appointments`. */
export interface AppointmentSimControl {
  /** The simulator's time (ms): `UpdatedDate`, token expiry and every other "now" read it. */
  now(): number;
  /** Jumps to `ms`; with `frozen` the clock then stands still until set or advanced again. */
  setTime(ms: number, options?: { frozen?: boolean }): void;
  advance(ms: number): void;
  /** A copy of one appointment row, or undefined when there is none. */
  get(appointmentId: number, contextId?: string): StoredAppointment | undefined;
  /** Copies of every appointment row of a tenant, booking and occurrence rows included. */
  list(contextId?: string): StoredAppointment[];
  /** A user creates an appointment in the CRM client (an `AppointmentEntity`-shaped body, dates in UTC). */
  create(entity: Record<string, unknown>, options: UserEditOptions & { asAssociateId: number }): StoredAppointment;
  /** A user edits some fields (entity names, dates in UTC); the rest stay. `UpdatedDate` becomes now. */
  edit(appointmentId: number, patch: Record<string, unknown>, options?: UserEditOptions): StoredAppointment;
  /** Bulk seeding (see BulkAppointmentSpec): rows saved by their owners now, ids consecutive. Refuses a bad spec whole. */
  bulkCreate(spec: BulkAppointmentSpec, contextId?: string): { created: number; firstId: number; lastId: number };
  /** A user deletes the appointment: a hard delete, gone from the archive without a trace. Returns the rows removed. */
  delete(appointmentId: number, contextId?: string): number[];
  /** The ForeignSystem keys stored in a tenant. */
  foreignKeys(contextId?: string): ForeignKeyRow[];
  /** Back to the start clock, every tenant's appointments re-seeded and its foreign keys gone. */
  reset(): void;
}

const UTC_STYLE: DateStyle = { timeZone: 'UTC', utc: true, includeOffset: true };
const DAY = 86_400_000;

function tenantOf(sim: SimState, contextId: string | undefined): TenantState {
  const tenant = contextId ? sim.tenants.get(tenantKey(contextId)) : sim.tenants.values().next().value;
  if (!tenant) throw new Error(`Unknown tenant ${contextId ?? ''}`);
  return tenant;
}

/** Materialises the tenant's demo appointments relative to today in the tenant's zone. */
export function seedAppointments(sim: SimState, tenant: TenantState, seeds: DemoAppointmentSeed[]): void {
  const now = sim.clock();
  const today = Date.parse(`${formatLocal(now, sim.timeZone).slice(0, 10)}T00:00:00Z`);
  for (const seed of seeds) {
    const day = new Date(today + seed.dayOffset * DAY).toISOString().slice(0, 10);
    const start = parseDate(`${day}T${seed.allDay ? '00:00' : seed.startTime}:00`, sim.timeZone, 'seed')!;
    const owner = tenant.associates.get(seed.associateId);
    if (!owner) throw new Error(`Seed appointment for unknown associate ${seed.associateId}`);
    const invitees = seed.invitees ?? [];
    tenant.appointments.create(
      {
        associateId: seed.associateId,
        contactId: 0,
        personId: 0,
        start,
        end: start + seed.minutes * 60_000,
        type: seed.type ?? 'inDiary',
        title: seed.title,
        description: seed.description ?? '',
        location: seed.location ?? '',
        isAllDay: seed.allDay ?? false,
        isFree: seed.isFree ?? false,
        private: seed.private ?? 'Public',
        completed: 'NotStarted',
        participants: invitees.length === 0 ? [] : [seed.associateId, ...invitees].map((id) => ({ associateId: id, personId: 0, contactId: 0, emailId: 0, sendEmail: false })),
      },
      seed.associateId,
      now - 7 * DAY,
      seed.dailyOccurrences ? { pattern: 'Daily', cycle: 1, starts: Array.from({ length: seed.dailyOccurrences }, (_, i) => start + i * DAY) } : undefined,
    );
  }
}

const SLOTS_PER_DAY = 9;

function checkBulkSpec(raw: unknown, tenant: TenantState): BulkAppointmentSpec {
  const spec = asBody(raw);
  const ids = field(spec, 'associateIds');
  const per = field(spec, 'perAssociate');
  const days = field(spec, 'days');
  const firstDay = field(spec, 'firstDay');
  const title = field(spec, 'title') ?? 'Appointment';
  const whole = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => whole(id, 1, Number.MAX_SAFE_INTEGER))) throw new Error('associateIds must be a non-empty list of associate ids');
  const unknown = ids.find((id) => !tenant.associates.has(id as number));
  if (unknown !== undefined) throw new Error(`Unknown associate ${String(unknown)}`);
  if (!whole(per, 1, BULK_MAX_ROWS)) throw new Error('perAssociate must be a whole number from 1');
  if (ids.length * (per as number) > BULK_MAX_ROWS) throw new Error(`At most ${BULK_MAX_ROWS} appointments per bulk call`);
  if (!whole(days, 1, 3660)) throw new Error('days must be a whole number from 1 to 3660');
  if (typeof firstDay !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(firstDay) || Number.isNaN(Date.parse(`${firstDay}T00:00:00Z`))) throw new Error('firstDay must be a date (YYYY-MM-DD)');
  if (typeof title !== 'string') throw new Error('title must be a string');
  return { associateIds: ids as number[], perAssociate: per as number, days: days as number, firstDay, title };
}

/** Writes the rows straight to the store: the same rows a user would make, without parsing 200,000 entities. */
function bulkCreate(sim: SimState, tenant: TenantState, spec: BulkAppointmentSpec): { created: number; firstId: number; lastId: number } {
  const first = Date.parse(`${spec.firstDay}T00:00:00Z`);
  const now = sim.clock();
  let firstId = 0;
  let lastId = 0;
  for (const associateId of spec.associateIds) {
    for (let i = 0; i < spec.perAssociate; i++) {
      const day = new Date(first + (i % spec.days) * DAY).toISOString().slice(0, 10);
      const hour = 8 + (Math.floor(i / spec.days) % SLOTS_PER_DAY);
      const start = parseDate(`${day}T${String(hour).padStart(2, '0')}:00:00`, sim.timeZone, 'bulk')!;
      const row = tenant.appointments.create(
        { associateId, contactId: 0, personId: 0, start, end: start + 3_600_000, type: 'inDiary', title: `${spec.title} ${i + 1}`, description: '', location: '', isAllDay: false, isFree: false, private: 'Public', completed: 'NotStarted', participants: [] },
        associateId,
        now,
      );
      firstId ||= row.appointmentId;
      lastId = row.appointmentId;
    }
  }
  return { created: spec.associateIds.length * spec.perAssociate, firstId, lastId };
}

/**
 * Replaces `sim.clock` with one the control API can set and advance (on top of the clock the
 * simulator was started with), and returns the appointment levers.
 */
export function createAppointmentControl(sim: SimState): AppointmentSimControl {
  const base = sim.clock;
  let offset = 0;
  let frozenAt: number | undefined;
  sim.clock = () => frozenAt ?? base() + offset;
  const seedAll = () => {
    for (const tenant of sim.tenants.values()) {
      tenant.appointments.clear();
      tenant.foreignKeys.clear();
      seedAppointments(sim, tenant, tenant.tenant.appointments ?? []);
    }
  };
  seedAll();

  const row = (tenant: TenantState, id: number) => {
    const found = tenant.appointments.get(id);
    if (!found) throw new Error(`No appointment ${id} in ${tenant.tenant.contextId}`);
    return found;
  };
  return {
    now: () => sim.clock(),
    setTime: (ms, options = {}) => {
      offset = ms - base();
      frozenAt = options.frozen ? ms : undefined;
    },
    advance: (ms) => {
      if (frozenAt !== undefined) frozenAt += ms;
      else offset += ms;
    },
    get: (id, contextId) => {
      const r = tenantOf(sim, contextId).appointments.get(id);
      return r && { ...r, participants: r.participants.map((p) => ({ ...p })) };
    },
    list: (contextId) => tenantOf(sim, contextId).appointments.all().map((r) => ({ ...r, participants: r.participants.map((p) => ({ ...p })) })),
    create: (entity, options) => {
      const tenant = tenantOf(sim, options.contextId);
      const parsed = parseAppointment(entity, tenant, UTC_STYLE);
      return { ...tenant.appointments.create(parsed.fields, options.asAssociateId, sim.clock(), parsed.recurrence) };
    },
    edit: (id, patch, options = {}) => {
      const tenant = tenantOf(sim, options.contextId);
      const current = row(tenant, id);
      // The user's edit goes through the same rules as the API's: the current entity, overlaid.
      const entity = { ...renderAppointment(current, tenant, tenant.appointments, UTC_STYLE, ''), Recurrence: null, ...patch };
      const parsed = parseAppointment(entity, tenant, UTC_STYLE);
      return { ...tenant.appointments.update(id, parsed.fields, options.asAssociateId ?? current.associateId, sim.clock()) };
    },
    bulkCreate: (spec, contextId) => {
      const tenant = tenantOf(sim, contextId);
      return bulkCreate(sim, tenant, checkBulkSpec(spec, tenant));
    },
    delete: (id, contextId) => tenantOf(sim, contextId).appointments.delete(id),
    foreignKeys: (contextId) => tenantOf(sim, contextId).foreignKeys.list(),
    reset: () => {
      offset = 0;
      frozenAt = undefined;
      seedAll();
    },
  };
}

function badRequest(ctx: Context, message: string): void {
  ctx.status = 400;
  ctx.body = { error: message };
}

/** Runs a control operation, answering its refusal (a bad body, an unknown id) as a 400 / 404. */
function attempt(ctx: Context, op: () => unknown): void {
  try {
    ctx.body = op();
  } catch (err) {
    if (err instanceof SoError) {
      ctx.status = err.status;
      ctx.body = { error: err.message };
    } else if (err instanceof Error && /^No appointment/.test(err.message)) {
      ctx.status = 404;
      ctx.body = { error: err.message };
    } else badRequest(ctx, (err as Error).message);
  }
}

function contextOf(ctx: Context): string | undefined {
  return typeof ctx.query.ctx === 'string' ? ctx.query.ctx : undefined;
}

/**
 * `/__sim/clock` (GET; POST `{ now?: ISO, frozen?: bool, advanceSeconds?: n }`) and
 * `/__sim/appointments` (GET list; POST create, PATCH `/:id` edit, DELETE `/:id`: as a user would;
 * POST `/bulk` a BulkAppointmentSpec for load tests,
 * bodies in the AppointmentEntity shape with UTC dates; `?ctx=` picks the tenant, `?as=` the user).
 */
export function appointmentControlRoutes(router: Router, control: AppointmentSimControl): void {
  const clockView = () => ({ now: new Date(control.now()).toISOString() });
  router.get('/clock', (ctx) => {
    ctx.body = clockView();
  });
  router.post('/clock', (ctx) => {
    const body = asBody(ctx.request.body);
    const now = field(body, 'now');
    const advance = field(body, 'advanceSeconds');
    if (now !== undefined && (typeof now !== 'string' || Number.isNaN(Date.parse(now)))) return badRequest(ctx, 'now must be an ISO date');
    if (advance !== undefined && (typeof advance !== 'number' || !Number.isFinite(advance))) return badRequest(ctx, 'advanceSeconds must be a number');
    if (typeof now === 'string') control.setTime(Date.parse(now), { frozen: field(body, 'frozen') === true });
    if (typeof advance === 'number') control.advance(advance * 1000);
    ctx.body = clockView();
  });

  router.get('/appointments', (ctx) => attempt(ctx, () => ({ value: control.list(contextOf(ctx)) })));
  router.get('/foreign-keys', (ctx) => attempt(ctx, () => ({ value: control.foreignKeys(contextOf(ctx)) })));
  const asOf = (ctx: Context) => (typeof ctx.query.as === 'string' && /^\d+$/.test(ctx.query.as) ? Number(ctx.query.as) : undefined);
  router.post('/appointments', (ctx) =>
    attempt(ctx, () => {
      const body = asBody(ctx.request.body);
      const as = asOf(ctx) ?? Number(asBody(field(body, 'Associate')).AssociateId ?? 0);
      return control.create(body, { asAssociateId: as, contextId: contextOf(ctx) });
    }),
  );
  router.post('/appointments/bulk', (ctx) => attempt(ctx, () => control.bulkCreate(asBody(ctx.request.body) as unknown as BulkAppointmentSpec, contextOf(ctx))));
  router.patch('/appointments/:id', (ctx) =>
    attempt(ctx, () => control.edit(Number(ctx.params.id), asBody(ctx.request.body), { asAssociateId: asOf(ctx), contextId: contextOf(ctx) })),
  );
  router.delete('/appointments/:id', (ctx) => attempt(ctx, () => ({ deleted: control.delete(Number(ctx.params.id), contextOf(ctx)) })));
}
