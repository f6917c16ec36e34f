import { APPOINTMENT_TYPES, COMPLETED_VALUES, type StoredAppointment } from './appointment.store.js';
import { formatLocal, formatUtc, parseDate } from './appointment.time.js';
import { SoError } from './errors.js';
import { conjunction, parseSortKeys } from './restrictions.js';

/** The archive provider behind `GET /api/v1/Appointment` (v1AppointmentEntity_GetAll docs) and `Archive/FindAppointment`. */
export const APPOINTMENT_PROVIDER = 'FindAppointment';

type Kind = 'int' | 'associate' | 'list' | 'string' | 'bool' | 'utcDate' | 'localDate';

interface AppointmentColumn {
  name: string;
  kind: Kind;
  value(row: StoredAppointment): number | string | boolean;
}

const col = (name: string, kind: Kind, value: AppointmentColumn['value']): AppointmentColumn => ({ name, kind, value });

/**
 * The FindAppointment columns the simulator fills (archive-providers/reference/findappointment.md).
 * Dates are instants here; `updatedDate`/`registeredDate` are UTC ("in UTC" per the docs), `date`
 * and `endDate` the tenant's wall clock [INF]. `booking` marks every row of a booking (master and
 * invitees), `recurring` every occurrence row of a series.
 */
type StoredField = 'appointmentId' | 'associateId' | 'contactId' | 'personId' | 'start' | 'end' | 'updated' | 'created' | 'updatedBy' | 'createdBy' | 'recurrenceRuleId' | 'location';

/** Columns that show a stored field as it is: [column, kind, field]. */
const STORED: [string, Kind, StoredField][] = [
  ['appointmentId', 'int', 'appointmentId'], ['associateId', 'associate', 'associateId'], ['contactId', 'list', 'contactId'], ['personId', 'list', 'personId'],
  ['date', 'localDate', 'start'], ['endDate', 'localDate', 'end'], ['updatedDate', 'utcDate', 'updated'], ['registeredDate', 'utcDate', 'created'],
  ['updatedBy', 'associate', 'updatedBy'], ['registeredBy', 'associate', 'createdBy'], ['recurrenceRuleId', 'int', 'recurrenceRuleId'], ['location', 'string', 'location'],
];

const COLUMNS: AppointmentColumn[] = [
  ...STORED.map(([name, kind, key]) => col(name, kind, (r) => r[key])),
  col('type', 'list', (r) => r.type),
  col('rawType', 'int', (r) => APPOINTMENT_TYPES[r.type]),
  col('rawStatus', 'int', (r) => COMPLETED_VALUES[r.completed]),
  col('completed', 'bool', (r) => r.completed === 'Completed'),
  col('text', 'string', (r) => r.title || r.description),
  col('recurring', 'bool', (r) => r.recurrenceRuleId !== 0),
  col('booking', 'bool', (r) => r.motherId !== 0),
  col('visibleInDiary', 'bool', (r) => r.type === 'inDiary' || r.type === 'BookingForDiary'),
];

const BY_NAME = new Map(COLUMNS.map((c) => [c.name.toLowerCase(), c]));
const DEFAULT_COLUMNS = ['appointmentId', 'associateId', 'date', 'endDate', 'type', 'text', 'updatedDate'];

function bad(message: string): SoError {
  return new SoError(400, 'ArgumentException', message);
}

function columnOf(name: string): AppointmentColumn {
  const c = BY_NAME.get(name.trim().toLowerCase());
  if (!c) throw bad(`Column '${name.trim()}' is not supported by the archive provider ${APPOINTMENT_PROVIDER}.`);
  return c;
}

export function appointmentColumns(list: string): AppointmentColumn[] {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  return (names.length > 0 ? names : DEFAULT_COLUMNS).map(columnOf);
}

type Predicate = (row: StoredAppointment) => boolean;

const CLAUSE = /^\s*([A-Za-z][\w/]*)\s+([A-Za-z]+|=|<>|!=)\s+(\([^)]*\)|'(?:[^']|'')*'|[^\s()]+)\s*(?:and\s+|$)/i;

