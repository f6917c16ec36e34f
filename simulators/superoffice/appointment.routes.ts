import Router from '@koa/router';
import { appointmentColumns, appointmentFilter, appointmentFullRow, appointmentSlimRow, appointmentSort, sortAppointments, APPOINTMENT_PROVIDER } from './appointment.archive.js';
import { parseAppointment, renderAppointment } from './appointment.entity.js';
import { dateStyle, formatEntityDate, type DateStyle } from './appointment.time.js';
import type { StoredAppointment } from './appointment.store.js';
import { nextLink, nonNegative, queryValue } from './archive.routes.js';
import { SoError, sendJsonNull } from './errors.js';
import type { ForeignKeyRow } from './foreign-keys.js';
import { linkBaseOf, webApiUrlOf, type SimContext, type SimRequestState } from './sim.types.js';

function styleOf(ctx: SimContext): DateStyle {
  return dateStyle(ctx.get('SO-TimeZone') || undefined, ctx.state.sim.timeZone);
}

function idOf(ctx: SimContext): number {
  const raw = ctx.params.id ?? '';
  if (!/^\d+$/.test(raw)) throw new SoError(400, 'ArgumentException', `'${raw}' is not a valid appointment id.`);
  return Number(raw);
}

function found(ctx: SimContext, id: number): StoredAppointment {
  const row = ctx.state.caller.tenant.appointments.get(id);
  if (!row) throw new SoError(404, 'SoNotFoundException', `Appointment id ${id} not found`);
  return row;
}

