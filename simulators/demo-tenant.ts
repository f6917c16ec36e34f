import { demoAppointments } from './demo-appointments.js';
import type { DemoAssociate, DemoMailbox, DemoSize, DemoTenant, DemoUserPurpose } from './demo-tenant.types.js';
import { pick, seededRandom, shuffle, stableGuid, type Random } from './seeded-random.js';

/**
 * The demo tenant: one fictional Norwegian company seen from SuperOffice (associates and the email
 * on their contact card) and from Microsoft 365 (mailbox users). Associates 1–13 are hand-made
 * awkward cases (see DEMO_CASES); everyone else is drawn from a seeded PRNG, so every call returns
 * the same tenant. 'large' is 'demo' plus filler: its first 60 associates are the demo's.
 */

export const DEMO_CONTEXT_ID = 'Cust12345';
export const DEMO_ENTRA_TENANT_ID = '5f1c7e2a-8b3d-4c69-a0e4-7d2b9c6f1a38';
export const DEMO_DOMAIN = 'nordlys.example';
/** The tenant's initial domain: cloud-only sign-in names and guest UPNs live here. */
export const DEMO_INITIAL_DOMAIN = 'nordlysmaritime.onmicrosoft.com';
const COMPANY_NAME = 'Nordlys Maritime AS';
const SERIAL = '4021873395';
/** The company contact every employee's person card belongs to. */
const OWN_CONTACT_ID = 2;
const SEED = 0x5eed_2026;

const SIZES: Record<DemoSize, { associates: number; mailboxes: number }> = {
  demo: { associates: 60, mailboxes: 80 },
  large: { associates: 10_000, mailboxes: 50_000 },
};

const USERGROUPS: readonly (readonly [number, string])[] = [
  [1, 'Salg'],
  [2, 'Kundeservice'],
  [3, 'Økonomi'],
  [4, 'Ledelse'],
  [5, 'Marked'],
  [6, 'IT'],
];
const ADMIN_RIGHTS = ['admin-all', 'admin-users', 'admin-lists', 'admin-preferences', 'view-all-contacts', 'edit-all-contacts'];
const USER_RIGHTS = ['view-all-contacts', 'create-appointment', 'create-sale', 'edit-own-contacts'];

const FIRST_NAMES = [
  'Anne', 'Lars', 'Marius', 'Ida', 'Sofie', 'Emma', 'Henrik', 'Sindre', 'Eirik', 'Kristin', 'Marte', 'Håkon',
  'Øystein', 'Ragnhild', 'Sigrid', 'Torbjørn', 'Camilla', 'Thea', 'Mathias', 'Jørgen', 'Astrid', 'Liv', 'Vegard',
  'Maja', 'Elias', 'Frida', 'Sander', 'Helene', 'Åse', 'Geir', 'Trond', 'Randi', 'Solveig', 'Kjetil', 'Espen',
  'Linn', 'Jon', 'Mari', 'Tuva', 'Aksel', 'Synnøve', 'Halvard', 'Vilde', 'Amir', 'Fatima', 'Oskar', 'Hedda',
] as const;
const LAST_NAMES = [
  'Hansen', 'Johansen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen',
  'Johnsen', 'Pettersen', 'Eriksen', 'Hagen', 'Johannessen', 'Andreassen', 'Jacobsen', 'Jørgensen',
  'Halvorsen', 'Henriksen', 'Sørensen', 'Gundersen', 'Iversen', 'Svendsen', 'Eide', 'Knutsen', 'Martinsen',
  'Paulsen', 'Bakken', 'Kristoffersen', 'Mathisen', 'Amundsen', 'Rasmussen', 'Lunde', 'Solheim', 'Berge',
  'Nygård', 'Holm', 'Lien', 'Hauge', 'Fredriksen', 'Sæther', 'Aas', 'Myhre', 'Haugland', 'Tveit', 'Rønning',
] as const;

/** Associates 1–13: each one is a case an administrator meets when linking. */
const A = {
  kari: 1, ola: 2, ingrid: 3, per: 4, jonas: 5, jonas2: 6, silje: 7, magnus: 8, nora: 9,
  bjorn: 10, erik: 11, tore: 12, hilde: 13, firstOrdinary: 14,
} as const;

