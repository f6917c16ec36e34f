import type { DemoMailbox, DemoTenant } from '../demo-tenant.types.js';

/** Returned when a request does not `$select` (Graph's documented default set, in its order). */
export const DEFAULT_PROPERTIES = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName', 'id',
] as const;

/** What `User.ReadBasic.All` may see. */
export const BASIC_PROPERTIES = new Set(['id', 'displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'photo']);

/** user properties the simulator knows (canonical casing); selecting others is Graph's 400. */
const KNOWN_PROPERTIES = [
  ...DEFAULT_PROPERTIES, 'accountEnabled', 'ageGroup', 'assignedLicenses', 'assignedPlans', 'city', 'companyName',
  'country', 'createdDateTime', 'creationType', 'department', 'employeeId', 'externalUserState', 'faxNumber',
  'imAddresses', 'lastPasswordChangeDateTime', 'mailNickname', 'onPremisesImmutableId', 'onPremisesSyncEnabled',
  'otherMails', 'postalCode', 'proxyAddresses', 'showInAddressList', 'state', 'streetAddress', 'usageLocation', 'userType',
] as const;

/** Only on a single user (`/users/{id}?$select=…`); on the collection Graph answers 501. */
export const SINGLE_USER_ONLY = new Set([
  'mailboxSettings', 'aboutMe', 'birthday', 'hireDate', 'interests', 'mySite', 'pastProjects', 'preferredName', 'responsibilities', 'schools', 'skills',
]);

const CANONICAL = new Map<string, string>([...KNOWN_PROPERTIES, ...SINGLE_USER_ONLY].map((p) => [p.toLowerCase(), p]));

/** Canonical property name for a `$select`/`$filter` name (Graph matches names case-insensitively). */
export function canonicalProperty(name: string): string | undefined {
  return CANONICAL.get(name.toLowerCase());
}

// Service plan ids from Microsoft's published licensing tables (see the reference notes).
const EXCHANGE_S_ENTERPRISE = 'efb87545-963c-4e0d-99df-69c6916d9eb0';
const EXCHANGE_S_FOUNDATION = '113feb6c-3fe4-4440-bddc-54d774bf0318';
const SHAREPOINTENTERPRISE = '5dbe027f-2339-4123-9542-606e4d348a72';
const ENTERPRISEPACK_SKU = '6fd2c87f-b296-42f0-b197-1e91e994b900';

/** A stable creation date per user (2018–2024), so listings look lived-in but never change. */
function createdDate(id: string): string {
  const days = parseInt(id.slice(0, 8), 16) % (7 * 365);
  return new Date(Date.UTC(2018, 0, 1) + days * 86_400_000).toISOString().replace('.000Z', 'Z');
}

function isPerson(m: DemoMailbox): boolean {
  return m.userPurpose !== 'shared' && m.userPurpose !== 'room' && m.userPurpose !== 'equipment' && m.mail !== null;
}

/**
 * assignedPlans as a licensed mailbox user has them, and the traps the reference warns about:
 * a user with `EXCHANGE_S_FOUNDATION` (service "exchange") but no mailbox; shared and room
 * mailboxes with no plans at all.
 */
function assignedPlans(m: DemoMailbox, created: string): Record<string, string>[] {
  // https://learn.microsoft.com/en-us/graph/api/resources/assignedplan: a plan whose licence was
  // removed stays listed, its capabilityStatus `Deleted`.
  const status = m.licensed === false ? 'Deleted' : 'Enabled';
  const plan = (servicePlanId: string, service: string) => ({ assignedDateTime: created, capabilityStatus: status, service, servicePlanId });
  if (m.userType === 'Guest') return [];
  if (m.userPurpose === 'user') return [plan(EXCHANGE_S_ENTERPRISE, 'exchange'), plan(SHAREPOINTENTERPRISE, 'SharePoint')];
  if (m.userPurpose === null && m.mail !== null) return [plan(EXCHANGE_S_FOUNDATION, 'exchange')];
  return [];
}

/** The full Graph `user` resource for a demo mailbox user. */
export function graphUser(m: DemoMailbox, tenant: DemoTenant): Record<string, unknown> {
  const created = createdDate(m.id);
  const person = isPerson(m) && m.userType === 'Member';
  const [given, ...rest] = m.displayName.split(' ');
  const guest = m.userType === 'Guest';
  const licensed = m.userPurpose === 'user' && m.licensed !== false;
  const sip = m.proxyAddresses.find((p) => p.startsWith('SIP:'));
  return {
    id: m.id,
    businessPhones: [],
    displayName: m.displayName,
    givenName: person && rest.length ? given : null,
    jobTitle: null,
    mail: m.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: guest ? null : 'nb-NO',
    surname: person && rest.length ? rest.join(' ') : null,
    userPrincipalName: m.userPrincipalName,
    accountEnabled: m.accountEnabled,
    ageGroup: null,
    assignedLicenses: licensed ? [{ disabledPlans: [], skuId: ENTERPRISEPACK_SKU }] : [],
    assignedPlans: assignedPlans(m, created),
    city: null,
    companyName: guest ? null : tenant.companyName,
    country: null,
    createdDateTime: created,
    creationType: guest ? 'Invitation' : null,
    department: null,
    employeeId: null,
    externalUserState: guest ? 'Accepted' : null,
    faxNumber: null,
    imAddresses: sip ? [sip.slice(4)] : [],
    lastPasswordChangeDateTime: created,
    mailNickname: m.userPrincipalName.split(/#EXT#|@/)[0],
    onPremisesImmutableId: null,
    onPremisesSyncEnabled: null,
    otherMails: [],
    postalCode: null,
    proxyAddresses: [...m.proxyAddresses],
    showInAddressList: null,
    state: null,
    streetAddress: null,
    usageLocation: licensed ? 'NO' : null,
    userType: m.userType,
  };
}

/**
 * Keeps only the selected properties (in the order asked), adding `id` when it was not asked for.
 * Without a selection, Graph's default set.
 */
export function projectUser(full: Record<string, unknown>, select: readonly string[] | null, allowed?: ReadonlySet<string>): Record<string, unknown> {
  const names = select ?? DEFAULT_PROPERTIES;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (allowed && !allowed.has(name)) continue;
    out[name] = full[name] ?? null;
  }
  if (!('id' in out)) out.id = full.id;
  return out;
}
