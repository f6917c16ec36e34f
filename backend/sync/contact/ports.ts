/**
 * The contact pass (one way: SuperOffice persons → an Outlook contact folder of ours) and what it
 * talks to, as types: contact-kind.ts works on these, superoffice-persons.ts and
 * outlook-contacts.ts implement them, fields.ts translates. Times are UTC ISO instants.
 */

/** One row of the Person archive as polling sees it. */
export interface SoPersonRow {
  id: number;
  /** "Our contact" (`personAssociateId`); 0 for none. */
  associateId: number;
  updatedAt: string;
  deleted: boolean;
  retired: boolean;
}

export interface PostalAddress {
  street: string;
  city: string;
  zipcode: string;
  state: string;
  country: string;
}

/** A person as the pass needs it (`GET v1/Person/{id}` with `SO-TimeZone: UTC`). */
export interface SoPerson {
  id: number;
  associateId: number;
  firstName: string;
  middleName: string;
  lastName: string;
  fullName: string;
  /** Job title (`Title`). */
  title: string;
  /** The company's name (`Contact.Name`). */
  company: string;
  /** By rank, the primary first. */
  emails: string[];
  officePhones: string[];
  mobilePhones: string[];
  privatePhones: string[];
  address: PostalAddress;
  retired: boolean;
  updatedAt: string;
}

/**
 * SuperOffice persons for one tenant, as the sync's SuperOffice identity. Throws DomainErrors
 * when SuperOffice cannot be reached or refuses the identity.
 */
export interface SuperOfficePersonsPort {
  /**
   * Every person updated at or after `since`, whoever's they are now: a person that left this
   * associate's scope (another "our contact") shows only that way.
   */
  changedSince(since: string): Promise<SoPersonRow[]>;
  /** Every person whose "our contact" is the associate (deleted and retired ones included, marked). */
  ofAssociate(associateId: number): Promise<SoPersonRow[]>;
  /** null when it does not exist or is deleted (404). */
  get(id: number): Promise<SoPerson | null>;
  /**
   * "Why didn't this sync?" (backend/explain/): the persons of the whole tenant whose full name
   * contains `text`, whoever's they are, deleted and retired ones marked; one page of at most `limit`.
   */
  search?(text: string, limit: number): Promise<(SoPersonRow & { fullName: string })[]>;
}

/** A contact as Graph returns it. */
export interface GraphContact {
  id: string;
  changeKey: string;
  createdDateTime: string;
  /** The fields we write, read back (see fields.ts). */
  fields: ContactWrite;
  /** Our tag (the person id) when read with it expanded: null when it has none; undefined when not asked for (delta cannot expand). */
  tag?: number | null;
}

export interface GraphAddress {
  street: string;
  city: string;
  state: string;
  postalCode: string;
  countryOrRegion: string;
}

/** What the pass writes to a contact: every field it owns, every time (one-way). */
export interface ContactWrite {
  givenName: string;
  middleName: string;
  surname: string;
  displayName: string;
  companyName: string;
  jobTitle: string;
  emailAddresses: { name: string; address: string }[];
  businessPhones: string[];
  mobilePhone: string;
  homePhones: string[];
  businessAddress: GraphAddress;
}

export interface ContactDelta {
  changed: GraphContact[];
  removed: string[];
  deltaLink: string;
}

/** The folder's delta token is no longer valid (410): a full pass. */
export class ContactDeltaExpired extends Error {
  constructor() {
    super('The Outlook contact change token expired; a full comparison is needed.');
    this.name = 'ContactDeltaExpired';
  }
}

/** Our folder is gone (404): it is looked up by name again, or made anew, and the pass is a full one. */
export class ContactFolderGone extends Error {
  constructor() {
    super('The SuperOffice contact folder is gone from the mailbox.');
    this.name = 'ContactFolderGone';
  }
}

/**
 * The contact folder of ours ("SuperOffice") in one mailbox, app-only, through the mailbox's
 * limiter. Never touches another folder. Throws DomainErrors (MicrosoftThrottled, …).
 */
export interface OutlookContactsPort {
  /** Our folder's id: found by name, else created. */
  ensureFolder(): Promise<string>;
  /** From a stored deltaLink, or a fresh start; follows nextLinks. Throws ContactDeltaExpired / ContactFolderGone. */
  delta(folderId: string, from: { deltaLink: string } | 'start'): Promise<ContactDelta>;
  /** Every contact in the folder with the tag expanded (the rebind sweep). Throws ContactFolderGone. */
  list(folderId: string): Promise<GraphContact[]>;
  /** The folder's contacts carrying our tag for `personId` (the Integer filter), oldest first. */
  findByTag(folderId: string, personId: number): Promise<GraphContact[]>;
  /** POST with our tag. A lost answer is looked up by the tag before it is ever sent again (contacts have no transactionId). */
  create(folderId: string, personId: number, write: ContactWrite): Promise<GraphContact>;
  /** PATCH of every field we own. 404 → 'gone'. */
  update(folderId: string, id: string, write: ContactWrite): Promise<GraphContact | 'gone'>;
  delete(folderId: string, id: string): Promise<'deleted' | 'gone'>;
}