const at = (local: string, domain = DEMO_DOMAIN): string => `${local}@${domain}`;
const UPN = {
  kari: at('kari.nordmann'),
  ingrid: at('ingrid.haugen'),
  per: at('per.olsen'),
  jonas: at('jonas.dahl'),
  silje: at('silje.berg'),
  magnus: at('magnus.strand'),
  nora: at('nora.lie'),
  bjorn: at('bjorn.solberg'),
  tore: at('tore.lund'),
  gunnar: at('gunnar.vik'),
  shared: at('post'),
  room: at('fjorden'),
  breakGlass: at('admin', DEMO_INITIAL_DOMAIN),
  scanner: at('skanner'),
  guests: [at('erik.moen', 'partner.example'), at('anna.svensson', 'leverantor.example'), at('john.smith', 'fabrikam.example')],
} as const;

/** Graph object id of a demo mailbox: derived from its sign-in name, so it never shifts. */
export function mailboxIdFor(userPrincipalName: string): string {
  return stableGuid(DEMO_ENTRA_TENANT_ID, userPrincipalName.toLowerCase());
}

/** A guest's UPN: the external address with `@` → `_`, then `#EXT#@` the host tenant's initial domain. */
export function guestUpn(externalMail: string): string {
  return `${externalMail.replace('@', '_')}#EXT#@${DEMO_INITIAL_DOMAIN}`;
}

/** The awkward cases by name, valid for both sizes (large = demo + filler). */
export const DEMO_CASES = {
  /** Retired associate (isActive false); their mailbox still exists but the account is disabled. */
  retiredAssociateId: A.bjorn,
  /** Card email `ingrid.haugen@…`, mailbox primary `Ingrid.Haugen@…`: equal ignoring case only. */
  caseOnlyAssociateId: A.ingrid,
  caseOnlyMailboxId: mailboxIdFor(UPN.ingrid),
  /** Card email `per@…` is only an `smtp:` alias of the mailbox whose primary is `per.olsen@…`. */
  aliasOnlyAssociateId: A.per,
  aliasOnlyMailboxId: mailboxIdFor(UPN.per),
  /** Two associates whose cards both say `jonas.dahl@…` (one mailbox). */
  sharedEmailAssociateIds: [A.jonas, A.jonas2] as readonly number[],
  sharedEmailMailboxId: mailboxIdFor(UPN.jonas),
  /** Cards without an email (personEmail null); each of them does have a mailbox. */
  noEmailAssociateIds: [A.silje, A.magnus, A.nora] as readonly number[],
  /** Card with two addresses: the first stored is ranked 2, the primary (rank 1) comes second. */
  twoEmailsAssociateId: A.ola,
  /** Administrators (functionRights include admin-all and admin-users). */
  adminAssociateIds: [A.kari, A.ola] as readonly number[],
  nonAdminAssociateId: A.firstOrdinary,
  /** Card email at another company; the only user with that mail is a guest. */
  guestEmailAssociateId: A.erik,
  /** Card email matches a member user that has no Exchange Online mailbox (userPurpose null). */
  unlicensedEmailAssociateId: A.tore,
  /** Card email that no user in Microsoft 365 has. */
  noMatchAssociateId: A.hilde,
  /** Kari Nordmann, administrator, whose mailbox has a short alias `kari@…`. */
  adminMailboxId: mailboxIdFor(UPN.kari),
  retiredMailboxId: mailboxIdFor(UPN.bjorn),
  sharedMailboxId: mailboxIdFor(UPN.shared),
  roomMailboxId: mailboxIdFor(UPN.room),
  /** Member users without an Exchange Online mailbox (userPurpose null → 404 MailboxNotEnabledForRESTAPI). */
  noMailboxIds: [UPN.tore, UPN.breakGlass, UPN.scanner].map(mailboxIdFor) as readonly string[],
  /** Guest users (userType Guest, `#EXT#` UPN, mail at another domain; no mailbox here). */
  guestIds: UPN.guests.map((m) => mailboxIdFor(guestUpn(m))) as readonly string[],
  /** Ordinary user mailboxes whose account is disabled (shared and room mailboxes are disabled too, listed apart). */
  disabledIds: [UPN.bjorn, UPN.gunnar].map(mailboxIdFor) as readonly string[],
} as const;

const asciiCache = new Map<string, string>();

/** Folds Norwegian letters to the ASCII that email local parts use (memoized: names repeat a lot). */
function ascii(s: string): string {
  let folded = asciiCache.get(s);
  if (folded === undefined) {
    folded = s.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a').replace(/[^a-z0-9.-]/g, '');
    asciiCache.set(s, folded);
  }
  return folded;
}

