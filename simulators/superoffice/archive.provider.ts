import type { DemoAssociate } from '../demo-tenant.types.js';
import { SoError } from './errors.js';
import { roleIdOf } from './principal.js';
import { conjunction, parseSortKeys } from './restrictions.js';

/**
 * The `InternalUsers` / `AllUsers` archive providers over the demo associates
 * (archive-providers/reference/internalusers.md). Every demo associate is an employee, so both
 * providers serve the same rows.
 */
export const USER_PROVIDERS = ['InternalUsers', 'AllUsers'] as const;

/**
 * `int` columns are encoded `[I:n]` by agents; `bool` columns are true/false with `$output=Logical`;
 * `list` columns (userGroup, listAny) show text but have an id as raw value; `associate` columns
 * are list columns whose raw value is an associate id (agents encode it `[I:n]`).
 */
export type ColumnKind = 'int' | 'string' | 'bool' | 'list' | 'associate';

export interface ArchiveColumn {
  name: string;
  kind: ColumnKind;
  /** Full-mode RawValue; what restrictions on int/bool columns compare. */
  raw(a: DemoAssociate): number | string | boolean;
  /** What users see; slim value of string and list columns. */
  text(a: DemoAssociate): string;
}

function col(name: string, kind: ColumnKind, raw: ArchiveColumn['raw'], text?: ArchiveColumn['text']): ArchiveColumn {
  return { name, kind, raw, text: text ?? ((a) => String(raw(a))) };
}

/**
 * The columns `InternalUsers` documents (archive-providers/reference/internalusers.md), those the
 * simulator can fill. There is no `usergroupId`: the group is `usergroup` (a userGroup column,
 * whose raw value is the id). `associateDbId` and `assocName` are of type `associate`: Slim mode
 * shows them as text, the associate's login name [INF], so a client reads the id from PrimaryKey
 * or from the Full-mode RawValue.
 */
const COLUMNS: ArchiveColumn[] = [
  col('associateDbId', 'associate', (a) => a.associateId, (a) => a.assocName),
  col('assocName', 'associate', (a) => a.associateId, (a) => a.assocName),
  col('userName', 'string', (a) => a.userName),
  col('fullName', 'string', (a) => a.fullName),
  col('firstName', 'string', (a) => a.firstName),
  col('lastName', 'string', (a) => a.lastName),
  col('middleName', 'string', () => ''),
  col('personId', 'int', (a) => a.personId),
  col('contactId', 'int', (a) => a.contactId),
  // UserType InternalAssociate = 1.
  col('assocType', 'list', () => 1, (a) => a.assocType),
  col('usergroup', 'list', (a) => a.usergroupId, (a) => a.usergroup),
  col('otherGroups', 'list', () => '', () => ''),
  col('role', 'list', (a) => roleIdOf(a.roleName), (a) => a.roleName),
  col('isActive', 'bool', (a) => a.isActive),
  col('canLogin', 'bool', (a) => a.isActive),
  col('personEmail', 'string', (a) => primaryEmail(a) ?? ''),
  col('ejUserId', 'int', () => 0),
];

/**
 * The person's primary address: the email row with rank 1, whatever order the rows were stored
 * in (database table `email`, field `rank`; PersonAgent.AddEmailAddressToPerson: "primary email
 * address (have rank == 1)").
 */
export function primaryEmail(a: DemoAssociate): string | null {
  if (!a.cardEmails || a.cardEmails.length === 0) return a.personEmail;
  return [...a.cardEmails].sort((x, y) => x.rank - y.rank)[0]!.address;
}

const BY_NAME = new Map(COLUMNS.map((c) => [c.name.toLowerCase(), c]));

/** Restriction-only columns of every archive provider. */
const RESTRICTION_ONLY = new Set(['getallrows', 'getnorows']);

/** Columns selected when the caller names none [INF: the real default set is configurable]. */
export const DEFAULT_COLUMNS = ['associateDbId', 'assocName', 'fullName', 'userName', 'personEmail', 'isActive'];

export function providerName(name: string): (typeof USER_PROVIDERS)[number] {
  const found = USER_PROVIDERS.find((p) => p.toLowerCase() === name.toLowerCase());
  if (!found) throw new SoError(400, 'ArgumentException', `Archive provider '${name}' is not known.`);
  return found;
}

export function columnOf(name: string): ArchiveColumn {
  const column = BY_NAME.get(name.trim().toLowerCase());
  if (!column) throw new SoError(400, 'ArgumentException', `Column '${name.trim()}' is not supported by this archive provider.`);
  return column;
}

export function parseColumns(list: string): ArchiveColumn[] {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  return (names.length > 0 ? names : DEFAULT_COLUMNS).map(columnOf);
}

/** Entities of InternalUsers (the reference page's "Supported Entities"). */
const ENTITIES = new Set(['all', 'potential', 'retired', 'loggedonwin', 'expired']);

/** The user plan every active demo associate holds (their principal lists it too). */
export const LICENCE_ENTITY = 'superoffice_ten-sales';

/**
 * The entities an associate belongs to: `all` (everyone), `retired` ("Former employee") and the
 * licence they hold. A query returns one row per associate and selected entity [INF: so an
 * associate in two selected entities comes twice; SuperOffice's own sample sends `$entities=all`].
 */
