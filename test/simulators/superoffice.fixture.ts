import type { DemoAssociate, DemoTenant } from '../../simulators/demo-tenant.types.js';
import type { RegisteredClient } from '../../simulators/superoffice/superoffice.simulator.js';

export const CONTEXT_ID = 'Cust12345';

export const CLIENT: RegisteredClient = {
  clientId: 'c789b7d98f3c496fb5aaa4b1a81ca11b',
  clientSecret: '83d0f3bcb9afbc7eb9d0682e9b86db52',
  redirectUris: ['http://localhost:3000/api/v1/auth/superoffice/callback'],
  appName: 'M365 Sync',
};

export const OTHER_CLIENT: RegisteredClient = {
  clientId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  clientSecret: 'ffeeddccbbaa99887766554433221100',
  redirectUris: ['https://other.example.com/callback'],
};

const FIRST = ['Tony', 'Anna', 'Bjørn', 'Chloé', 'Dmitri', 'Eva', 'Farid', 'Greta', 'Hiro', 'Ingrid', 'Jonas', 'Kari', 'Lars', 'Maja', "Niamh", 'Ola', 'Petra', 'Quentin', 'Rita', 'Sven'];
const LAST = ['Yates', 'Berg', 'Dahl', 'Martin', 'Ivanov', 'Lund', 'Haddad', 'Nilsen', 'Tanaka', 'Strand', 'Moe', 'Holm', 'Bakke', 'Eide', "O'Brien", 'Vik', 'Sæther', 'Roux', 'Aas', 'Lie'];

/** Ids are spaced (5, 8, 11, …) so code that assumes contiguous ids or id = index fails. */
export function associateIdAt(i: number): number {
  return 5 + i * 3;
}

/** Index 0 and 7 are administrators; 3 and 12 are retired; 5 and 16 have no email on their card. */
export const ADMIN_IDS = [associateIdAt(0), associateIdAt(7)];
export const RETIRED_IDS = [associateIdAt(3), associateIdAt(12)];
export const NO_EMAIL_IDS = [associateIdAt(5), associateIdAt(16)];

/** Index 9's card holds two addresses: the one stored first is ranked 2, the primary (rank 1) second. */
export const TWO_EMAILS_ID = associateIdAt(9);
export const TWO_EMAILS_PRIMARY = 'ingrid.strand@contoso.example';

function associate(i: number): DemoAssociate {
  const first = FIRST[i] ?? `User${i}`;
  const last = LAST[i] ?? `Last${i}`;
  const id = associateIdAt(i);
  const login = `${first}.${last}`.toLowerCase().normalize('NFKD').replace(/[^a-z.]/g, '');
  const admin = ADMIN_IDS.includes(id);
  return {
    associateId: id,
    assocName: (first[0] + last[0] + (i > 9 ? String(i) : '')).toUpperCase(),
    userName: `${login}@simulated.example`,
    fullName: `${first} ${last}`,
    firstName: first,
    lastName: last,
    personId: 1000 + i,
    contactId: 2,
    assocType: 'Employee',
    usergroupId: admin ? 1 : 2,
    usergroup: admin ? 'Administrators' : 'Sales',
    isActive: !RETIRED_IDS.includes(id),
    personEmail: NO_EMAIL_IDS.includes(id) ? null : `${login}@contoso.example`,
    ...(id === TWO_EMAILS_ID ? { cardEmails: [{ address: `${login}@old-contoso.example`, rank: 2 }, { address: `${login}@contoso.example`, rank: 1 }] } : {}),
    functionRights: admin ? ['allow-bulk-export', 'admin-users', 'admin-all'] : ['allow-bulk-export'],
    roleName: admin ? 'Admin' : 'User',
  };
}

/** A 20-associate tenant: enough for several pages at $top=7. */
export function fixtureTenant(contextId = CONTEXT_ID, count = 20): DemoTenant {
  return {
    contextId,
    companyName: 'Simulated Testing AS',
    serial: '1801550193',
    entraTenantId: '00000000-0000-4000-8000-000000000001',
    domain: 'contoso.example',
    associates: Array.from({ length: count }, (_, i) => associate(i)),
    mailboxes: [],
  };
}