interface AssociateSpec {
  id: number;
  first: string;
  last: string;
  email: string | null;
  userName: string;
  admin?: boolean;
  isActive?: boolean;
  groupId?: number;
  /** Another address on the card, stored before the primary one but ranked after it. */
  olderEmail?: string;
}

interface MailboxSpec {
  displayName: string;
  upn: string;
  /** Primary SMTP address; null when the user has no mail address at all. */
  mail: string | null;
  aliases?: string[];
  accountEnabled?: boolean;
  userType?: 'Member' | 'Guest';
  purpose: DemoUserPurpose;
  /** Cloud accounts also get `smtp:` at the initial domain; guests and address-less users don't. */
  initialDomainAlias?: boolean;
  sip?: boolean;
}

class TenantBuilder {
  readonly associates: DemoAssociate[] = [];
  readonly mailboxes: DemoMailbox[] = [];
  private readonly assocNames = new Set<string>();
  private readonly localParts = new Set<string>();
  /** Next suffix to try per base name: keeps 50,000 unique addresses linear, not quadratic. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(private readonly random: Random) {}

  /** Reserves a local part in the company domain (`first.last`, then `first.last2`, …). */
  uniqueLocal(first: string, last: string): string {
    const local = this.unique(`${ascii(first)}.${ascii(last)}`, this.localParts);
    this.localParts.add(local);
    return local;
  }

  private unique(base: string, taken: Set<string>): string {
    if (!taken.has(base)) return base;
    let n = this.nextSuffix.get(base) ?? 2;
    while (taken.has(`${base}${n}`)) n++;
    this.nextSuffix.set(base, n + 1);
    return `${base}${n}`;
  }

  reserveLocal(local: string): void {
    this.localParts.add(local.toLowerCase());
  }

  private uniqueAssocName(first: string, last: string): string {
    const name = this.unique((ascii(first).slice(0, 1) + ascii(last).slice(0, 2)).toUpperCase(), this.assocNames);
    this.assocNames.add(name);
    return name;
  }

  addAssociate(spec: AssociateSpec): DemoAssociate {
    const [usergroupId, usergroup] = spec.groupId
      ? (USERGROUPS.find(([id]) => id === spec.groupId) ?? USERGROUPS[0]!)
      : pick(this.random, USERGROUPS);
    const associate: DemoAssociate = {
      associateId: spec.id,
      assocName: this.uniqueAssocName(spec.first, spec.last),
      userName: spec.userName,
      fullName: `${spec.first} ${spec.last}`,
      firstName: spec.first,
      lastName: spec.last,
      personId: 100 + spec.id,
      contactId: OWN_CONTACT_ID,
      assocType: 'Employee',
      usergroupId,
      usergroup,
      isActive: spec.isActive ?? true,
      personEmail: spec.email,
      ...(spec.olderEmail && spec.email
        ? { cardEmails: [{ address: spec.olderEmail, rank: 2 }, { address: spec.email, rank: 1 }] }
        : {}),
      functionRights: [...(spec.admin ? ADMIN_RIGHTS : USER_RIGHTS)],
      roleName: spec.admin ? 'Administrator' : usergroup === 'Salg' ? 'Selger' : 'Bruker',
    };
    this.associates.push(associate);
    return associate;
  }

  addMailbox(spec: MailboxSpec): DemoMailbox {
    const proxyAddresses: string[] = [];
    if (spec.mail) {
      proxyAddresses.push(`SMTP:${spec.mail}`);
      for (const alias of spec.aliases ?? []) proxyAddresses.push(`smtp:${alias}`);
      if (spec.initialDomainAlias ?? spec.userType !== 'Guest') {
        proxyAddresses.push(`smtp:${spec.mail.split('@')[0]!.toLowerCase()}@${DEMO_INITIAL_DOMAIN}`);
      }
      if (spec.sip) proxyAddresses.push(`SIP:${spec.mail.toLowerCase()}`);
    }
    const mailbox: DemoMailbox = {
      id: mailboxIdFor(spec.upn),
      displayName: spec.displayName,
      mail: spec.mail,
      userPrincipalName: spec.upn,
      proxyAddresses,
      accountEnabled: spec.accountEnabled ?? true,
      userType: spec.userType ?? 'Member',
      userPurpose: spec.purpose,
    };
    this.mailboxes.push(mailbox);
    return mailbox;
  }

  /** An ordinary employee's mailbox: primary `first.last@domain`, UPN the same. */
  addPersonMailbox(first: string, last: string, local: string, extra: Partial<MailboxSpec> = {}): DemoMailbox {
    const address = at(local);
    return this.addMailbox({ displayName: `${first} ${last}`, upn: address.toLowerCase(), mail: address, purpose: 'user', ...extra });
  }

