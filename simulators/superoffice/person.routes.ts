import Router from '@koa/router';
import { formatEntityDate, formatUtc, parseDate, dateStyle, type DateStyle } from './appointment.time.js';
import { nextLink, nonNegative, queryValue } from './archive.routes.js';
import { SoError } from './errors.js';
import type { StoredPerson } from './person.store.js';
import { conjunction, parseSortKeys } from './restrictions.js';
import { linkBaseOf, webApiUrlOf, type SimContext, type SimRequestState } from './sim.types.js';

/**
 * Persons: the entity (`GET v1/Person/{id}`, restful/rest/Person v1PersonEntity_GetPersonEntity;
 * field names as in @superoffice/webapi `__tests__/Person210.json`) and the `Person` archive
 * provider over OData (`GET v1/Person` and `GET v1/Archive/Person`;
 * archive-providers/reference/person.md: personId, contactId, personAssociateId ("Our contact"),
 * personUpdatedDate (UTC), personDeletedDate, retired).
 */

export const PERSON_PROVIDER = 'Person';

type Kind = 'int' | 'associate' | 'utcDate' | 'bool' | 'string';
interface Column {
  name: string;
  kind: Kind;
  value(p: StoredPerson): number | string | boolean | null;
}
const col = (name: string, kind: Kind, value: Column['value']): Column => ({ name, kind, value });

const COLUMNS: Column[] = [
  col('personId', 'int', (p) => p.personId),
  col('contactId', 'int', (p) => p.contactId),
  col('personAssociateId', 'associate', (p) => p.associateId),
  col('personUpdatedDate', 'utcDate', (p) => p.updated),
  // Null (shown empty) while the person is not deleted.
  col('personDeletedDate', 'utcDate', (p) => p.deleted),
  col('retired', 'bool', (p) => p.retired),
  col('fullName', 'string', (p) => fullNameOf(p)),
  col('firstName', 'string', (p) => p.firstname),
  col('lastName', 'string', (p) => p.lastname),
  col('title', 'string', (p) => p.title),
  col('personEmail', 'string', (p) => p.emails[0] ?? ''),
];
const BY_NAME = new Map(COLUMNS.map((c) => [c.name.toLowerCase(), c]));
const DEFAULT_COLUMNS = ['personId', 'fullName', 'contactId', 'personAssociateId', 'personUpdatedDate'];

const bad = (message: string) => new SoError(400, 'ArgumentException', message);

function columnOf(name: string): Column {
  const c = BY_NAME.get(name.trim().toLowerCase());
  if (!c) throw bad(`Column '${name.trim()}' is not supported by the archive provider ${PERSON_PROVIDER}.`);
  return c;
}

export function fullNameOf(p: Pick<StoredPerson, 'firstname' | 'middleName' | 'lastname'>): string {
  return [p.firstname, p.middleName, p.lastname].filter(Boolean).join(' ');
}

const CLAUSE = /^\s*([A-Za-z][\w/]*)\s+([A-Za-z]+|=|<>|!=)\s+('(?:[^']|'')*'|[^\s()]+)\s*(?:and\s+|$)/i;
const literal = (token: string) => (token.startsWith("'") ? token.slice(1, -1).replace(/''/g, "'") : token);

function clause(name: string, rawOp: string, token: string): ((p: StoredPerson) => boolean) | 'all' | 'none' {
  const op = rawOp.toLowerCase().replace(/^=$/, 'eq').replace(/^(<>|!=)$/, 'ne');
  const lname = name.toLowerCase();
  if (lname === 'getallrows' || lname === 'getnorows') {
    if (!/^(1|true)$/i.test(literal(token))) return () => true;
    return lname === 'getallrows' ? 'all' : 'none';
  }
  const column = columnOf(name);
  const value = literal(token);
  if (column.kind === 'utcDate') {
    const at = parseDate(value, 'UTC', column.name);
    if (at === null) throw bad(`'${value}' is not a date.`);
    const v = (p: StoredPerson) => column.value(p) as number | null;
    const cmp: Record<string, (x: number) => boolean> = { after: (x) => x > at, gt: (x) => x > at, ge: (x) => x >= at, before: (x) => x < at, lt: (x) => x < at, le: (x) => x <= at, eq: (x) => x === at };
    const f = cmp[op];
    if (!f) throw bad(`Operator '${rawOp}' is not supported on date column '${column.name}'.`);
    // Compared to the second, as a SQL datetime is; an empty date matches nothing.
    return (p) => {
      const x = v(p);
      return x !== null && f(Math.floor(x / 1000) * 1000);
    };
  }
  if (column.kind === 'bool') {
    if (op !== 'eq' && op !== 'ne') throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
    const wanted = /^(1|true)$/i.test(value);
    if (!wanted && !/^(0|false)$/i.test(value)) throw bad(`'${value}' is not a boolean.`);
    return (p) => (column.value(p) === wanted) === (op === 'eq');
  }
  if (column.kind === 'int' || column.kind === 'associate') {
    if (!/^-?\d+$/.test(value)) throw bad(`'${value}' is not a number.`);
    const n = Number(value);
    const cmp: Record<string, (x: number) => boolean> = { eq: (x) => x === n, ne: (x) => x !== n, gt: (x) => x > n, ge: (x) => x >= n, lt: (x) => x < n, le: (x) => x <= n };
    const f = cmp[op];
    if (!f) throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
    return (p) => f(Number(column.value(p)));
  }
  const v = value.toLowerCase();
  if (op === 'eq' || op === 'ne') return (p) => (String(column.value(p)).toLowerCase() === v) === (op === 'eq');
  if (op === 'begins') return (p) => String(column.value(p)).toLowerCase().startsWith(v);
  // String operators as the appointment archive's (appointment.archive.ts), case-insensitive as SQL Server's default collation.
  if (op === 'contains') return (p) => String(column.value(p)).toLowerCase().includes(v);
  throw bad(`Operator '${rawOp}' is not supported on column '${column.name}'.`);
}

