import type { Actor } from '../../../backend/audit/audit.repository.js';
import type { Store } from '../../../backend/db/store.js';
import { SaveLinksBody } from '../../../backend/links/link.schemas.js';
import { saveAddedLinks } from '../../../backend/links/link.service.js';
import { ensureTenant } from '../../../backend/tenants/tenant.repository.js';
import { newLink } from '../../helpers/harness.js';

export const TENANT = 'Cust12345';
export const ACTOR: Actor = { tenantId: TENANT, associateId: 5, associateName: 'Ada Admin', requestId: 'req-sync' };

/** Links associates `from`… to mailboxes, through the links service as Save Added Users does; returns them by associate id. */
export async function linkUsers(store: Store, specs: { n: number; rank?: number; diary?: boolean; task?: boolean; contact?: boolean }[]) {
  await ensureTenant(store, TENANT, new Date());
  const body = SaveLinksBody.parse({ links: specs.map(({ n, ...options }) => newLink(n, options)) });
  const { created } = await saveAddedLinks(store, ACTOR, body.links, new Date());
  return new Map(created.map((l) => [l.associateId, l]));
}

/** The mailbox id newLink(n) links to. */
export const mailboxOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
