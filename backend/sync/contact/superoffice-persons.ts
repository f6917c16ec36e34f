import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import type { SuperOfficeWebApi } from '../../superoffice/webapi.client.js';
import type { SoPerson, SoPersonRow, SuperOfficePersonsPort } from './ports.js';

/** Entity dates as UTC instants (NetServer "HTTP headers": `SO-TimeZone: UTC,includeTZOffset`). */
const UTC = { 'SO-TimeZone': 'UTC,includeTZOffset' };
/** Archive rows per request; paging stops at the first short page. */
export const PERSON_PAGE = 500;

const Id = z.coerce.number().int();
const Text = z.string().nullish().transform((v) => v ?? '');
const Values = z.array(z.object({ Value: z.string().nullish() })).nullish().transform((v) => (v ?? []).map((x) => x.Value ?? '').filter(Boolean));
const Line = z.object({ Address1: Text, City: Text, Zipcode: Text, State: Text }).partial().nullish();
/** PersonEntity (restful/rest/Person; field names as in @superoffice/webapi `__tests__/Person210.json`). */
const Entity = z
  .object({
    PersonId: Id,
    Firstname: Text,
    MiddleName: Text,
    Lastname: Text,
    FullName: Text,
    Title: Text,
    Contact: z.object({ Name: Text }).nullish(),
    Associate: z.object({ AssociateId: Id.nullish() }).nullish(),
    Emails: Values,
    OfficePhones: Values,
    MobilePhones: Values,
    PrivatePhones: Values,
    Address: z.object({ Postal: Line, Street: Line }).nullish(),
    Country: z.object({ Name: Text }).nullish(),
    Retired: z.boolean().nullish(),
    UpdatedDate: z.string(),
  })
  .passthrough();
const Rows = z.object({
  value: z.array(
    z.object({
      PrimaryKey: Id.nullish(),
      personId: Id.nullish(),
      personAssociateId: Id.nullish(),
      personUpdatedDate: z.string().nullish(),
      personDeletedDate: z.string().nullish(),
      fullName: z.string().nullish(),
      retired: z.union([z.boolean(), z.number(), z.string()]).nullish(),
    }),
  ),
});

const unexpected = (what: string) => new DomainError('unavailable', 'SuperOfficeUnavailable', `SuperOffice did not answer as expected (${what}). Try again in a moment.`);
const soDate = (iso: string) => `${new Date(iso).toISOString().slice(0, 19)}Z`;
const instant = (so: string) => {
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(so) ? so : `${so}Z`);
  if (Number.isNaN(ms)) throw unexpected('a date');
  return new Date(ms).toISOString();
};
const truthy = (v: boolean | number | string | null | undefined) => v === true || v === 1 || (typeof v === 'string' && /^(1|true)$/i.test(v));

/** One Person archive row as the passes see it. */
function toRow(row: z.output<typeof Rows>['value'][number]): SoPersonRow {
  const id = row.personId ?? row.PrimaryKey;
  if (id == null || !row.personUpdatedDate) throw unexpected('a person archive row');
  return { id, associateId: row.personAssociateId ?? 0, updatedAt: instant(row.personUpdatedDate), deleted: !!row.personDeletedDate, retired: truthy(row.retired) };
}

/** Persons of one tenant through the Web API, as the sync's SuperOffice identity (see SuperOfficePersonsPort). */
export class SuperOfficePersons implements SuperOfficePersonsPort {
  constructor(private readonly api: SuperOfficeWebApi) {}

  /** The Person archive (GET v1/Person, OData), by id; deleted and retired persons marked, not left out. */
  private async archive(filter: string): Promise<SoPersonRow[]> {
    const out: SoPersonRow[] = [];
    for (let skip = 0; ; skip += PERSON_PAGE) {
      const value = await this.page(filter, PERSON_PAGE, skip, false);
      out.push(...value.map(toRow));
      if (value.length < PERSON_PAGE) return out;
    }
  }

  private async page(filter: string, top: number, skip: number, withName: boolean): Promise<z.output<typeof Rows>['value']> {
    const query = new URLSearchParams({
      $select: `personId,personAssociateId,personUpdatedDate,personDeletedDate,retired${withName ? ',fullName' : ''}`,
      $filter: filter,
      $orderby: 'personId',
      $top: String(top),
      $skip: String(skip),
    });
    return (await this.api.get(`Person?${query.toString().replace(/\+/g, '%20')}`, Rows)).value;
  }

  async search(text: string, limit: number): Promise<(SoPersonRow & { fullName: string })[]> {
    const value = await this.page(`fullName contains '${text.replace(/'/g, "''")}'`, limit, 0, true);
    return value.map((r) => ({ ...toRow(r), fullName: r.fullName ?? '' }));
  }

  changedSince(since: string): Promise<SoPersonRow[]> {
    // `ge` on the second: a change in the watermark's own second is seen again rather than missed.
    return this.archive(`personUpdatedDate ge '${soDate(since)}'`);
  }

  ofAssociate(associateId: number): Promise<SoPersonRow[]> {
    return this.archive(`personAssociateId eq ${Math.trunc(associateId)}`);
  }

  async get(id: number): Promise<SoPerson | null> {
    const { body: e } = await this.api.send('GET', `Person/${Math.trunc(id)}`, Entity, { headers: UTC, expect: [404] });
    if (!e) return null;
    const line = e.Address?.Postal ?? e.Address?.Street ?? {};
    return {
      id: e.PersonId,
      associateId: e.Associate?.AssociateId ?? 0,
      firstName: e.Firstname,
      middleName: e.MiddleName,
      lastName: e.Lastname,
      fullName: e.FullName,
      title: e.Title,
      company: e.Contact?.Name ?? '',
      emails: e.Emails,
      officePhones: e.OfficePhones,
      mobilePhones: e.MobilePhones,
      privatePhones: e.PrivatePhones,
      address: { street: line.Address1 ?? '', city: line.City ?? '', zipcode: line.Zipcode ?? '', state: line.State ?? '', country: e.Country?.Name ?? '' },
      retired: e.Retired ?? false,
      updatedAt: instant(e.UpdatedDate),
    };
  }
}
