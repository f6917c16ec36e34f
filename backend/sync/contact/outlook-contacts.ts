import { z } from 'zod';
import { DomainError } from '../../domain-error.js';
import { graphFailure } from '../../microsoft/graph.client.js';
import type { GraphSender } from '../graph-usage.js';
import { lostAnswer, MailboxGraph, MAX_RETRIES, Page, statusOf } from '../mailbox-graph.js';
import type { MailboxLimiter } from '../mailbox-limiter.js';
import { ContactDeltaExpired, ContactFolderGone, type ContactDelta, type ContactWrite, type GraphContact, type OutlookContactsPort } from './ports.js';
import { CONTACT_FOLDER_NAME, CONTACT_TAG_PROPERTY_ID, parseContactTag } from './tags.js';

/** Immutable ids always (concepts/outlook-immutable-id). */
const PREFER = 'IdType="ImmutableId"';
const DELTA_PAGE = 100;
const LIST_PAGE = 100;

const Text = z.string().nullish().transform((v) => v ?? '');
const Address = z
  .object({ street: Text, city: Text, state: Text, postalCode: Text, countryOrRegion: Text })
  .partial()
  .nullish()
  .transform((a) => ({ street: a?.street ?? '', city: a?.city ?? '', state: a?.state ?? '', postalCode: a?.postalCode ?? '', countryOrRegion: a?.countryOrRegion ?? '' }));
const RawContact = z.object({
  id: z.string(),
  changeKey: z.string().nullish(),
  createdDateTime: z.string().nullish(),
  givenName: Text,
  middleName: Text,
  surname: Text,
  displayName: Text,
  companyName: Text,
  jobTitle: Text,
  emailAddresses: z.array(z.object({ name: Text, address: Text })).nullish(),
  businessPhones: z.array(z.string()).nullish(),
  mobilePhone: Text,
  homePhones: z.array(z.string()).nullish(),
  businessAddress: Address,
  singleValueExtendedProperties: z.array(z.object({ id: z.string(), value: z.string() })).nullish(),
});
const Folder = z.object({ id: z.string(), displayName: z.string().nullish() });

