import { randomBytes, randomUUID } from 'node:crypto';
import type { ExtendedProperty, SimClock } from './calendar-store.js';

/**
 * Every mailbox's contacts, in memory: the default Contacts folder (the user's own contacts,
 * `/users/{id}/contacts`) and the folders under it (`/users/{id}/contactFolders`), with
 * per-folder delta state (Graph docs: resources/contact, resources/contactfolder, api/contact-delta).
 */

export interface EmailAddress {
  name?: string;
  address: string;
}

export interface PhysicalAddress {
  street: string;
  city: string;
  state: string;
  postalCode: string;
  countryOrRegion: string;
}

/** The writable fields of a contact (resources/contact), as validated from a POST/PATCH body. */
export interface ContactFields {
  givenName: string;
  middleName: string;
  surname: string;
  displayName: string;
  companyName: string;
  jobTitle: string;
  emailAddresses: EmailAddress[];
  businessPhones: string[];
  mobilePhone: string;
  homePhones: string[];
  businessAddress: PhysicalAddress;
  homeAddress: PhysicalAddress;
  personalNotes: string;
  categories: string[];
  extended: ExtendedProperty[];
}

export interface StoredContact extends ContactFields {
  mailboxId: string;
  id: string;
  /** The default Contacts folder's id, or a folder of `/contactFolders`. */
  folderId: string;
  changeKey: string;
  createdMs: number;
  modifiedMs: number;
  seq: number;
}

export interface StoredContactFolder {
  mailboxId: string;
  id: string;
  displayName: string;
  parentFolderId: string;
}

/** What a folder's delta round left the client knowing: contact id → changeKey. */
export interface ContactDeltaState {
  mailboxId: string;
  folderId: string;
  known: Map<string, string>;
}

export interface ContactDeltaPages {
  mailboxId: string;
  folderId: string;
  items: Record<string, unknown>[];
  nextState: string;
}

export const EMPTY_POSTAL: PhysicalAddress = { street: '', city: '', state: '', postalCode: '', countryOrRegion: '' };

export function defaultContactFields(): ContactFields {
  return {
    givenName: '',
    middleName: '',
    surname: '',
    displayName: '',
    companyName: '',
    jobTitle: '',
    emailAddresses: [],
    businessPhones: [],
    mobilePhone: '',
    homePhones: [],
    businessAddress: { ...EMPTY_POSTAL },
    homeAddress: { ...EMPTY_POSTAL },
    personalNotes: '',
    categories: [],
    extended: [],
  };
}

const newId = () => `AAMkAD${randomBytes(24).toString('base64url')}`;
const newChangeKey = () => randomBytes(12).toString('base64');

export class ContactStore {
  private readonly contacts = new Map<string, StoredContact>();
  private readonly folders = new Map<string, StoredContactFolder>();
  /** The default Contacts folder of each mailbox, made on first use. */
  private readonly defaults = new Map<string, string>();
  private readonly deltaStates = new Map<string, ContactDeltaState>();
  private readonly deltaPages = new Map<string, ContactDeltaPages>();
  private seq = 0;
  /** Every change of a contact (the subscriptions on `/users/{id}/contacts` are told). */
  readonly changeListeners = new Set<(mailboxId: string, contactId: string, changeType: 'created' | 'updated' | 'deleted') => void>();

  private changed(c: StoredContact, changeType: 'created' | 'updated' | 'deleted'): void {
    for (const listener of this.changeListeners) listener(c.mailboxId, c.id, changeType);
  }

  constructor(readonly clock: SimClock) {}

  defaultFolderId(mailboxId: string): string {
    let id = this.defaults.get(mailboxId);
    if (!id) {
      id = newId();
      this.defaults.set(mailboxId, id);
    }
    return id;
  }

  /** The folders under the default Contacts folder. */
  listFolders(mailboxId: string): StoredContactFolder[] {
    return [...this.folders.values()].filter((f) => f.mailboxId === mailboxId);
  }

