import { z } from 'zod';
import { DomainError } from '../domain-error.js';
import type { Associate } from './associate.schemas.js';
import type { SuperOfficeWebApi } from './webapi.client.js';

export type { Associate };

/**
 * Columns the `InternalUsers` provider has (archive-providers/reference/internalusers.md). It has
 * no `usergroupId`: the group comes as `usergroup`, its name in Slim mode, mapped to an id through
 * the MDO `usergroup` list.
 */
const COLUMNS = 'associateDbId,assocName,fullName,personId,assocType,usergroup,isActive,personEmail';
/** Rows per request: the documented guidance is at most 1,000. */
export const ASSOCIATE_PAGE_SIZE = 1000;

const Id = z.union([z.number(), z.string()]);
const Row = z.object({
  PrimaryKey: Id.nullish(),
  associateDbId: Id.nullish(),
  assocName: z.string().nullish(),
  fullName: z.string().nullish(),
  personId: z.coerce.number().int().nullish(),
  usergroup: z.string().nullish(),
  isActive: z.union([z.boolean(), z.string()]).nullish(),
  personEmail: z.string().nullish(),
});
type Row = z.infer<typeof Row>;
const Page = z.object({ value: z.array(Row), 'odata.nextLink': z.string().nullish() });
const UserGroups = z.array(z.object({ Id: z.number().int(), Name: z.string().nullish() }));

const positive = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : null;
};

/**
 * The associate id of a row. Slim mode may give an `associate` column such as `associateDbId`
 * as display text; the row's `PrimaryKey` (a string, `"5"`, in the captured answers) is the id then.
 */
function idOf(r: Row): number | null {
  return positive(r.associateDbId) ?? positive(r.PrimaryKey);
}

function toAssociate(id: number, r: Row, groupIds: Map<string, number | null>): Associate {
  const active = r.isActive === undefined || r.isActive === null ? true : r.isActive === true || String(r.isActive).toLowerCase() === 'true';
  const group = r.usergroup?.trim() || null;
  return {
    associateId: id,
    name: r.fullName?.trim() || r.assocName || `Associate ${id}`,
    loginName: r.assocName ?? '',
    personId: r.personId && r.personId > 0 ? r.personId : null,
    userGroupId: group ? (groupIds.get(group.toLowerCase()) ?? null) : null,
    userGroup: group,
    active,
    // `personEmail` is the person's rank-1 ("primary") address, whatever order the card stored them in.
    email: r.personEmail?.trim() || null,
  };
}

/** User group names → ids from MDO list `usergroup`; a name two groups share maps to no id. */
async function userGroupIds(api: SuperOfficeWebApi): Promise<Map<string, number | null>> {
  const ids = new Map<string, number | null>();
  for (const g of await api.get('MDOList/usergroup', UserGroups)) {
    const name = g.Name?.trim().toLowerCase();
    if (name) ids.set(name, ids.has(name) ? null : g.Id);
  }
  return ids;
}

/** The archive's rows in primary-key order, de-duplicated by associate (a row per entity can repeat one). */
async function archiveRows(api: SuperOfficeWebApi, onPage?: (loaded: number) => void, signal?: AbortSignal): Promise<Map<number, Row>> {
  const rows = new Map<number, Row>();
  for (let skip = 0; ; ) {
    signal?.throwIfAborted();
    const query = new URLSearchParams({
      $select: COLUMNS,
      // SuperOffice's own sample names the entity; without it every entity (licences, retired…) adds rows.
      $entities: 'all',
      $orderBy: 'associateDbId',
      $top: String(ASSOCIATE_PAGE_SIZE),
      $skip: String(skip),
      $output: 'Logical',
    });
    const page = await api.get(`Archive/InternalUsers?${query}`, Page);
    for (const r of page.value) {
      const id = idOf(r);
      if (id === null) throw new DomainError('unavailable', 'SuperOfficeUnavailable', 'SuperOffice sent an associate without an id. Try again in a moment.');
      if (!rows.has(id)) rows.set(id, r);
    }
    onPage?.(rows.size);
    skip += page.value.length;
    // Whether `odata.nextLink` comes with a client-set `$top` is undocumented (a real capture shows
    // null): a full page means there may be more. A link only hints that a short page was cut by
    // the server; it is never followed, so our token goes to `webapi_url` only.
    const more = page.value.length >= ASSOCIATE_PAGE_SIZE || (page.value.length > 0 && Boolean(page['odata.nextLink']));
    if (!more) return rows;
  }
}

/**
 * Every internal associate with the primary email of their contact card: the `InternalUsers`
 * archive, one request per page of 1,000 in primary-key order (never one per associate), and one
 * for the user group list.
 */
export async function listAssociates(
  api: SuperOfficeWebApi,
  onPage?: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<Associate[]> {
  // One after the other: an expired token is then refreshed once, by the first request.
  const rows = await archiveRows(api, onPage, signal);
  const groups = await userGroupIds(api);
  return [...rows].sort(([a], [b]) => a - b).map(([id, r]) => toAssociate(id, r, groups));
}
