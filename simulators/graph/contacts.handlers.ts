import type { DemoMailbox } from '../demo-tenant.types.js';
import { requireContactsRead, requireContactsWrite, type Principal } from './auth.js';
import type { ExtendedProperty } from './calendar-store.js';
import { defaultContactFields, EMPTY_POSTAL, type ContactFields, type PhysicalAddress, type StoredContact, type StoredContactFolder } from './contact-store.js';
import { invalidPropertyId, parseExpandedProperties, propertyKey, unquote } from './event-shape.js';
import { directoryOf, GRAPH_JSON, hasMailbox, type GraphEnv } from './graph-env.js';
import { GraphError, graphErrors } from './graph-errors.js';
import type { GraphCall, GraphResult } from './graph.types.js';

/**
 * Contacts and contact folders of a mailbox (Graph docs: api/user-list-contactfolders,
 * api/user-post-contactfolders, api/contactfolder-list-contacts, api/contactfolder-post-contacts,
 * api/user-list-contacts, api/contact-get, api/contact-update, api/contact-delete,
 * api/contact-delta, resources/contact). `/users/{id}/contacts` is the default Contacts folder:
 * the user's own contacts. Extended properties (resources/extended-properties-overview) are
 * written in `singleValueExtendedProperties` and read only with
 * `$expand=singleValueExtendedProperties($filter=id eq '…')`. Filtering on a property's value is
 * modelled only for numeric properties (`cast(ep/value, Edm.Int32) eq n`): the String-value form
 * is documented for messages and events only (api/singlevaluelegacyextendedproperty-get), so
 * here, the stricter reading, it is refused on contacts.
 */

const bad = (code: string, message: string) => new GraphError(400, code, message);
const bodyRead = (message: string) => bad('RequestBodyRead', message);
const itemNotFound = () => new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

function mailbox(env: GraphEnv, p: Principal, userId: string, write: boolean): DemoMailbox {
  const user = directoryOf(env, p).find(userId);
  if (!user) throw graphErrors.userNotFound(userId);
  (write ? requireContactsWrite : requireContactsRead)(p, user.id);
  if (!hasMailbox(user)) throw graphErrors.mailboxNotEnabled();
  return user;
}

function respond(body: unknown, status = 200): GraphResult {
  return { status, headers: { 'Content-Type': GRAPH_JSON, 'OData-Version': '4.0' }, body };
}

const context = (env: GraphEnv, userId: string, suffix: string) => `${env.baseUrl}/v1.0/$metadata#users('${userId}')/${suffix}`;


/**
 * `$filter=singleValueExtendedProperties/Any(ep: ep/id eq 'Integer {guid} Name X' and cast(ep/value, Edm.Int32) eq 12)`
 * (api/singlevaluelegacyextendedproperty-get, "numeric values"), or `displayName eq '…'`.
 */
function parseFilter(raw: string | null): ((c: StoredContact) => boolean) | null {
  if (raw === null) return null;
  const text = raw.trim();
  const numeric = /^singleValueExtendedProperties\/any\(\s*(\w+)\s*:\s*\1\/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+cast\(\s*\1\/value\s*,\s*'?Edm\.Int32'?\s*\)\s+eq\s+(-?\d+)\s*\)$/i.exec(text);
  if (numeric) {
    const id = unquote(numeric[2]!);
    const key = propertyKey(id);
    if (!key) throw invalidPropertyId(id);
    if (!/^integer /i.test(key)) throw bad('ErrorInvalidUrlQueryFilter', `cast(ep/value, Edm.Int32) needs an Integer property; '${id}' is not one.`);
    const n = Number(numeric[3]);
    return (c) => c.extended.some((p) => propertyKey(p.id) === key && Number(p.value) === n);
  }
  if (/^singleValueExtendedProperties\/any\(/i.test(text)) {
    throw bad('ErrorInvalidUrlQueryFilter', 'Filtering contacts on the value of a String extended property is not supported (documented for messages and events only); tag contacts with a numeric property.');
  }
  const name = /^displayName\s+eq\s+'((?:[^']|'')*)'$/i.exec(text);
  if (name) {
    const wanted = unquote(name[1]!).toLowerCase();
    return (c) => c.displayName.toLowerCase() === wanted;
  }
  throw bad('ErrorInvalidUrlQueryFilter', `The simulator models only extended-property (Integer) and displayName filters on contacts; got: ${raw}`);
}