function display(column: Column, p: StoredPerson): unknown {
  const v = column.value(p);
  if (column.kind === 'utcDate') return v === null ? '' : formatUtc(Number(v));
  return v;
}

function styleOf(ctx: SimContext): DateStyle {
  return dateStyle(ctx.get('SO-TimeZone') || undefined, ctx.state.sim.timeZone);
}

const phones = (list: { value: string; description?: string }[]) =>
  list.map((ph, i) => ({ Value: ph.value, StrippedValue: ph.value.replace(/[^\d+]/g, ''), Description: ph.description ?? '', PhoneId: i + 1 }));

/** PersonEntity as Person210.json shows it (the fields this simulator keeps). */
export function renderPerson(p: StoredPerson, style: DateStyle, self: string, associateName: (id: number) => string): Record<string, unknown> {
  const addressLine = (a: StoredPerson['address']) => ({ Address1: a.street, Address2: '', Address3: '', City: a.city, County: '', State: a.state, Zipcode: a.zipcode });
  return {
    PersonId: p.personId,
    Firstname: p.firstname,
    MiddleName: p.middleName,
    Lastname: p.lastname,
    FullName: fullNameOf(p),
    Title: p.title,
    Contact: p.contactId ? { ContactId: p.contactId, Name: p.contactName } : null,
    Associate: p.associateId ? { AssociateId: p.associateId, Name: associateName(p.associateId) } : null,
    Emails: p.emails.map((e, i) => ({ Value: e, StrippedValue: e, Description: '', EmailId: i + 1, Rank: i + 1 })),
    OfficePhones: phones(p.officePhones),
    MobilePhones: phones(p.mobilePhones),
    PrivatePhones: phones(p.privatePhones),
    Address: { Postal: addressLine(p.address), Street: addressLine(p.address), Formatted: [p.address.street, `${p.address.zipcode} ${p.address.city}`.trim()].filter(Boolean).join('\n') },
    Country: { Name: p.address.country },
    Retired: p.retired,
    IsAssociate: false,
    CreatedDate: formatEntityDate(p.created, style),
    UpdatedDate: formatEntityDate(p.updated, style),
    _Links: { Self: self },
  };
}

export function personRouter(): Router<SimRequestState> {
  const router = new Router<SimRequestState>();

  function archive(ctx: SimContext): void {
    const { sim, caller } = ctx.state;
    const names = (queryValue(ctx, '$select') ?? '').split(',').map((n) => n.trim()).filter(Boolean);
    const columns = (names.length > 0 ? names : DEFAULT_COLUMNS).map(columnOf);
    const sort = parseSortKeys(queryValue(ctx, '$orderBy') ?? '', columnOf);
    const where = conjunction<StoredPerson>(queryValue(ctx, '$filter') ?? '', CLAUSE, clause);
    const mode = (queryValue(ctx, '$mode') ?? 'Slim').toLowerCase();
    if (mode !== 'slim') throw bad('The simulator serves the Person archive in $mode=Slim only.');
    const rows = caller.tenant.persons
      .all()
      .filter(where)
      .sort((x, y) => {
        for (const { column, descending } of sort) {
          const a = column.value(x) ?? 0;
          const b = column.value(y) ?? 0;
          if (a !== b) return (a < b ? -1 : 1) * (descending ? -1 : 1);
        }
        return x.personId - y.personId;
      });
    const skip = nonNegative(ctx, '$skip') ?? 0;
    const requestedTop = nonNegative(ctx, '$top');
    const top = Math.min(requestedTop ?? sim.odataMaxPageSize, sim.odataMaxPageSize);
    const page = rows.slice(skip, skip + top);
    const more = top > 0 && skip + top < rows.length;
    const linked = requestedTop === undefined || sim.odataNextLinkWithTop;
    ctx.body = {
      'odata.metadata': `${webApiUrlOf(sim, caller.tenant.tenant.contextId)}v1/Archive/$metadata`,
      'odata.nextLink': more && linked ? nextLink(ctx, linkBaseOf(sim), skip + top, top) : null,
      value: page.map((p) => {
        const out: Record<string, unknown> = { PrimaryKey: String(p.personId), EntityName: 'person' };
        for (const c of columns) out[c.name] = display(c, p);
        return out;
      }),
    };
  }

  router.get('/Person', archive);
  router.get(`/Archive/${PERSON_PROVIDER}`, archive);

  router.get('/Person/:id', (ctx) => {
    const raw = ctx.params.id ?? '';
    if (!/^\d+$/.test(raw)) throw new SoError(400, 'ArgumentException', `'${raw}' is not a valid person id.`);
    const { sim, caller } = ctx.state;
    const p = caller.tenant.persons.get(Number(raw));
    // A deleted person is not found through the entity, as a hard-deleted one would not be.
    if (!p || p.deleted !== null) throw new SoError(404, 'SoNotFoundException', `Person id ${raw} not found`);
    ctx.set('Last-Modified', new Date(p.updated).toUTCString());
    const self = `${webApiUrlOf(sim, caller.tenant.tenant.contextId)}v1/Person/${p.personId}`;
    ctx.body = renderPerson(p, styleOf(ctx), self, (id) => caller.tenant.associates.get(id)?.assocName ?? '');
  });

  return router;
}
