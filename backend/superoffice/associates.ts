import { z } from 'zod';
import type { Associate } from '../../panel/src/logic/types.js';
import type { SuperOfficeWebApi } from './webapi.client.js';

/** An associate as the panel lists them (the API contract: panel/src/logic/types.ts). */
export type { Associate };

const COLUMNS = 'associateDbId,assocName,fullName,personId,assocType,usergroup,usergroupId,isActive,personEmail';
/** Rows per request: the documented guidance is at most 1,000. */
export const ASSOCIATE_PAGE_SIZE = 1000;

const Row = z.object({
  PrimaryKey: z.union([z.number(), z.string()]).optional(),
  StyleHint: z.string().nullish(),
  associateDbId: z.coerce.number().int(),
  assocName: z.string().nullish(),
  fullName: z.string().nullish(),
  personId: z.coerce.number().int().nullish(),
  usergroup: z.string().nullish(),
  usergroupId: z.coerce.number().int().nullish(),
  isActive: z.union([z.boolean(), z.string()]).nullish(),
  personEmail: z.string().nullish(),
});
const Page = z.object({ value: z.array(Row), 'odata.nextLink': z.string().nullish() });

function toAssociate(r: z.infer<typeof Row>): Associate {
  const active = r.StyleHint === 'retired' ? false : r.isActive === undefined || r.isActive === null ? true : r.isActive === true || r.isActive === 'true' || r.isActive === 'True';
  return {
    associateId: r.associateDbId,
    name: r.fullName?.trim() || r.assocName || `Associate ${r.associateDbId}`,
    loginName: r.assocName ?? '',
    personId: r.personId && r.personId > 0 ? r.personId : null,
    userGroupId: r.usergroupId ?? null,
    userGroup: r.usergroup ?? null,
    active,
    email: r.personEmail?.trim() || null,
  };
}

/**
 * Every internal associate with the primary email of their contact card: the `InternalUsers`
 * archive, one request per page of 1,000 in primary-key order, never one request per associate.
 */
export async function listAssociates(
  api: SuperOfficeWebApi,
  onPage?: (loaded: number) => void,
  signal?: AbortSignal,
): Promise<Associate[]> {
  const out: Associate[] = [];
  const query = new URLSearchParams({
    $select: COLUMNS,
    $orderBy: 'associateDbId',
    $top: String(ASSOCIATE_PAGE_SIZE),
    $skip: '0',
    $output: 'Logical',
  });
  let next: string | null = `Archive/InternalUsers?${query}`;
  while (next) {
    signal?.throwIfAborted();
    const page: z.infer<typeof Page> = await api.get(next, Page);
    out.push(...page.value.map(toAssociate));
    onPage?.(out.length);
    next = page['odata.nextLink'] || null;
  }
  return out;
}