function literal(token: string): string {
  return token.startsWith("'") ? token.slice(1, -1).replace(/''/g, "'") : token;
}

/** `(a, b)` or `'a,b'` as the list a `oneOf`/`dateBetween` operator takes. */
function listOf(token: string): string[] {
  const inner = token.startsWith('(') ? token.slice(1, -1) : literal(token);
  return inner.split(',').map((s) => literal(s.trim())).filter(Boolean);
}

function integer(value: string): number {
  if (!/^-?\d+$/.test(value)) throw bad(`'${value}' is not a number.`);
  return Number(value);
}

function dateClause(column: AppointmentColumn, op: string, token: string, timeZone: string): Predicate {
  const zone = column.kind === 'utcDate' ? 'UTC' : timeZone;
  const at = (v: string) => {
    const ms = parseDate(v, zone, column.name);
    if (ms === null) throw bad(`'${v}' is not a date.`);
    return ms;
  };
  const v = (row: StoredAppointment) => Number(column.value(row));
  // Compared to the second, as a SQL datetime is [INF: whether `after` is day-granular is undocumented].
  const cmp: Record<string, (t: number) => Predicate> = {
    after: (t) => (r) => v(r) > t,
    gt: (t) => (r) => v(r) > t,
    ge: (t) => (r) => v(r) >= t,
    before: (t) => (r) => v(r) < t,
    lt: (t) => (r) => v(r) < t,
    le: (t) => (r) => v(r) <= t,
    eq: (t) => (r) => v(r) === t,
  };
  if (op === 'datebetween') {
    const [from, to, ...rest] = listOf(token);
    if (!from || !to || rest.length > 0) throw bad('dateBetween takes two dates: (from, to).');
    const a = at(from);
    const b = at(to);
    return (r) => v(r) >= a && v(r) <= b;
  }
  const f = cmp[op];
  if (!f) throw bad(`Operator '${op}' is not supported on date column '${column.name}'.`);
  return f(at(literal(token)));
}

/** Ids a clause restricts `associateId` to (`eq`, `oneOf`, `associateIsOneOf`, `in`), or null for any other clause. */
function associateIdsOf(name: string, rawOp: string, token: string): number[] | null {
  if (name.toLowerCase() !== 'associateid') return null;
  const op = rawOp.toLowerCase();
  if (op === 'eq' || op === '=') return [integer(literal(token))];
  if (op === 'oneof' || op === 'associateisoneof' || op === 'in') return listOf(token).map(integer);
  return null;
}

function clause(name: string, rawOp: string, token: string, timeZone: string): Predicate | 'all' | 'none' {
  const lname = name.toLowerCase();
  const op = rawOp.toLowerCase().replace(/^=$/, 'eq').replace(/^(<>|!=)$/, 'ne');
  if (lname === 'getallrows' || lname === 'getnorows') {
    const on = /^(1|true)$/i.test(literal(token));
    if (!on) return () => true;
    return lname === 'getallrows' ? 'all' : 'none';
  }
  const column = columnOf(name);
  if (column.kind === 'utcDate' || column.kind === 'localDate') return dateClause(column, op, token, timeZone);
  if (column.kind === 'bool') {
    if (op !== 'eq' && op !== 'ne') throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
    const wanted = /^(1|true)$/i.test(literal(token));
    if (!wanted && !/^(0|false)$/i.test(literal(token))) throw bad(`'${token}' is not a boolean.`);
    return (r) => (column.value(r) === wanted) === (op === 'eq');
  }
  if (column.kind === 'int' || column.kind === 'associate' || (column.kind === 'list' && column.name !== 'type')) {
    if (op === 'oneof' || op === 'associateisoneof' || op === 'in') {
      const ids = new Set(listOf(token).map(integer));
      return (r) => ids.has(Number(column.value(r)));
    }
    const n = integer(literal(token));
    const cmp: Record<string, (x: number) => boolean> = {
      eq: (x) => x === n,
      ne: (x) => x !== n,
      gt: (x) => x > n,
      ge: (x) => x >= n,
      lt: (x) => x < n,
      le: (x) => x <= n,
    };
    const f = cmp[op];
    if (!f) throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
    return (r) => f(Number(column.value(r)));
  }
  const text = (r: StoredAppointment) => String(column.value(r)).toLowerCase();
  const v = literal(token).toLowerCase();
  if (op === 'eq') return (r) => text(r) === v;
  if (op === 'ne') return (r) => text(r) !== v;
  if (op === 'oneof') {
    const set = new Set(listOf(token).map((s) => s.toLowerCase()));
    return (r) => set.has(text(r));
  }
  if (op === 'begins') return (r) => text(r).startsWith(v);
  if (op === 'contains') return (r) => text(r).includes(v);
  throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
}