const address = (a: PhysicalAddress) => ({ ...a });

/** The contact resource as Graph answers it; our extended properties only when expanded. */
export function contactView(c: StoredContact, expand: string[] | null): Record<string, unknown> {
  const view: Record<string, unknown> = {
    '@odata.etag': `W/"${c.changeKey}"`,
    id: c.id,
    createdDateTime: new Date(c.createdMs).toISOString().replace('.000Z', 'Z'),
    lastModifiedDateTime: new Date(c.modifiedMs).toISOString().replace('.000Z', 'Z'),
    changeKey: c.changeKey,
    categories: [...c.categories],
    parentFolderId: c.folderId,
    displayName: c.displayName,
    givenName: c.givenName,
    middleName: c.middleName,
    surname: c.surname,
    companyName: c.companyName,
    jobTitle: c.jobTitle,
    emailAddresses: c.emailAddresses.map((e) => ({ ...e })),
    businessPhones: [...c.businessPhones],
    mobilePhone: c.mobilePhone || null,
    homePhones: [...c.homePhones],
    businessAddress: address(c.businessAddress),
    homeAddress: address(c.homeAddress),
    personalNotes: c.personalNotes,
  };
  if (expand) {
    const props = c.extended.filter((p) => expand.includes(propertyKey(p.id)!));
    // Graph omits the collection when the item has none of the properties asked for.
    if (props.length > 0) view.singleValueExtendedProperties = props.map((p) => ({ id: p.id, value: p.value }));
  }
  return view;
}

const SELECTABLE = new Set(Object.keys(contactView({ ...defaultContactFields(), mailboxId: '', id: '', folderId: '', changeKey: '', createdMs: 0, modifiedMs: 0, seq: 0 }, null)).filter((k) => !k.startsWith('@')));

function project(view: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return view;
  const out: Record<string, unknown> = { '@odata.etag': view['@odata.etag'], id: view.id };
  for (const name of select) out[name] = view[name];
  if (view.singleValueExtendedProperties) out.singleValueExtendedProperties = view.singleValueExtendedProperties;
  return out;
}

function parseSelect(raw: string | null): string[] | null {
  if (raw === null) return null;
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((name) => {
    if (!SELECTABLE.has(name)) throw bad('RequestBroker--ParseUri', `Could not find a property named '${name}' on type 'microsoft.graph.contact'.`);
    return name;
  });
}

const WRITABLE = new Set(['givenName', 'middleName', 'surname', 'displayName', 'companyName', 'jobTitle', 'emailAddresses', 'businessPhones', 'mobilePhone', 'homePhones', 'businessAddress', 'homeAddress', 'personalNotes', 'categories', 'singleValueExtendedProperties']);
const READ_ONLY = new Set(['@odata.type', '@odata.etag', 'id', 'createdDateTime', 'lastModifiedDateTime', 'changeKey', 'parentFolderId']);
const STRINGS = ['givenName', 'middleName', 'surname', 'displayName', 'companyName', 'jobTitle', 'mobilePhone', 'personalNotes'] as const;

const stringList = (v: unknown, name: string): string[] => {
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw bodyRead(`Cannot convert the value of '${name}' to the expected type 'Collection(Edm.String)'.`);
  return [...(v as string[])];
};

function postal(v: unknown, name: string): PhysicalAddress {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bodyRead(`The '${name}' property must be a physicalAddress.`);
  const out = { ...EMPTY_POSTAL };
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!(k in out)) throw bodyRead(`The property '${k}' does not exist on type 'microsoft.graph.physicalAddress'.`);
    if (x !== null && typeof x !== 'string') throw bodyRead(`Cannot convert the value of '${name}.${k}' to the expected type 'Edm.String'.`);
    out[k as keyof PhysicalAddress] = (x as string | null) ?? '';
  }
  return out;
}

