import { stableGuid } from '../seeded-random.js';
import type { GraphCall } from './graph.types.js';
import { graphErrors } from './graph-errors.js';
import { parseUserFilter, type UserPredicate } from './odata-filter.js';
import { canonicalProperty, SINGLE_USER_ONLY } from './user-view.js';

/** The `/users` query options, validated the way Graph validates them. */
export interface UsersQuery {
  /** Canonical property names, or null for Graph's default set. */
  select: string[] | null;
  /** `$select` as the client wrote it, for `@odata.context`. */
  selectRaw: string | null;
  top: number;
  filter: UserPredicate | null;
  search: UserPredicate | null;
  orderBy: { property: 'displayName' | 'userPrincipalName'; descending: boolean } | null;
  /** `$count=true` that counts: only with `ConsistencyLevel: eventual`, else silently ignored. */
  count: boolean;
  offset: number;
  /** Identifies the result list a skiptoken belongs to. */
  fingerprint: string;
}

export const DEFAULT_PAGE_SIZE = 100;
const SKIPTOKEN_PREFIX = 'RFNwdAIAAQAAAD8';

export function isEventual(call: GraphCall): boolean {
  return (call.headers.consistencylevel ?? '').toLowerCase() === 'eventual';
}

function param(call: GraphCall, name: string): string | null {
  return call.query.get(name);
}

export function parseSelect(raw: string | null, collection: boolean): string[] | null {
  if (raw === null) return null;
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) return null;
  return names.map((name) => {
    const canonical = canonicalProperty(name);
    if (!canonical) throw graphErrors.unknownProperty(name);
    if (collection && SINGLE_USER_ONLY.has(canonical)) throw graphErrors.notImplementedOnCollection(canonical);
    return canonical;
  });
}

const SEARCHABLE = new Set(['displayName', 'givenName', 'surname', 'mail', 'userPrincipalName', 'mailNickname']);

/**
 * `$search="displayName:wa"` (terms joined by AND/OR): a term matches when a word of the property
 * starts with it, ignoring case, which is how directory search tokenizes.
 */
function parseSearch(raw: string): UserPredicate {
  const clauses = raw.split(/\s+OR\s+/).map((orPart) =>
    orPart.split(/\s+AND\s+/).map((term) => {
      const m = /^"([^":]+):([^"]*)"$/.exec(term.trim());
      if (!m) throw graphErrors.unsupportedQuery(`Syntax error: $search terms must look like "property:value", got ${term.trim()}.`);
      const property = canonicalProperty(m[1]!);
      if (!property || !SEARCHABLE.has(property)) throw graphErrors.unsupportedQuery(`Property '${m[1]}' does not support $search.`);
      const needle = m[2]!.toLowerCase();
      return (u: Record<string, unknown>) => {
        const value = u[property];
        return typeof value === 'string' && value.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((w) => w.startsWith(needle));
      };
    }),
  );
  return (u) => clauses.some((all) => all.every((t) => t(u)));
}

export function encodeSkipToken(offset: number, fingerprint: string): string {
  return SKIPTOKEN_PREFIX + Buffer.from(JSON.stringify({ o: offset, f: fingerprint })).toString('base64url');
}

function decodeSkipToken(token: string, fingerprint: string): number {
  try {
    if (!token.startsWith(SKIPTOKEN_PREFIX)) throw new Error('foreign');
    const parsed = JSON.parse(Buffer.from(token.slice(SKIPTOKEN_PREFIX.length), 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    if (typeof parsed.o !== 'number' || !Number.isInteger(parsed.o) || parsed.o < 0 || parsed.f !== fingerprint) throw new Error('mismatch');
    return parsed.o;
  } catch {
    throw graphErrors.expiredPageToken();
  }
}

export function parseUsersQuery(call: GraphCall, tenantId: string): UsersQuery {
  if (param(call, '$skip') !== null) throw graphErrors.skipNotSupported();
  if (param(call, '$expand') !== null) throw graphErrors.unsupportedQuery('$expand on /users is not supported by the simulator.');
  const eventual = isEventual(call);
  const countRequested = (param(call, '$count') ?? '').toLowerCase() === 'true';
  const advanced = eventual && countRequested;

  const topRaw = param(call, '$top');
  let top = DEFAULT_PAGE_SIZE;
  if (topRaw !== null) {
    top = /^\d+$/.test(topRaw) ? Number(topRaw) : NaN;
    if (!(top >= 1 && top <= 999)) throw graphErrors.badPageSize(topRaw);
  }

  const selectRaw = param(call, '$select');
  const select = parseSelect(selectRaw, true);

  const filterRaw = param(call, '$filter');
  let filter: UserPredicate | null = null;
  if (filterRaw !== null && filterRaw.trim() !== '') {
    const parsed = parseUserFilter(filterRaw);
    if (parsed.advancedOperator && !advanced) throw graphErrors.operatorNeedsAdvanced(parsed.advancedOperator);
    filter = parsed.predicate;
  }

  const searchRaw = param(call, '$search');
  let search: UserPredicate | null = null;
  if (searchRaw !== null) {
    if (!eventual) throw graphErrors.searchNeedsHeader();
    search = parseSearch(searchRaw);
  }

  const orderRaw = param(call, '$orderby');
  let orderBy: UsersQuery['orderBy'] = null;
  if (orderRaw !== null) {
    const [name = '', direction = 'asc'] = orderRaw.trim().split(/\s+/);
    const property = canonicalProperty(name);
    if (property !== 'displayName' && property !== 'userPrincipalName') throw graphErrors.unsupportedQuery(`Order by '${name}' not supported.`);
    if ((filter || search) && !advanced) throw graphErrors.sortingNotSupported();
    orderBy = { property, descending: direction.toLowerCase() === 'desc' };
  }

  const fingerprint = stableGuid(tenantId, filterRaw ?? '', searchRaw ?? '', orderRaw ?? '').slice(0, 8);
  const token = param(call, '$skiptoken');
  return {
    select,
    selectRaw: select ? selectRaw : null,
    top,
    filter,
    search,
    orderBy,
    count: advanced,
    offset: token === null ? 0 : decodeSkipToken(token, fingerprint),
    fingerprint,
  };
}

/** The same URL with every original parameter, plus the next `$skiptoken`. */
export function nextLink(baseUrl: string, call: GraphCall, token: string): string {
  const kept = call.rawQuery
    .split('&')
    .filter((part) => part && !/^(\$|%24)skiptoken=/i.test(part));
  kept.push(`$skiptoken=${token}`);
  return `${baseUrl}/v1.0${call.path}?${kept.join('&')}`;
}