  folder(mailboxId: string, id: string): StoredContactFolder | undefined {
    const f = this.folders.get(id);
    return f && f.mailboxId === mailboxId ? f : undefined;
  }

  /** Null when a folder of that name exists already (Graph: 409 ErrorFolderExists). */
  createFolder(mailboxId: string, displayName: string): StoredContactFolder | null {
    if (this.listFolders(mailboxId).some((f) => f.displayName.toLowerCase() === displayName.toLowerCase())) return null;
    const f: StoredContactFolder = { mailboxId, id: newId(), displayName, parentFolderId: this.defaultFolderId(mailboxId) };
    this.folders.set(f.id, f);
    return f;
  }

  /** The user deletes a folder, and every contact in it with it. */
  deleteFolder(mailboxId: string, id: string): void {
    if (!this.folder(mailboxId, id)) throw new Error(`no contact folder ${id}`);
    for (const c of this.list(mailboxId, id)) this.contacts.delete(c.id);
    this.folders.delete(id);
  }

  find(mailboxId: string, id: string): StoredContact | undefined {
    const c = this.contacts.get(id);
    return c && c.mailboxId === mailboxId ? c : undefined;
  }

  /** Contacts of one folder (the default one when `folderId` is its id), oldest first. */
  list(mailboxId: string, folderId: string): StoredContact[] {
    return [...this.contacts.values()].filter((c) => c.mailboxId === mailboxId && c.folderId === folderId).sort((a, b) => a.createdMs - b.createdMs || a.seq - b.seq);
  }

  /** Every contact of the mailbox, whatever its folder. */
  all(mailboxId: string): StoredContact[] {
    return [...this.contacts.values()].filter((c) => c.mailboxId === mailboxId);
  }

  create(mailboxId: string, folderId: string, fields: ContactFields): StoredContact {
    const now = this.clock.now();
    const c: StoredContact = { ...structuredClone(fields), mailboxId, id: newId(), folderId, changeKey: newChangeKey(), createdMs: now, modifiedMs: now, seq: ++this.seq };
    this.contacts.set(c.id, c);
    this.changed(c, 'created');
    return c;
  }

  update(c: StoredContact, fields: Partial<ContactFields>): void {
    Object.assign(c, structuredClone(fields));
    c.changeKey = newChangeKey();
    c.modifiedMs = Math.max(this.clock.now(), c.modifiedMs);
    c.seq = ++this.seq;
    this.changed(c, 'updated');
  }

  delete(c: StoredContact): void {
    this.contacts.delete(c.id);
    this.changed(c, 'deleted');
  }

  saveDeltaState(state: ContactDeltaState): string {
    const id = randomUUID().replace(/-/g, '');
    this.deltaStates.set(id, state);
    return id;
  }

  deltaState(id: string): ContactDeltaState | undefined {
    return this.deltaStates.get(id);
  }

  saveDeltaPages(pages: ContactDeltaPages): string {
    const id = randomUUID().replace(/-/g, '');
    this.deltaPages.set(id, pages);
    return id;
  }

  deltaPageSet(id: string): ContactDeltaPages | undefined {
    return this.deltaPages.get(id);
  }

  /** Forgets delta tokens (one mailbox's, or all): their next use answers 410. Returns how many. */
  expireDeltaTokens(mailboxId?: string): number {
    let n = 0;
    for (const [id, s] of this.deltaStates) {
      if (mailboxId === undefined || s.mailboxId === mailboxId) {
        this.deltaStates.delete(id);
        n += 1;
      }
    }
    for (const [id, p] of this.deltaPages) if (mailboxId === undefined || p.mailboxId === mailboxId) this.deltaPages.delete(id);
    return n;
  }

  reset(): void {
    this.contacts.clear();
    this.folders.clear();
    this.defaults.clear();
    this.deltaStates.clear();
    this.deltaPages.clear();
  }
}