/** Extended property values are strings; an Integer one must hold a 32-bit integer. */
function extendedProperties(v: unknown): ExtendedProperty[] {
  if (!Array.isArray(v)) throw bodyRead("'singleValueExtendedProperties' must be a collection.");
  return v.map((raw) => {
    const o = raw as { id?: unknown; value?: unknown };
    if (typeof o?.id !== 'string' || propertyKey(o.id) === null) throw invalidPropertyId(String(o?.id));
    if (typeof o.value !== 'string') throw bodyRead('Extended property values are strings.');
    if (/^integer /i.test(o.id.trim()) && (!/^-?\d{1,10}$/.test(o.value) || Math.abs(Number(o.value)) > 2 ** 31)) {
      throw bad('ErrorInvalidExtendedPropertyValue', `The value '${o.value}' is not valid for the Integer property '${o.id}'.`);
    }
    return { id: o.id, value: o.value };
  });
}

/** A POST/PATCH body → the fields it sets, or Graph's 400 (unknown properties refused, read-only ones ignored). */
export function parseContactWrite(body: unknown, current?: StoredContact): Partial<ContactFields> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bodyRead('The request body must be a JSON object.');
  const b = body as Record<string, unknown>;
  const f: Partial<ContactFields> = {};
  for (const [k, v] of Object.entries(b)) {
    if (READ_ONLY.has(k)) continue;
    if (!WRITABLE.has(k)) throw bodyRead(`The property '${k}' does not exist on type 'microsoft.graph.contact'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
    if ((STRINGS as readonly string[]).includes(k)) {
      if (v !== null && typeof v !== 'string') throw bodyRead(`Cannot convert the value of '${k}' to the expected type 'Edm.String'.`);
      (f as Record<string, unknown>)[k] = (v as string | null) ?? '';
    } else if (k === 'emailAddresses') {
      if (!Array.isArray(v)) throw bodyRead("'emailAddresses' must be a collection of emailAddress.");
      f.emailAddresses = v.map((e) => {
        const o = e as { name?: unknown; address?: unknown };
        if (!o || typeof o.address !== 'string' || (o.name !== undefined && o.name !== null && typeof o.name !== 'string')) throw bodyRead('An emailAddress needs an address string.');
        return { ...(typeof o.name === 'string' ? { name: o.name } : {}), address: o.address };
      });
    } else if (k === 'businessPhones' || k === 'homePhones' || k === 'categories') f[k] = stringList(v, k);
    else if (k === 'businessAddress' || k === 'homeAddress') f[k] = postal(v, k);
    else if (k === 'singleValueExtendedProperties') {
      const incoming = extendedProperties(v);
      const merged = new Map((current?.extended ?? []).map((p) => [propertyKey(p.id)!, p]));
      for (const p of incoming) merged.set(propertyKey(p.id)!, p);
      f.extended = [...merged.values()];
    }
  }
  return f;
}

function folderOf(env: GraphEnv, user: DemoMailbox, folderId: string): StoredContactFolder {
  const f = env.contacts.folder(user.id, folderId);
  if (!f) throw itemNotFound();
  return f;
}

function page<T>(call: GraphCall, items: T[], defaultTop: number): { slice: T[]; nextSkip: number | null } {
  const top = Number(call.query.get('$top') ?? String(defaultTop));
  const skip = Number(call.query.get('$skip') ?? '0');
  if (!Number.isInteger(top) || top < 1 || top > 1000 || !Number.isInteger(skip) || skip < 0) throw bad('ErrorInvalidUrlQuery', 'Invalid $top or $skip.');
  return { slice: items.slice(skip, skip + top), nextSkip: skip + top < items.length ? skip + top : null };
}

function nextLinkOf(env: GraphEnv, call: GraphCall, skip: number): string {
  const kept = call.rawQuery.split('&').filter((q) => q && !/^(\$|%24)skip=/i.test(q));
  return `${env.baseUrl}/v1.0${call.path}?${[...kept, `$skip=${skip}`].join('&')}`;
}

const folderView = (f: StoredContactFolder) => ({ id: f.id, displayName: f.displayName, parentFolderId: f.parentFolderId });

/** `GET /users/{id}/contactFolders` with an optional `$filter=displayName eq '…'` (api/user-list-contactfolders). */
export function listContactFolders(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  let folders = env.contacts.listFolders(user.id);
  const filter = call.query.get('$filter');
  if (filter !== null) {
    const m = /^displayName\s+eq\s+'((?:[^']|'')*)'$/i.exec(filter.trim());
    if (!m) throw bad('ErrorInvalidUrlQueryFilter', `The simulator models only displayName eq '…' on contact folders; got: ${filter}`);
    const wanted = unquote(m[1]!).toLowerCase();
    folders = folders.filter((f) => f.displayName.toLowerCase() === wanted);
  }
  const { slice, nextSkip } = page(call, folders, 10);
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, 'contactFolders'), value: slice.map(folderView) };
  if (nextSkip !== null) body['@odata.nextLink'] = nextLinkOf(env, call, nextSkip);
  return respond(body);
}

export function getContactFolder(env: GraphEnv, _call: GraphCall, p: Principal, userId: string, folderId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  return respond({ '@odata.context': context(env, userId, 'contactFolders/$entity'), ...folderView(folderOf(env, user, folderId)) });
}

/** POST `{ displayName }`: 201; a folder of that name already there is 409 ErrorFolderExists. */
export function createContactFolder(env: GraphEnv, call: GraphCall, p: Principal, userId: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const b = call.body as { displayName?: unknown } | undefined;
  if (!b || typeof b !== 'object' || typeof b.displayName !== 'string' || b.displayName.trim() === '') throw bodyRead('A contact folder needs a displayName.');
  for (const k of Object.keys(b)) if (!['displayName', 'parentFolderId', '@odata.type'].includes(k)) throw bodyRead(`The property '${k}' does not exist on type 'microsoft.graph.contactFolder'.`);
  const f = env.contacts.createFolder(user.id, b.displayName);
  if (!f) throw new GraphError(409, 'ErrorFolderExists', 'A folder with the specified name already exists.');
  return respond({ '@odata.context': context(env, userId, 'contactFolders/$entity'), ...folderView(f) }, 201);
}

/** The contacts of a folder: `folderId` null is the default Contacts folder (`/users/{id}/contacts`). */
export function listContacts(env: GraphEnv, call: GraphCall, p: Principal, userId: string, folderId: string | null): GraphResult {
  const user = mailbox(env, p, userId, false);
  const folder = folderId === null ? env.contacts.defaultFolderId(user.id) : folderOf(env, user, folderId).id;
  const select = parseSelect(call.query.get('$select'));
  const expand = parseExpandedProperties(call.query.get('$expand'), 'contacts');
  const filter = parseFilter(call.query.get('$filter'));
  let contacts = env.contacts.list(user.id, folder);
  if (filter) contacts = contacts.filter(filter);
  const { slice, nextSkip } = page(call, contacts, 10);
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, 'contacts'), value: slice.map((c) => project(contactView(c, expand), select)) };
  if (nextSkip !== null) body['@odata.nextLink'] = nextLinkOf(env, call, nextSkip);
  return respond(body);
}

export function createContact(env: GraphEnv, call: GraphCall, p: Principal, userId: string, folderId: string | null): GraphResult {
  const user = mailbox(env, p, userId, true);
  const folder = folderId === null ? env.contacts.defaultFolderId(user.id) : folderOf(env, user, folderId).id;
  const fields = { ...defaultContactFields(), ...parseContactWrite(call.body) };
  const c = env.contacts.create(user.id, folder, fields);
  return respond({ '@odata.context': context(env, userId, 'contacts/$entity'), ...contactView(c, null) }, 201);
}

/** One contact by id, also through a folder path (then it must be in that folder). */
function contactOf(env: GraphEnv, user: DemoMailbox, folderId: string | null, id: string): StoredContact {
  const c = env.contacts.find(user.id, id);
  if (!c) throw itemNotFound();
  if (folderId !== null && c.folderId !== folderOf(env, user, folderId).id) throw itemNotFound();
  return c;
}

export function getContact(env: GraphEnv, call: GraphCall, p: Principal, userId: string, folderId: string | null, id: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const select = parseSelect(call.query.get('$select'));
  const expand = parseExpandedProperties(call.query.get('$expand'), 'contacts');
  return respond({ '@odata.context': context(env, userId, 'contacts/$entity'), ...project(contactView(contactOf(env, user, folderId, id), expand), select) });
}

export function updateContact(env: GraphEnv, call: GraphCall, p: Principal, userId: string, folderId: string | null, id: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  const c = contactOf(env, user, folderId, id);
  env.contacts.update(c, parseContactWrite(call.body, c));
  return respond({ '@odata.context': context(env, userId, 'contacts/$entity'), ...contactView(c, null) });
}

export function deleteContact(env: GraphEnv, _call: GraphCall, p: Principal, userId: string, folderId: string | null, id: string): GraphResult {
  const user = mailbox(env, p, userId, true);
  env.contacts.delete(contactOf(env, user, folderId, id));
  return { status: 204, headers: {} };
}

const DELTA_UNSUPPORTED = ['$expand', '$filter', '$orderby', '$search', '$top', '$skip'];
const DEFAULT_DELTA_PAGE = 10;
const MAX_DELTA_PAGE = 1000;
const syncStateNotFound = () => new GraphError(410, 'syncStateNotFound', 'The sync state generation is not found. The delta token is expired and data must be synchronized again.');

function maxPageSize(call: GraphCall): number {
  const m = /odata\.maxpagesize\s*=\s*"?(\d+)"?/i.exec(call.headers.prefer ?? '');
  const asked = m ? Number(m[1]) : NaN;
  return Number.isInteger(asked) && asked >= 1 && asked <= MAX_DELTA_PAGE ? asked : DEFAULT_DELTA_PAGE;
}

/**
 * `GET /users/{id}/contactFolders/{id}/contacts/delta` (api/contact-delta): `$select` allowed,
 * other query options refused; `@odata.nextLink` pages (`$skiptoken`) end with an
 * `@odata.deltaLink` (`$deltatoken`), both opaque; `@removed` for contacts deleted or moved out of
 * the folder; an evicted token answers 410 `syncStateNotFound` (delta-query-overview).
 */
export function contactsDelta(env: GraphEnv, call: GraphCall, p: Principal, userId: string, folderId: string): GraphResult {
  const user = mailbox(env, p, userId, false);
  const folder = folderOf(env, user, folderId);
  const used = DELTA_UNSUPPORTED.filter((o) => call.query.has(o));
  if (used.length > 0) throw bad('ErrorInvalidUrlQuery', `The following parameters are not supported with change tracking over the 'Contacts' resource: '${used.join(', ')}'.`);
  const select = parseSelect(call.query.get('$select'));
  const pageSize = maxPageSize(call);
  const base = `${env.baseUrl}/v1.0/users/${encodeURIComponent(userId)}/contactFolders/${encodeURIComponent(folderId)}/contacts/delta`;
  const skip = call.query.get('$skiptoken');
  const deltaToken = call.query.get('$deltatoken');
  let pageSetId: string;
  let offset = 0;
  if (skip !== null) {
    const [id = '', at = ''] = skip.split('.');
    const set = env.contacts.deltaPageSet(id);
    if (!set || set.mailboxId !== user.id || set.folderId !== folder.id || !/^\d+$/.test(at)) throw syncStateNotFound();
    pageSetId = id;
    offset = Number(at);
  } else {
    let known = new Map<string, string>();
    if (deltaToken !== null) {
      const state = env.contacts.deltaState(deltaToken);
      if (!state || state.mailboxId !== user.id || state.folderId !== folder.id) throw syncStateNotFound();
      known = state.known;
    }
    const now = env.contacts.list(user.id, folder.id);
    const nextKnown = new Map(now.map((c) => [c.id, c.changeKey]));
    const items: Record<string, unknown>[] = now.filter((c) => known.get(c.id) !== c.changeKey).map((c) => project(contactView(c, null), select));
    for (const id of known.keys()) if (!nextKnown.has(id)) items.push({ '@odata.type': '#microsoft.graph.contact', id, '@removed': { reason: 'deleted' } });
    const nextState = env.contacts.saveDeltaState({ mailboxId: user.id, folderId: folder.id, known: nextKnown });
    pageSetId = env.contacts.saveDeltaPages({ mailboxId: user.id, folderId: folder.id, items, nextState });
  }
  const set = env.contacts.deltaPageSet(pageSetId)!;
  const body: Record<string, unknown> = { '@odata.context': context(env, userId, `contactFolders('${folder.id}')/contacts/delta`) };
  if (offset + pageSize < set.items.length) body['@odata.nextLink'] = `${base}?$skiptoken=${pageSetId}.${offset + pageSize}`;
  else body['@odata.deltaLink'] = `${base}?$deltatoken=${set.nextState}`;
  body.value = set.items.slice(offset, offset + pageSize);
  return respond(body);
}
