import type { Tx } from '../db/store.js';
import { authorizationLookup } from '../authorizations/authorization.repository.js';
import { linkState, requireAllLinks } from '../links/link.service.js';
import { hourOf } from '../sync/load.repository.js';
import { balance, spreadOf, type Member } from './balance.js';
import { listRankedLinks, loadSince, type RankedLink } from './ranks.repository.js';
import { LOAD_WINDOW_HOURS, type ProposalAnswer, type RanksAnswer } from './ranks.schemas.js';

interface Measured extends RankedLink {
  graphRequests: number;
  throttled: number;
  /** Synchronized (an option on and, in OAuth mode, authorized); a disabled user does no work. */
  active: boolean;
  /** Graph requests in the window + items in sync; 0 for a disabled user. */
  load: number;
}

/**
 * What each linked user costs the engine: Graph requests and 429s its passes recorded in the
 * last `LOAD_WINDOW_HOURS` whole and current hours (sync_load), and its items in sync.
 *
 * Load = Graph requests + items in sync. Requests are what a worker spends on the mailbox (and
 * what Outlook throttles); items in sync are what each full pass reads and compares again, and
 * give a mailbox that has not run in the window yet its weight. A disabled user's load is 0.
 */
async function measure(tx: Tx, tenantId: string, now: Date): Promise<Measured[]> {
  const links = await listRankedLinks(tx, tenantId);
  const since = new Date(hourOf(now).getTime() - (LOAD_WINDOW_HOURS - 1) * 3_600_000);
  const load = await loadSince(tx, tenantId, since);
  const authorization = await authorizationLookup(tx, tenantId, links.map((l) => l.mailboxId));
  return links.map((l) => {
    const used = load.get(l.mailboxId) ?? { requests: 0, throttled: 0 };
    const active = linkState(l, authorization(l.mailboxId)) === 'active';
    return { ...l, graphRequests: used.requests, throttled: used.throttled, active, load: active ? used.requests + l.itemsInSync : 0 };
  });
}

/** GET /ranks: per Server Rank that has users, its users, items in sync, Graph requests and 429s in the last day. */
export async function rankLoad(tx: Tx, tenantId: string, now: Date): Promise<RanksAnswer> {
  const per = new Map<number, RanksAnswer['ranks'][number]>();
  for (const l of await measure(tx, tenantId, now)) {
    const r = per.get(l.rank) ?? per.set(l.rank, { rank: l.rank, users: 0, itemsInSync: 0, graphRequests: 0, throttled: 0 }).get(l.rank)!;
    r.users += 1;
    r.itemsInSync += l.itemsInSync;
    r.graphRequests += l.graphRequests;
    r.throttled += l.throttled;
  }
  return { ranks: [...per.values()].sort((a, b) => a.rank - b.rank), windowHours: LOAD_WINDOW_HOURS };
}

/**
 * POST /ranks/proposal: moves that even the load across exactly `ranks` (balance.ts). The pool is
 * `linkIds` when given (any of the tenant's links, wherever they are; another tenant's id: 404),
 * else every user on those ranks; users of the chosen ranks outside the pool count, and stay.
 * Disabled users and users with no load are never moved. Changes nothing: the panel applies the
 * moves as one Save Users Options, each with its `expectedVersion`.
 */
export async function proposeBalance(tx: Tx, tenantId: string, body: { ranks: number[]; linkIds?: string[] | undefined }, now: Date): Promise<ProposalAnswer> {
  const links = await measure(tx, tenantId, now);
  const byId = new Map(links.map((l) => [l.id, l]));
  if (body.linkIds) requireAllLinks(body.linkIds, byId);
  const pool = body.linkIds ? new Set(body.linkIds) : null;
  const chosen = new Set(body.ranks);
  const members: Member[] = [];
  for (const l of links) {
    const inPool = pool ? pool.has(l.id) : chosen.has(l.rank);
    if (!inPool && !chosen.has(l.rank)) continue;
    members.push({ id: l.id, rank: l.rank, load: l.load, movable: inPool && l.active && l.load > 0 });
  }
  const placed = balance(members, body.ranks);
  const moves = members
    .filter((m) => placed.get(m.id) !== m.rank)
    .map((m) => {
      const l = byId.get(m.id)!;
      return { id: l.id, associateName: l.associateName, fromRank: l.rank, toRank: placed.get(m.id)!, expectedVersion: l.version, load: l.load, diary: l.diary, task: l.task, contact: l.contact };
    })
    .sort((a, b) => a.associateName.localeCompare(b.associateName) || a.id.localeCompare(b.id));
  return {
    moves,
    before: spreadOf(members, body.ranks, (m) => m.rank),
    after: spreadOf(members, body.ranks, (m) => placed.get(m.id)!),
    windowHours: LOAD_WINDOW_HOURS,
  };
}
