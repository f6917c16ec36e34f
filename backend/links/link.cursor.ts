import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../http/errors.js';

/** Where a page of Linked Users for Synchronization ends: its last link in list order (name, then id). */
export interface LinkKey {
  name: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Binds a cursor to its tenant: one from another tenant, or edited by hand, is refused. */
function tag(tenantId: string, payload: string): Buffer {
  return createHash('sha256').update(`links-cursor\0${tenantId}\0${payload}`).digest().subarray(0, 12);
}

/** The opaque `nextCursor` of GET /links: the page's last key with its tag, base64url. */
export function encodeLinkCursor(tenantId: string, key: LinkKey): string {
  const payload = Buffer.from(JSON.stringify([key.name, key.id])).toString('base64url');
  return `${payload}.${tag(tenantId, payload).toString('base64url')}`;
}

function invalid(): never {
  throw new ApiError(400, 'ValidationFailed', 'The request query is not valid.', [
    { path: 'query.cursor', code: 'invalid_cursor', message: 'must be a nextCursor of this list, unchanged' },
  ]);
}

/** The key a cursor of this tenant names; anything else is 400 ValidationFailed (`query.cursor`). */
export function decodeLinkCursor(tenantId: string, cursor: string): LinkKey {
  const [payload, mac, ...rest] = cursor.split('.');
  if (!payload || !mac || rest.length > 0 || !/^[\w-]+$/.test(payload) || !/^[\w-]+$/.test(mac)) invalid();
  const given = Buffer.from(mac, 'base64url');
  const expected = tag(tenantId, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) invalid();
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    invalid();
  }
  if (!Array.isArray(key) || key.length !== 2) invalid();
  const [name, id] = key as unknown[];
  if (typeof name !== 'string' || name.length > 200 || typeof id !== 'string' || !UUID.test(id)) invalid();
  return { name, id };
}
