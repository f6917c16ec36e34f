/**
 * Evens the measured load across chosen Server Ranks while moving few users. Pure: the service
 * feeds it each user's load and rank and turns the answer into a proposal.
 *
 * 1. Users of the pool who are on a rank that is not chosen are placed first, heaviest first,
 *    each on the chosen rank with the least load (LPT: longest processing time first).
 * 2. Then, while it helps: from the most loaded rank to the least loaded one, move the user whose
 *    load is nearest half the gap (any load strictly between 0 and the gap narrows it; the sum of
 *    squared rank loads falls with each move, so this ends); when no single move helps, swap the
 *    pair whose difference is nearest half the gap. A user whose load is 0, and every user who is
 *    not movable (disabled, or outside the pool), stays where it is.
 * At the end no single user on the most loaded rank can narrow the gap by moving, so the spread
 * (max − min) is at most the load of the lightest movable user on that rank.
 */

export interface Member {
  id: string;
  rank: number;
  load: number;
  /** false: counted on its rank, never moved (a disabled user, or one outside the pool). */
  movable: boolean;
}

export interface RankLoad {
  rank: number;
  users: number;
  load: number;
}

export interface Spread {
  perRank: RankLoad[];
  max: number;
  min: number;
  spread: number;
}

/** Each chosen rank's users and load under `rankOf` (members on other ranks are left out). */
export function spreadOf(members: readonly Member[], ranks: readonly number[], rankOf: (m: Member) => number): Spread {
  const per = new Map(ranks.map((r) => [r, { rank: r, users: 0, load: 0 }]));
  for (const m of members) {
    const r = per.get(rankOf(m));
    if (!r) continue;
    r.users += 1;
    r.load += m.load;
  }
  const perRank = [...per.values()].sort((a, b) => a.rank - b.rank);
  const loads = perRank.map((r) => r.load);
  const max = Math.max(...loads);
  const min = Math.min(...loads);
  return { perRank, max, min, spread: max - min };
}

/** The rank each member ends on (every movable member ends on a chosen rank). */
export function balance(members: readonly Member[], ranks: readonly number[]): Map<string, number> {
  const chosen = [...new Set(ranks)].sort((a, b) => a - b);
  if (chosen.length === 0) throw new Error('choose at least one rank');
  const isChosen = new Set(chosen);
  const at = new Map(members.map((m) => [m.id, m.rank]));
  const load = new Map(chosen.map((r) => [r, 0]));
  const users = new Map(chosen.map((r) => [r, 0]));
  const on = new Map(chosen.map((r) => [r, new Set<Member>()]));
  const put = (m: Member, r: number) => {
    load.set(r, load.get(r)! + m.load);
    users.set(r, users.get(r)! + 1);
    if (m.movable && m.load > 0) on.get(r)!.add(m);
    at.set(m.id, r);
  };
  const take = (m: Member, r: number) => {
    load.set(r, load.get(r)! - m.load);
    users.set(r, users.get(r)! - 1);
    on.get(r)!.delete(m);
  };
  for (const m of members) if (isChosen.has(m.rank)) put(m, m.rank);

  // 1. Onto the chosen ranks, heaviest first, each where the load is least (then the fewest users).
  const lightest = () => chosen.reduce((a, b) => (load.get(b)! < load.get(a)! || (load.get(b) === load.get(a) && users.get(b)! < users.get(a)!) ? b : a));
  const incoming = members.filter((m) => m.movable && !isChosen.has(m.rank)).sort((a, b) => b.load - a.load || a.id.localeCompare(b.id));
  for (const m of incoming) put(m, lightest());

  // 2. Moves, then swaps, from the heaviest rank to the lightest while the gap narrows.
  const limit = 20 * members.length + 100;
  for (let step = 0; step < limit; step++) {
    const a = chosen.reduce((x, y) => (load.get(y)! > load.get(x)! ? y : x));
    const b = chosen.reduce((x, y) => (load.get(y)! < load.get(x)! ? y : x));
    const gap = load.get(a)! - load.get(b)!;
    if (gap <= 0) break;
    let best: Member | undefined;
    let bestScore = Infinity;
    for (const m of on.get(a)!) {
      if (m.load >= gap) continue;
      // Nearest half the gap narrows it most; on a tie, the user going back to its own rank.
      const score = Math.abs(gap - 2 * m.load) * 2 + (m.rank === b ? 0 : 1);
      if (score < bestScore || (score === bestScore && best && m.id < best.id)) [best, bestScore] = [m, score];
    }
    if (best) {
      take(best, a);
      put(best, b);
      continue;
    }
    const swap = bestSwap([...on.get(a)!], [...on.get(b)!], gap);
    if (!swap) break;
    take(swap[0], a);
    take(swap[1], b);
    put(swap[0], b);
    put(swap[1], a);
  }
  return at;
}

/** The pair (x on the heavy rank, y on the light one) with 0 < x − y < gap nearest half the gap. */
function bestSwap(heavy: Member[], light: Member[], gap: number): [Member, Member] | null {
  if (heavy.length === 0 || light.length === 0) return null;
  const sorted = [...light].sort((p, q) => p.load - q.load || p.id.localeCompare(q.id));
  let best: [Member, Member] | null = null;
  let bestScore = Infinity;
  for (const x of heavy) {
    // y nearest x − gap/2, found by binary search; its neighbours are the other candidates.
    const target = x.load - gap / 2;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.load < target) lo = mid + 1;
      else hi = mid;
    }
    for (const i of [lo - 1, lo]) {
      const y = sorted[i];
      if (!y) continue;
      const d = x.load - y.load;
      if (d <= 0 || d >= gap) continue;
      const score = Math.abs(gap - 2 * d);
      if (score < bestScore) [best, bestScore] = [[x, y], score];
    }
  }
  return best;
}