/** An HTTP date (RFC 1123); an unparsable one is ignored, as RFC 9110 §13.1.4 says. */
function httpDate(ctx: SimContext, name: string): number | undefined {
  const value = ctx.get(name);
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** HTTP dates have whole seconds: "changed since T" compares the update's second with T. */
function changedSince(row: StoredAppointment, since: number): boolean {
  return Math.floor(row.updated / 1000) * 1000 > since;
}

/**
 * `If-Unmodified-Since` on PUT/PATCH/DELETE answers 412 when the entity changed after that time
 * (NetServer "HTTP headers" page: conditional requests; no ETag/If-Match support).
 */
function checkUnmodified(ctx: SimContext, row: StoredAppointment): void {
  const since = httpDate(ctx, 'If-Unmodified-Since');
  if (since !== undefined && changedSince(row, since)) {
    throw new SoError(412, 'PreconditionFailedException', `Appointment id ${row.appointmentId} was modified after ${new Date(since).toUTCString()}.`);
  }
}

function entityBody(ctx: SimContext, row: StoredAppointment): Record<string, unknown> {
  const { sim, caller } = ctx.state;
  const self = `${webApiUrlOf(sim, caller.tenant.tenant.contextId)}v1/Appointment/${row.appointmentId}`;
  return renderAppointment(row, caller.tenant, caller.tenant.appointments, styleOf(ctx), self);
}

/** `ForeignKeyEntity` as the ForeignSystem agent returns it. */
function foreignKeyEntity(row: ForeignKeyRow, style: DateStyle): Record<string, unknown> {
  return {
    ForeignKeyId: row.foreignKeyId,
    Key: row.keyName,
    Value: row.keyValue,
    RecordId: row.recordId,
    TableName: row.tableName,
    CreatedDate: formatEntityDate(row.created, style),
    UpdatedDate: formatEntityDate(row.created, style),
    CreatedBy: '',
    UpdatedBy: '',
  };
}

/**
 * Appointment REST (restful/rest/Appointment: v1AppointmentEntity_GetAppointmentEntity,
 * _PostAppointmentEntity, _PutAppointmentEntity, _DeleteAppointmentEntity, _GetAll), the
 * FindAppointment archive, and the ForeignSystem agent's key calls.
 */
export function appointmentRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();

  /** OData over FindAppointment: `$select`, `$filter`, `$orderBy`, `$top`/`$skip`, `$mode`. */
  function archive(ctx: SimContext): void {
    const { sim, caller } = ctx.state;
    const columns = appointmentColumns(queryValue(ctx, '$select') ?? '');
    const sort = appointmentSort(queryValue(ctx, '$orderBy') ?? '');
    const { where, associateIds } = appointmentFilter(queryValue(ctx, '$filter') ?? '', sim.timeZone);
    const entities = (queryValue(ctx, '$entities') ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (entities.some((e) => e !== 'appointment')) throw new SoError(400, 'ArgumentException', `${APPOINTMENT_PROVIDER} has only the entity 'appointment'.`);
    const mode = (queryValue(ctx, '$mode') ?? 'Slim').toLowerCase();
    if (mode !== 'slim' && mode !== 'full') throw new SoError(400, 'ArgumentException', '$mode must be Slim or Full.');
    // A hard-deleted appointment is simply no longer a row: polling cannot see deletes (apps/best-practices.md).
    const candidates = associateIds ? caller.tenant.appointments.ofAssociates(associateIds) : caller.tenant.appointments.all();
    const rows = sortAppointments(candidates.filter(where), sort);
    const skip = nonNegative(ctx, '$skip') ?? 0;
    const requestedTop = nonNegative(ctx, '$top');
    const top = Math.min(requestedTop ?? sim.odataMaxPageSize, sim.odataMaxPageSize);
    const page = rows.slice(skip, skip + top);
    const more = top > 0 && skip + top < rows.length;
    // As for the other archives: no nextLink for a client-set $top (a real capture shows null).
    const linked = requestedTop === undefined || sim.odataNextLinkWithTop;
    ctx.body = {
      'odata.metadata': `${webApiUrlOf(sim, caller.tenant.tenant.contextId)}v1/Archive/$metadata`,
      'odata.nextLink': more && linked ? nextLink(ctx, linkBaseOf(sim), skip + top, top) : null,
      value: page.map((r) => (mode === 'full' ? appointmentFullRow(r, columns, sim.timeZone) : appointmentSlimRow(r, columns, sim.timeZone))),
    };
  }

  router.get('/Appointment', archive);
  router.get(`/Archive/${APPOINTMENT_PROVIDER}`, archive);

  router.get('/Appointment/:id', (ctx) => {
    const row = found(ctx, idOf(ctx));
    const since = httpDate(ctx, 'If-Modified-Since');
    if (since !== undefined && !changedSince(row, since)) {
      ctx.status = 304;
      return;
    }
    ctx.set('Last-Modified', new Date(row.updated).toUTCString());
    ctx.body = entityBody(ctx, row);
  });

  router.post('/Appointment', (ctx) => {
    const { sim, caller } = ctx.state;
    const parsed = parseAppointment(ctx.request.body, caller.tenant, styleOf(ctx));
    const row = caller.tenant.appointments.create(parsed.fields, caller.associate.associateId, sim.clock(), parsed.recurrence);
    ctx.status = 201;
    ctx.body = entityBody(ctx, row);
  });

  router.put('/Appointment/:id', (ctx) => {
    const { sim, caller } = ctx.state;
    const row = found(ctx, idOf(ctx));
    checkUnmodified(ctx, row);
    const parsed = parseAppointment(ctx.request.body, caller.tenant, styleOf(ctx));
    if (parsed.recurrence) throw new SoError(400, 'ArgumentException', 'Changing a series pattern with PUT is not supported by the simulator; edit occurrences one by one.');
    const updated = caller.tenant.appointments.update(row.appointmentId, parsed.fields, caller.associate.associateId, sim.clock());
    ctx.body = entityBody(ctx, updated);
  });

  router.delete('/Appointment/:id', (ctx) => {
    const row = found(ctx, idOf(ctx));
    checkUnmodified(ctx, row);
    ctx.state.caller.tenant.appointments.delete(row.appointmentId, ctx.state.caller.associate.associateId);
    ctx.status = 204;
  });

  // Agents answer "not found" with 200 and null (agents-webapi docs).
  router.post('/Agents/ForeignSystem/AddForeignKey', (ctx) => {
    const { sim, caller } = ctx.state;
    const row = caller.tenant.foreignKeys.add(ctx.request.body, caller.associate.associateId, sim.clock());
    ctx.body = foreignKeyEntity(row, styleOf(ctx));
  });
  router.post('/Agents/ForeignSystem/GetKeyByValue', (ctx) => {
    const row = ctx.state.caller.tenant.foreignKeys.byValue(ctx.request.body);
    if (!row) return sendJsonNull(ctx);
    ctx.body = foreignKeyEntity(row, styleOf(ctx));
  });
  router.post('/Agents/ForeignSystem/GetKey', (ctx) => {
    const row = ctx.state.caller.tenant.foreignKeys.byRecord(ctx.request.body);
    if (!row) return sendJsonNull(ctx);
    ctx.body = foreignKeyEntity(row, styleOf(ctx));
  });

  return router;
}
