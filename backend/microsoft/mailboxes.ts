import type { Graph } from './graph.client.js';
import type { Mailbox, MailboxPage } from './microsoft.schemas.js';

export type { Mailbox };

export interface GraphUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  proxyAddresses?: string[] | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
}

interface UsersPage {
  value: GraphUser[];
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
}

export const MAILBOX_PAGE_SIZE = 999;
const SELECT = 'id,displayName,mail,userPrincipalName,proxyAddresses,accountEnabled,userType';

/** Splits proxy addresses on the first colon; only `smtp` ones count, compared case-insensitively. */
export function smtpAddresses(user: Pick<GraphUser, 'mail' | 'proxyAddresses'>): { primary: string | null; all: string[] } {
  let primary: string | null = null;
  const all = new Set<string>();
  for (const proxy of user.proxyAddresses ?? []) {
    const colon = proxy.indexOf(':');
    if (colon < 0 || proxy.slice(0, colon).toLowerCase() !== 'smtp') continue;
    const address = proxy.slice(colon + 1).trim();
    if (!address) continue;
    if (proxy.startsWith('SMTP:')) primary = address;
    all.add(address.toLowerCase());
  }
  const mail = user.mail?.trim();
  if (mail) {
    primary ??= mail;
    all.add(mail.toLowerCase());
  }
  return { primary, all: [...all] };
}

export function toMailbox(u: GraphUser): Mailbox {
  const { primary, all } = smtpAddresses(u);
  const upn = u.userPrincipalName ?? '';
  return {
    id: u.id.toLowerCase(),
    displayName: u.displayName ?? upn,
    primaryAddress: primary,
    addresses: all,
    userPrincipalName: upn,
    accountEnabled: u.accountEnabled !== false,
    guest: u.userType === 'Guest' || upn.includes('#EXT#'),
  };
}

/**
 * A cursor is a Graph `@odata.nextLink` of the users list, nothing else: an https URL on Graph's
 * own origin, path `/v1.0/users`, no credentials. Anything else would have our app token sent
 * for another resource (or the SDK to a host it mistakes for Graph). Returns the normalized URL,
 * or null when it is not one.
 */
export function usersNextLink(graphUrl: string, cursor: string): string | null {
  const graph = new URL(graphUrl);
  let url: URL;
  try {
    url = new URL(cursor);
  } catch {
    return null;
  }
  const ok = url.protocol === 'https:' && url.origin === graph.origin && url.pathname === '/v1.0/users' && !url.username && !url.password && !url.hash;
  return ok ? url.href : null;
}

/**
 * One page of Load External Users: `GET /users` with `$select` and `$top=999`, then the
 * `@odata.nextLink` Graph returned. The first page asks for `$count` (an advanced query, hence
 * `ConsistencyLevel: eventual`, which must be sent again on every page) so the panel can show
 * progress against a total.
 */
export async function mailboxPage(graph: Graph, cursor: string | null): Promise<MailboxPage> {
  const headers = { ConsistencyLevel: 'eventual' };
  const url = cursor ?? `/users?$select=${SELECT}&$top=${MAILBOX_PAGE_SIZE}&$count=true`;
  const page = await graph.get<UsersPage>(url, headers);
  return {
    mailboxes: page.value.map(toMailbox),
    next: page['@odata.nextLink'] ?? null,
    total: typeof page['@odata.count'] === 'number' ? page['@odata.count'] : null,
  };
}