export function entitiesOf(a: DemoAssociate): string[] {
  return a.isActive ? ['all', LICENCE_ENTITY] : ['all', 'retired'];
}

/** Blank means every entity of the provider (ArchiveAgent docs: "null … include all entities"). */
export function entityFilter(list: string): (entity: string) => boolean {
  const names = list.split(',').map((n) => n.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) return () => true;
  for (const name of names) {
    if (!ENTITIES.has(name) && !name.startsWith('superoffice_')) {
      throw new SoError(400, 'ArgumentException', `Entity '${name}' is not supported by this archive provider.`);
    }
  }
  return (entity) => names.includes(entity.toLowerCase());
}

export type SortKey = { column: ArchiveColumn; descending: boolean };

export function parseSort(list: string): SortKey[] {
  return parseSortKeys(list, columnOf);
}

function sortValue(column: ArchiveColumn, a: DemoAssociate): number | string {
  // The ID column sorts by id, so `$orderBy=associateDbId` pages in primary-key order.
  if (column.kind === 'int' || column.name === 'associateDbId') return Number(column.raw(a));
  if (column.kind === 'bool') return column.raw(a) ? 1 : 0;
  return column.text(a).toLowerCase();
}

/** One archive row: an associate seen through one of its entities. */
export interface ArchiveRow {
  associate: DemoAssociate;
  entity: string;
}

/** Sorted by the keys, then by primary key and entity, so paging is stable. */
export function sortRows(rows: ArchiveRow[], keys: SortKey[]): ArchiveRow[] {
  return [...rows].sort((x, y) => {
    for (const { column, descending } of keys) {
      const a = sortValue(column, x.associate);
      const b = sortValue(column, y.associate);
      if (a !== b) return (a < b ? -1 : 1) * (descending ? -1 : 1);
    }
    return x.associate.associateId - y.associate.associateId || x.entity.localeCompare(y.entity);
  });
}

type Predicate = (a: DemoAssociate) => boolean;

const CLAUSE = /^\s*([A-Za-z_][\w-]*)\s+(=|<>|!=|[A-Za-z]+)\s+('(?:[^']|'')*'|"[^"]*"|[^\s]+)\s*(?:and\s+|$)/i;

function literal(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
  if (token.startsWith('"')) return token.slice(1, -1);
  return token;
}

function asBool(value: string): boolean {
  const v = value.toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new SoError(400, 'ArgumentException', `'${value}' is not a boolean.`);
}

function clause(name: string, op: string, value: string): Predicate | 'all' | 'none' {
  const lname = name.toLowerCase();
  if (RESTRICTION_ONLY.has(lname)) {
    const on = asBool(value);
    return lname === 'getallrows' ? (on ? 'all' : () => true) : on ? 'none' : () => true;
  }
  const column = columnOf(name);
  const o = op.toLowerCase();
  const eq = ['=', 'eq', 'equals', 'is'].includes(o);
  const ne = ['<>', '!=', 'ne', 'unequals', 'isnot'].includes(o);
  if (column.kind === 'bool' && (eq || ne)) {
    const wanted = asBool(value);
    return (a) => (column.raw(a) === wanted) === eq;
  }
  // An associate column compares its id when given a number (`associateDbId eq 5`, as SuperOffice's sample filters).
  if (column.kind === 'int' || (column.kind === 'associate' && /^\d+$/.test(value))) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new SoError(400, 'ArgumentException', `'${value}' is not a number.`);
    const cmp: Record<string, (x: number) => boolean> = {
      gt: (x) => x > n,
      greater: (x) => x > n,
      ge: (x) => x >= n,
      lt: (x) => x < n,
      less: (x) => x < n,
      le: (x) => x <= n,
    };
    if (eq || ne) return (a) => (Number(column.raw(a)) === n) === eq;
    const f = cmp[o];
    if (f) return (a) => f(Number(column.raw(a)));
  }
  if (column.kind === 'string' || column.kind === 'list' || column.kind === 'associate') {
    const v = value.toLowerCase();
    const text = (a: DemoAssociate) => column.text(a).toLowerCase();
    if (eq || ne) return (a) => (text(a) === v) === eq;
    if (o === 'begins' || o === 'startswith') return (a) => text(a).startsWith(v);
    if (o === 'contains') return (a) => text(a).includes(v);
  }
  throw new SoError(400, 'ArgumentException', `Operator '${op}' is not supported on column '${column.name}'.`);
}

/**
 * A small subset of archive restrictions: `col op value` clauses joined by `and`, with the
 * operators eq/=, ne/<>, gt/ge/lt/le, begins, contains and the `getAllRows`/`getNoRows` switches.
 */
export function parseRestrictions(text: string): Predicate {
  return conjunction(text, CLAUSE, (name, op, value) => clause(name, op, literal(value)));
}

export interface ArchiveQuery {
  columns: ArchiveColumn[];
  sort: SortKey[];
  where: Predicate;
  entities: (entity: string) => boolean;
}

/** Rows matching the query, one per associate and selected entity, in order (before paging). */
export function queryRows(associates: DemoAssociate[], query: ArchiveQuery): ArchiveRow[] {
  const rows = associates
    .filter(query.where)
    .flatMap((associate) => entitiesOf(associate).filter(query.entities).map((entity) => ({ associate, entity })));
  return sortRows(rows, query.sort);
}