const unexpected = () => new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 answered the contacts request unexpectedly. Try again in a moment.');
const q = (s: string) => s.replace(/'/g, "''");
const expandTag = `$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${q(CONTACT_TAG_PROPERTY_ID)}')`)}`;

export function toGraphContact(raw: unknown, expanded: boolean): GraphContact {
  const parsed = RawContact.safeParse(raw);
  if (!parsed.success) throw unexpected();
  const c = parsed.data;
  const contact: GraphContact = {
    id: c.id,
    changeKey: c.changeKey ?? '',
    createdDateTime: c.createdDateTime ?? '',
    fields: {
      givenName: c.givenName,
      middleName: c.middleName,
      surname: c.surname,
      displayName: c.displayName,
      companyName: c.companyName,
      jobTitle: c.jobTitle,
      emailAddresses: (c.emailAddresses ?? []).map((e) => ({ name: e.name, address: e.address })),
      businessPhones: c.businessPhones ?? [],
      mobilePhone: c.mobilePhone,
      homePhones: c.homePhones ?? [],
      businessAddress: c.businessAddress,
    },
  };
  if (expanded) contact.tag = parseContactTag(c.singleValueExtendedProperties?.find((p) => p.id.toLowerCase() === CONTACT_TAG_PROPERTY_ID.toLowerCase())?.value);
  return contact;
}

/** Our contact folder in one mailbox (see OutlookContactsPort), through the mailbox's limiter. */
export class OutlookContacts implements OutlookContactsPort {
  private readonly user: string;
  private readonly http: MailboxGraph;

  constructor(graph: GraphSender, mailboxId: string, limiter: MailboxLimiter) {
    this.user = `/users/${encodeURIComponent(mailboxId)}`;
    this.http = new MailboxGraph(graph, limiter, unexpected);
  }

  /** One request through the limiter, retried on throttling; a lost answer only when `repeatable` (everything but a create, which has no transactionId to make it safe). */
  private call<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, body?: unknown, o: { prefer?: string; repeatable?: boolean } = {}): Promise<T> {
    return this.http.call<T>(method, pathOrUrl, body, { headers: { Prefer: o.prefer ?? PREFER }, repeatable: o.repeatable ?? true });
  }

  private folderPath(folderId: string): string {
    return `${this.user}/contactFolders/${encodeURIComponent(folderId)}`;
  }

  private async pages(first: string, expanded: boolean): Promise<GraphContact[]> {
    const out: GraphContact[] = [];
    let url: string | undefined = first;
    while (url) {
      let raw: unknown;
      try {
        raw = await this.call<unknown>('GET', url);
      } catch (err) {
        if (statusOf(err) === 404) throw new ContactFolderGone();
        throw graphFailure(err);
      }
      const page = Page.safeParse(raw);
      if (!page.success) throw unexpected();
      out.push(...page.data.value.map((v) => toGraphContact(v, expanded)));
      url = page.data['@odata.nextLink'] ? this.http.checkedLink(page.data['@odata.nextLink']) : undefined;
    }
    return out;
  }

  async ensureFolder(): Promise<string> {
    const filter = encodeURIComponent(`displayName eq '${q(CONTACT_FOLDER_NAME)}'`);
    const found = async () => {
      const page = Page.safeParse(await this.call<unknown>('GET', `${this.user}/contactFolders?$filter=${filter}`).catch((err) => Promise.reject(graphFailure(err))));
      if (!page.success) throw unexpected();
      const folder = page.data.value.map((v) => Folder.safeParse(v)).find((f) => f.success);
      return folder?.success ? folder.data.id : null;
    };
    const existing = await found();
    if (existing) return existing;
    try {
      const created = Folder.safeParse(await this.call<unknown>('POST', `${this.user}/contactFolders`, { displayName: CONTACT_FOLDER_NAME }));
      if (!created.success) throw unexpected();
      return created.data.id;
    } catch (err) {
      // Made meanwhile (or by our own create whose answer was lost): use it.
      if (statusOf(err) === 409 || lostAnswer(err)) {
        const again = await found();
        if (again) return again;
      }
      throw graphFailure(err);
    }
  }

  delta(folderId: string, from: { deltaLink: string } | 'start'): Promise<ContactDelta> {
    return this.http.delta(from === 'start' ? `${this.folderPath(folderId)}/contacts/delta` : this.http.checkedLink(from.deltaLink), {
      headers: { Prefer: `${PREFER}, odata.maxpagesize=${DELTA_PAGE}` },
      item: (raw) => toGraphContact(raw, false),
      expired: () => new ContactDeltaExpired(),
      gone: () => new ContactFolderGone(),
    });
  }

  list(folderId: string): Promise<GraphContact[]> {
    return this.pages(`${this.folderPath(folderId)}/contacts?${expandTag}&$top=${LIST_PAGE}`, true);
  }

  async findByTag(folderId: string, personId: number): Promise<GraphContact[]> {
    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${q(CONTACT_TAG_PROPERTY_ID)}' and cast(ep/value, Edm.Int32) eq ${Math.trunc(personId)})`;
    const found = await this.pages(`${this.folderPath(folderId)}/contacts?$filter=${encodeURIComponent(filter)}&${expandTag}&$top=${LIST_PAGE}`, true);
    return found.sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
  }

  async create(folderId: string, personId: number, write: ContactWrite): Promise<GraphContact> {
    const body = { ...write, singleValueExtendedProperties: [{ id: CONTACT_TAG_PROPERTY_ID, value: String(Math.trunc(personId)) }] };
    for (let attempt = 0; ; attempt++) {
      try {
        const created = toGraphContact(await this.call('POST', `${this.folderPath(folderId)}/contacts`, body, { repeatable: false }), false);
        return { ...created, tag: personId };
      } catch (err) {
        if (statusOf(err) === 404) throw new ContactFolderGone();
        if (!lostAnswer(err) || attempt >= MAX_RETRIES) throw graphFailure(err);
        // The create may have been carried out: find it by our tag before sending it again.
        const [made] = await this.findByTag(folderId, personId);
        if (made) return made;
      }
    }
  }

  async update(folderId: string, id: string, write: ContactWrite): Promise<GraphContact | 'gone'> {
    try {
      return toGraphContact(await this.call('PATCH', `${this.folderPath(folderId)}/contacts/${encodeURIComponent(id)}`, write), false);
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }

  async delete(folderId: string, id: string): Promise<'deleted' | 'gone'> {
    try {
      await this.call('DELETE', `${this.folderPath(folderId)}/contacts/${encodeURIComponent(id)}`);
      return 'deleted';
    } catch (err) {
      if (statusOf(err) === 404) return 'gone';
      throw graphFailure(err);
    }
  }
}
