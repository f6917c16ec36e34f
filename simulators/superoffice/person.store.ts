/**
 * The persons of one tenant (database table `person` with its `email`, `phone` and `address`
 * rows), as the Person entity (restful/rest/Person: v1PersonEntity_GetPersonEntity; a sample in
 * @superoffice/webapi `__tests__/Person210.json`) and the `Person` archive provider
 * (archive-providers/reference/person.md) show them.
 */

export interface PersonPhone {
  value: string;
  description?: string;
}

export interface PersonAddress {
  street: string;
  city: string;
  zipcode: string;
  state: string;
  country: string;
}

/** What a CRM user sets on a person. */
export interface PersonFields {
  firstname: string;
  middleName: string;
  lastname: string;
  /** The person's job title (`person.title`; the entity's `Title`). */
  title: string;
  /** The company: `contact.contact_id` and its name. */
  contactId: number;
  contactName: string;
  /** "Our contact" (`person.associate_id`): the associate responsible for the person; 0 for none. */
  associateId: number;
  /** By rank: the first is the primary address (rank 1). */
  emails: string[];
  officePhones: PersonPhone[];
  mobilePhones: PersonPhone[];
  privatePhones: PersonPhone[];
  address: PersonAddress;
  retired: boolean;
}

export interface StoredPerson extends PersonFields {
  personId: number;
  created: number;
  updated: number;
  createdBy: number;
  updatedBy: number;
  /** Soft delete (`personDeletedDate`): the row stays, with the time it was deleted. */
  deleted: number | null;
}

/** What a listener hears when a person is saved or deleted (the place SuperOffice fires `person.*` webhooks from). */
export interface PersonChange {
  event: 'person.created' | 'person.changed' | 'person.deleted';
  contextId: string;
  person: StoredPerson;
  /** "Our contact" before this change, and after (a colleague's webhooks route by associate). */
  previousAssociateId: number | null;
  associateId: number;
  at: number;
}

export type PersonListener = (change: PersonChange) => void;

export const EMPTY_ADDRESS: PersonAddress = { street: '', city: '', zipcode: '', state: '', country: '' };

export function defaultPersonFields(): PersonFields {
  return {
    firstname: '',
    middleName: '',
    lastname: '',
    title: '',
    contactId: 0,
    contactName: '',
    associateId: 0,
    emails: [],
    officePhones: [],
    mobilePhones: [],
    privatePhones: [],
    address: { ...EMPTY_ADDRESS },
    retired: false,
  };
}

const copy = (p: StoredPerson): StoredPerson => structuredClone(p);

export class PersonStore {
  private readonly rows = new Map<number, StoredPerson>();
  private readonly listeners = new Set<PersonListener>();
  private nextId: number;

  constructor(
    private readonly contextId: string,
    private readonly firstId = 5001,
  ) {
    this.nextId = firstId;
  }

  /**
   * The one hook every person change goes through (create, edit, our-contact change, retire,
   * delete), after it is saved. Returns the unsubscribe function.
   */
  onPersonChange(listener: PersonListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: PersonChange['event'], row: StoredPerson, previousAssociateId: number | null): void {
    const change: PersonChange = { event, contextId: this.contextId, person: copy(row), previousAssociateId, associateId: row.associateId, at: row.updated };
    for (const l of this.listeners) l(change);
  }

  get(id: number): StoredPerson | undefined {
    return this.rows.get(id);
  }

  all(): StoredPerson[] {
    return [...this.rows.values()];
  }

  create(fields: PersonFields, by: number, now: number): StoredPerson {
    const row: StoredPerson = { ...structuredClone(fields), personId: this.nextId++, created: now, updated: now, createdBy: by, updatedBy: by, deleted: null };
    this.rows.set(row.personId, row);
    this.emit('person.created', row, null);
    return copy(row);
  }

  /** Every save bumps `updatedDate`, whatever changed (an email row too: the person is saved with it). */
  update(id: number, patch: Partial<PersonFields>, by: number, now: number): StoredPerson {
    const row = this.rows.get(id);
    if (!row || row.deleted !== null) throw new Error(`no person ${id}`);
    const previous = row.associateId;
    Object.assign(row, structuredClone(patch), { updated: Math.max(now, row.updated), updatedBy: by });
    this.emit('person.changed', row, previous);
    return copy(row);
  }

  delete(id: number, by: number, now: number): StoredPerson {
    const row = this.rows.get(id);
    if (!row || row.deleted !== null) throw new Error(`no person ${id}`);
    row.deleted = now;
    row.updated = Math.max(now, row.updated);
    row.updatedBy = by;
    this.emit('person.deleted', row, row.associateId);
    return copy(row);
  }

  clear(): void {
    this.rows.clear();
    this.nextId = this.firstId;
  }
}