  addGuest(displayName: string, externalMail: string): DemoMailbox {
    return this.addMailbox({ displayName, upn: guestUpn(externalMail), mail: externalMail, userType: 'Guest', purpose: null });
  }
}

/** Associates 1–13 and the mailboxes that make them awkward. */
function addSpecialCases(b: TenantBuilder): void {
  for (const local of ['kari.nordmann', 'ola.nordmann', 'ingrid.haugen', 'per.olsen', 'jonas.dahl', 'jonas.dahl2',
    'silje.berg', 'magnus.strand', 'nora.lie', 'bjorn.solberg', 'tore.lund', 'hilde.bakke', 'gunnar.vik',
    'post', 'fjorden', 'skanner', 'kari', 'per']) b.reserveLocal(local);

  b.addAssociate({ id: A.kari, first: 'Kari', last: 'Nordmann', email: UPN.kari, userName: UPN.kari, admin: true, groupId: 4 });
  // His card kept the address from before the company's rename, stored first, now ranked second.
  b.addAssociate({ id: A.ola, first: 'Ola', last: 'Nordmann', email: at('ola.nordmann'), olderEmail: 'ola.nordmann@nordlys-shipping.example', userName: at('ola.nordmann'), admin: true, groupId: 6 });
  b.addAssociate({ id: A.ingrid, first: 'Ingrid', last: 'Haugen', email: UPN.ingrid, userName: UPN.ingrid, groupId: 2 });
  b.addAssociate({ id: A.per, first: 'Per', last: 'Olsen', email: at('per'), userName: UPN.per, groupId: 1 });
  b.addAssociate({ id: A.jonas, first: 'Jonas', last: 'Dahl', email: UPN.jonas, userName: UPN.jonas, groupId: 1 });
  // A second login for the same person (a training account): same card email, one mailbox.
  b.addAssociate({ id: A.jonas2, first: 'Jonas', last: 'Dahl', email: UPN.jonas, userName: at('jonas.dahl2'), groupId: 6 });
  b.addAssociate({ id: A.silje, first: 'Silje', last: 'Berg', email: null, userName: UPN.silje, groupId: 5 });
  b.addAssociate({ id: A.magnus, first: 'Magnus', last: 'Strand', email: null, userName: UPN.magnus, groupId: 3 });
  b.addAssociate({ id: A.nora, first: 'Nora', last: 'Lie', email: null, userName: UPN.nora, groupId: 2 });
  b.addAssociate({ id: A.bjorn, first: 'Bjørn', last: 'Solberg', email: UPN.bjorn, userName: UPN.bjorn, isActive: false, groupId: 1 });
  b.addAssociate({ id: A.erik, first: 'Erik', last: 'Moen', email: UPN.guests[0], userName: UPN.guests[0], groupId: 6 });
  b.addAssociate({ id: A.tore, first: 'Tore', last: 'Lund', email: UPN.tore, userName: UPN.tore, groupId: 3 });
  b.addAssociate({ id: A.hilde, first: 'Hilde', last: 'Bakke', email: at('hilde.bakke'), userName: at('hilde.bakke'), groupId: 5 });

  b.addPersonMailbox('Kari', 'Nordmann', 'kari.nordmann', { aliases: [at('kari')], sip: true });
  b.addPersonMailbox('Ola', 'Nordmann', 'ola.nordmann');
  b.addPersonMailbox('Ingrid', 'Haugen', 'Ingrid.Haugen');
  b.addPersonMailbox('Per', 'Olsen', 'per.olsen', { aliases: [at('per')] });
  b.addPersonMailbox('Jonas', 'Dahl', 'jonas.dahl');
  b.addPersonMailbox('Silje', 'Berg', 'silje.berg');
  b.addPersonMailbox('Magnus', 'Strand', 'magnus.strand');
  b.addPersonMailbox('Nora', 'Lie', 'nora.lie');
  b.addPersonMailbox('Bjørn', 'Solberg', 'bjorn.solberg', { accountEnabled: false });
  b.addPersonMailbox('Gunnar', 'Vik', 'gunnar.vik', { accountEnabled: false });
  // Synced from on-premises with an address but no Exchange Online licence.
  b.addMailbox({ displayName: 'Tore Lund', upn: UPN.tore, mail: UPN.tore, purpose: null, initialDomainAlias: false });
  b.addMailbox({ displayName: 'Nordlys Admin', upn: UPN.breakGlass, mail: null, purpose: null });
  b.addMailbox({ displayName: 'Skanner Resepsjon', upn: UPN.scanner, mail: null, purpose: null });
  b.addMailbox({ displayName: 'Post Nordlys', upn: UPN.shared, mail: UPN.shared, accountEnabled: false, purpose: 'shared' });
  b.addMailbox({ displayName: 'Møterom Fjorden', upn: UPN.room, mail: UPN.room, accountEnabled: false, purpose: 'room' });
  b.addGuest('Erik Moen (Partner AS)', UPN.guests[0]);
  b.addGuest('Anna Svensson (Leverantör AB)', UPN.guests[1]);
  b.addGuest('John Smith (Fabrikam)', UPN.guests[2]);
}

