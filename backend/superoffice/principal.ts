import { z } from 'zod';
import type { SuperOfficeWebApi } from './webapi.client.js';

const Principal = z.object({
  AssociateId: z.number().int(),
  FullName: z.string().nullish(),
  Associate: z.string().nullish(),
  FunctionRights: z.array(z.string()).default([]),
  DatabaseContextIdentifier: z.string().nullish(),
});

/** Function rights that make an associate an administrator for this app (as `adm?` is computed). */
const ADMIN_RIGHTS = new Set(['admin-all', 'admin-users']);

export interface Principal {
  associateId: number;
  name: string;
  isAdmin: boolean;
  /** `DatabaseContextIdentifier`; null when SuperOffice sends none or an empty one (Onsite). */
  tenantId: string | null;
}

/** Context identifiers name the same tenant whatever their case (`Cust12345` = `cust12345`). */
export function sameTenant(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `GET v1/User/currentPrincipal`: who the token belongs to and whether they administer the tenant. */
export async function currentPrincipal(api: SuperOfficeWebApi): Promise<Principal> {
  const p = await api.get('User/currentPrincipal', Principal);
  return {
    associateId: p.AssociateId,
    name: p.FullName ?? p.Associate ?? `Associate ${p.AssociateId}`,
    isAdmin: p.FunctionRights.some((r) => ADMIN_RIGHTS.has(r.toLowerCase())),
    tenantId: p.DatabaseContextIdentifier?.trim() || null,
  };
}