export interface AppointmentRestriction {
  where: Predicate;
  /**
   * The associates every matching row belongs to, when the restriction names them (`associateId
   * eq 5`, `associateId associateIsOneOf (5, 8)`): the rows to test are then only theirs, as a
   * database reads them through its associate index. Null: every row must be tested.
   */
  associateIds: Set<number> | null;
}

/**
 * Restrictions as `$filter` takes them: `col op value` joined by `and`; dates with
 * `after`/`before`/`dateBetween` (and gt/ge/lt/le/eq), ids with eq/ne/gt/ge/lt/le and
 * `oneOf`/`associateIsOneOf` (v1AppointmentEntity_GetAll docs), `getAllRows`/`getNoRows`.
 */
export function appointmentFilter(text: string, timeZone: string): AppointmentRestriction {
  let associateIds: Set<number> | null = null;
  const where = conjunction<StoredAppointment>(text, CLAUSE, (name, op, token) => {
    const meaning = clause(name, op, token, timeZone);
    const ids = associateIdsOf(name, op, token);
    // Clauses are joined by `and`: each associate clause narrows the candidates further.
    if (ids) associateIds = new Set(associateIds ? ids.filter((id) => associateIds!.has(id)) : ids);
    return meaning;
  });
  return { where, associateIds };
}

export interface AppointmentSort {
  column: AppointmentColumn;
  descending: boolean;
}

export function appointmentSort(list: string): AppointmentSort[] {
  return parseSortKeys(list, columnOf);
}

/** Sorted by the keys, then by primary key, so `$skip` paging is stable. */
export function sortAppointments(rows: StoredAppointment[], keys: AppointmentSort[]): StoredAppointment[] {
  return [...rows].sort((x, y) => {
    for (const { column, descending } of keys) {
      const a = column.value(x);
      const b = column.value(y);
      if (a !== b) return (a < b ? -1 : 1) * (descending ? -1 : 1);
    }
    return x.appointmentId - y.appointmentId;
  });
}

function display(column: AppointmentColumn, row: StoredAppointment, timeZone: string): unknown {
  const value = column.value(row);
  if (column.kind === 'utcDate') return formatUtc(Number(value));
  if (column.kind === 'localDate') return formatLocal(Number(value), timeZone);
  if (column.kind === 'associate') return `[I:${Number(value)}]`;
  return value;
}

/** `$mode=Slim` row: `PrimaryKey` as a string, `EntityName` "appointment", then the columns. */
export function appointmentSlimRow(row: StoredAppointment, columns: AppointmentColumn[], timeZone: string): Record<string, unknown> {
  const out: Record<string, unknown> = { PrimaryKey: String(row.appointmentId), EntityName: 'appointment' };
  for (const column of columns) out[column.name] = column.kind === 'associate' ? Number(column.value(row)) : display(column, row, timeZone);
  return out;
}

/** `$mode=Full` row: RawValue and DisplayValue per column. */
export function appointmentFullRow(row: StoredAppointment, columns: AppointmentColumn[], timeZone: string): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const column of columns) {
    const raw = column.kind === 'utcDate' || column.kind === 'localDate' ? display(column, row, timeZone) : column.value(row);
    cells[column.name] = { RawValue: raw, DisplayValue: String(display(column, row, timeZone)), TooltipHint: '', LinkHint: '' };
  }
  return { PrimaryKey: String(row.appointmentId), EntityName: 'appointment', LinkHint: `appointment_id=${row.appointmentId}`, StyleHint: '', Column: cells };
}