interface Person {
  first: string;
  last: string;
  local: string;
}

function drawPerson(b: TenantBuilder, random: Random, usedNames: Set<string>, allowRepeat: boolean): Person {
  for (;;) {
    const first = pick(random, FIRST_NAMES);
    const last = pick(random, LAST_NAMES);
    const full = `${first} ${last}`;
    // The demo has unique names so people can be told apart on screen; large allows repeats.
    if (!allowRepeat) {
      if (usedNames.has(full)) continue;
      usedNames.add(full);
    }
    return { first, last, local: b.uniqueLocal(first, last) };
  }
}

export function demoTenant(size: DemoSize = 'demo'): DemoTenant {
  const random = seededRandom(SEED);
  const target = SIZES[size];
  const b = new TenantBuilder(random);
  addSpecialCases(b);

  const usedNames = new Set(b.associates.map((a) => a.fullName));
  const demoAssociates = SIZES.demo.associates;
  const withMailbox: (Person & { disabled: boolean })[] = [];
  for (let id = A.firstOrdinary; id <= target.associates; id++) {
    const person = drawPerson(b, random, usedNames, id > demoAssociates);
    const email = at(person.local);
    // Filler beyond the demo's 60 gets the same kinds of gaps in small proportions.
    const roll = id > demoAssociates ? random() : 1;
    const noEmail = roll < 0.02;
    const retired = roll >= 0.02 && roll < 0.03;
    const noMailbox = roll >= 0.03 && roll < 0.04;
    b.addAssociate({ id, first: person.first, last: person.last, email: noEmail ? null : email, userName: email, isActive: !retired });
    // A retired employee's mailbox usually lingers with the account disabled.
    if (!noMailbox) withMailbox.push({ ...person, disabled: retired });
  }
  for (const p of withMailbox) {
    b.addPersonMailbox(p.first, p.last, p.local, { sip: random() < 0.25, accountEnabled: !p.disabled });
  }
  // Employees who don't use the CRM (and, in large, the usual mix of odd accounts).
  while (b.mailboxes.length < target.mailboxes) {
    const person = drawPerson(b, random, usedNames, size === 'large');
    const roll = size === 'large' ? random() : 1;
    if (roll < 0.01) {
      b.addGuest(`${person.first} ${person.last} (gjest)`, at(person.local, 'partner.example'));
    } else if (roll < 0.02) {
      b.addPersonMailbox(person.first, person.last, person.local, { accountEnabled: false });
    } else if (roll < 0.04) {
      b.addPersonMailbox(person.first, person.last, person.local, { purpose: null, initialDomainAlias: false });
    } else if (roll < 0.045) {
      b.addMailbox({ displayName: `Felles ${person.last}`, upn: at(`felles.${person.local}`), mail: at(`felles.${person.local}`), accountEnabled: false, purpose: 'shared' });
    } else if (roll < 0.047) {
      b.addMailbox({ displayName: `Møterom ${person.last}`, upn: at(`rom.${person.local}`), mail: at(`rom.${person.local}`), accountEnabled: false, purpose: 'room' });
    } else {
      b.addPersonMailbox(person.first, person.last, person.local, { sip: random() < 0.25 });
    }
  }

  // Graph lists users in no human order (not by name, not by creation): a seeded shuffle.
  const mailboxes = shuffle(random, b.mailboxes);
  return {
    contextId: DEMO_CONTEXT_ID,
    companyName: COMPANY_NAME,
    serial: SERIAL,
    entraTenantId: DEMO_ENTRA_TENANT_ID,
    domain: DEMO_DOMAIN,
    associates: b.associates,
    mailboxes,
    appointments: demoAppointments(b.associates),
  };
}
