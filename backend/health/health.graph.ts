import { DomainError } from '../domain-error.js';
import type { Graph } from '../microsoft/graph.client.js';
import { checkMailboxes, type MailboxKind } from '../microsoft/mailbox-check.js';
import { MAILBOX_PAGE_SIZE, toMailbox, type GraphUser, type Mailbox } from '../microsoft/mailboxes.js';

/**
 * What the health report reads of Microsoft 365: the users list as Load External Users reads it
 * (`GET /users`, `$top=999`, the next links Graph gives), with `assignedPlans` added to the same
 * `$select`, so a lost Exchange Online licence is seen on the same pages
 * (https://learn.microsoft.com/en-us/graph/api/resources/assignedplan: a removed licence's plans
 * stay listed with `capabilityStatus` `Deleted`).
 */
const SELECT = 'id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled,userType,assignedPlans';

/** Exchange Online plans grant a mailbox, except Exchange Foundation, which every licence carries without one. */
const EXCHANGE_FOUNDATION = '113feb6c-3fe4-4440-bddc-54d774bf0318';

interface AssignedPlan {
  service?: string | null;
  capabilityStatus?: string | null;
  servicePlanId?: string | null;
}

interface UsersPage {
  value: (GraphUser & { assignedPlans?: AssignedPlan[] | null })[];
  '@odata.nextLink'?: string;
}

export interface DirectoryUser extends Mailbox {
  /** An enabled Exchange Online plan (Foundation does not count). */
  exchangeLicensed: boolean;
}

function exchangeLicensed(plans: AssignedPlan[] | null | undefined): boolean {
  return (plans ?? []).some(
    (p) => p.service?.toLowerCase() === 'exchange' && p.capabilityStatus === 'Enabled' && p.servicePlanId?.toLowerCase() !== EXCHANGE_FOUNDATION,
  );
}

/**
 * Every user of the organisation, one request per page of 999. A next link is followed only on
 * Graph's own origin and users path (our app token goes nowhere else).
 */
export async function readDirectory(graph: Graph, signal?: AbortSignal): Promise<DirectoryUser[]> {
  const users: DirectoryUser[] = [];
  let url: string | null = `/users?$select=${SELECT}&$top=${MAILBOX_PAGE_SIZE}`;
  while (url !== null) {
    signal?.throwIfAborted();
    const page: UsersPage = await graph.get<UsersPage>(url);
    for (const u of page.value) users.push({ ...toMailbox(u), exchangeLicensed: exchangeLicensed(u.assignedPlans) });
    const next = page['@odata.nextLink'];
    if (next !== undefined && !isUsersLink(graph.baseUrl, next)) {
      throw new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 sent a paging link elsewhere. Try again in a moment.');
    }
    url = next ?? null;
  }
  return users;
}

function isUsersLink(origin: string, link: string): boolean {
  try {
    const u = new URL(link);
    return u.origin === origin && u.pathname === '/v1.0/users' && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * The mailbox check (`mailboxSettings/userPurpose`, 20 per `$batch`) for the few linked users the
 * list cannot tell apart by itself: a disabled or unlicensed account may be a shared or room
 * mailbox (those are disabled and unlicensed too), or a person's. Everyone else is not asked.
 */
export function kindsOf(graph: Graph, ids: string[]): Promise<Map<string, MailboxKind>> {
  return ids.length === 0 ? Promise.resolve(new Map()) : checkMailboxes(graph, ids, { maxWaitSeconds: 5 });
}

/** Users whose primary SMTP address is `email` (compared case-insensitively), `GET /users?$filter=mail eq '…'`. */
export async function usersByPrimary(graph: Graph, email: string): Promise<DirectoryUser[]> {
  const quoted = email.replace(/'/g, "''");
  const page = await graph.get<UsersPage>(`/users?$select=${SELECT}&$filter=${encodeURIComponent(`mail eq '${quoted}'`)}`);
  return page.value
    .map((u) => ({ ...toMailbox(u), exchangeLicensed: exchangeLicensed(u.assignedPlans) }))
    .filter((m) => m.primaryAddress?.toLowerCase() === email.toLowerCase());
}
