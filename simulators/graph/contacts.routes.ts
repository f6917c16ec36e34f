import type { Principal } from './auth.js';
import type { GraphCore } from './graph-core.js';
import type { GraphCall, GraphResult } from './graph.types.js';
import {
  contactsDelta,
  createContact,
  createContactFolder,
  deleteContact,
  getContact,
  getContactFolder,
  listContactFolders,
  listContacts,
  updateContact,
} from './contacts.handlers.js';

interface ContactRoute {
  method: string;
  pattern: RegExp;
  template: string;
  mailbox: true;
  run(core: GraphCore, call: GraphCall, principal: Principal, params: string[]): GraphResult;
}

const ID = '([^/]+)';

/**
 * `/users/{id}/contactFolders[/{id}[/contacts[/delta|/{id}]]]` and `/users/{id}/contacts[/{id}]`
 * (contacts.handlers.ts). The delta route comes before `contacts/{id}`, which would take "delta" for an id.
 */
export function contactRoutes(): ContactRoute[] {
  const folders = new RegExp(`^/users/${ID}/contactFolders/?$`, 'i');
  const folder = new RegExp(`^/users/${ID}/contactFolders/${ID}$`, 'i');
  const inFolder = new RegExp(`^/users/${ID}/contactFolders/${ID}/contacts/?$`, 'i');
  const delta = new RegExp(`^/users/${ID}/contactFolders/${ID}/contacts/delta$`, 'i');
  const oneInFolder = new RegExp(`^/users/${ID}/contactFolders/${ID}/contacts/${ID}$`, 'i');
  const all = new RegExp(`^/users/${ID}/contacts/?$`, 'i');
  const one = new RegExp(`^/users/${ID}/contacts/${ID}$`, 'i');
  const f = '/users/{id}/contactFolders';
  return [
    { method: 'GET', pattern: folders, template: f, mailbox: true, run: (c, call, p, [u]) => listContactFolders(c.env, call, p, u!) },
    { method: 'POST', pattern: folders, template: f, mailbox: true, run: (c, call, p, [u]) => createContactFolder(c.env, call, p, u!) },
    { method: 'GET', pattern: folder, template: `${f}/{id}`, mailbox: true, run: (c, call, p, [u, fid]) => getContactFolder(c.env, call, p, u!, fid!) },
    { method: 'GET', pattern: delta, template: `${f}/{id}/contacts/delta`, mailbox: true, run: (c, call, p, [u, fid]) => contactsDelta(c.env, call, p, u!, fid!) },
    { method: 'GET', pattern: inFolder, template: `${f}/{id}/contacts`, mailbox: true, run: (c, call, p, [u, fid]) => listContacts(c.env, call, p, u!, fid!) },
    { method: 'POST', pattern: inFolder, template: `${f}/{id}/contacts`, mailbox: true, run: (c, call, p, [u, fid]) => createContact(c.env, call, p, u!, fid!) },
    { method: 'GET', pattern: oneInFolder, template: `${f}/{id}/contacts/{id}`, mailbox: true, run: (c, call, p, [u, fid, id]) => getContact(c.env, call, p, u!, fid!, id!) },
    { method: 'PATCH', pattern: oneInFolder, template: `${f}/{id}/contacts/{id}`, mailbox: true, run: (c, call, p, [u, fid, id]) => updateContact(c.env, call, p, u!, fid!, id!) },
    { method: 'DELETE', pattern: oneInFolder, template: `${f}/{id}/contacts/{id}`, mailbox: true, run: (c, call, p, [u, fid, id]) => deleteContact(c.env, call, p, u!, fid!, id!) },
    { method: 'GET', pattern: all, template: '/users/{id}/contacts', mailbox: true, run: (c, call, p, [u]) => listContacts(c.env, call, p, u!, null) },
    { method: 'POST', pattern: all, template: '/users/{id}/contacts', mailbox: true, run: (c, call, p, [u]) => createContact(c.env, call, p, u!, null) },
    { method: 'GET', pattern: one, template: '/users/{id}/contacts/{id}', mailbox: true, run: (c, call, p, [u, id]) => getContact(c.env, call, p, u!, null, id!) },
    { method: 'PATCH', pattern: one, template: '/users/{id}/contacts/{id}', mailbox: true, run: (c, call, p, [u, id]) => updateContact(c.env, call, p, u!, null, id!) },
    { method: 'DELETE', pattern: one, template: '/users/{id}/contacts/{id}', mailbox: true, run: (c, call, p, [u, id]) => deleteContact(c.env, call, p, u!, null, id!) },
  ];
}
