import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { balance, spreadOf, type Member } from '../../../backend/ranks/balance.js';

/** A small seeded generator (mulberry32), so a failing case can be run again. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const member = (id: string, rank: number, load: number, movable = true): Member => ({ id, rank, load, movable });
const after = (members: Member[], ranks: number[]) => {
  const placed = balance(members, ranks);
  return { placed, before: spreadOf(members, ranks, (m) => m.rank), after: spreadOf(members, ranks, (m) => placed.get(m.id)!) };
};

describe('rank balancing (balance.ts)', () => {
  test('concrete: everyone on rank 1, ranks 1 and 2 chosen: half the load moves, the spread drops to what one user weighs at most', () => {
    const members = [member('a', 1, 100), member('b', 1, 90), member('c', 1, 50), member('d', 1, 40), member('e', 1, 20)];
    const r = after(members, [1, 2]);
    assert.deepEqual([r.before.max, r.before.min, r.before.spread], [300, 0, 300]);
    assert.ok(r.after.spread <= 20, JSON.stringify(r.after));
    assert.equal(r.after.perRank.reduce((n, p) => n + p.load, 0), 300);
  });

  test('concrete: an already even split moves nobody', () => {
    const members = [member('a', 1, 50), member('b', 2, 50), member('c', 3, 50)];
    const r = after(members, [1, 2, 3]);
    assert.deepEqual([...r.placed].filter(([id, rank]) => members.find((m) => m.id === id)!.rank !== rank), []);
    assert.equal(r.after.spread, 0);
  });

  test('concrete: a swap when no single move helps (60+40 against 55+38)', () => {
    const members = [member('a', 1, 60), member('b', 1, 40), member('c', 2, 55), member('d', 2, 38)];
    const r = after(members, [1, 2]);
    assert.equal(r.before.spread, 7);
    assert.equal(r.after.spread, 3, JSON.stringify(r.after));
  });

  test('users with no load and users that may not move (disabled) stay where they are; a new rank takes load', () => {
    const members = [member('idle', 1, 0), member('off', 1, 500, false), member('a', 1, 100), member('b', 1, 100), member('c', 2, 10)];
    const r = after(members, [1, 2, 3]);
    assert.equal(r.placed.get('idle'), 1);
    assert.equal(r.placed.get('off'), 1);
    assert.ok(r.placed.get('a') !== 1 && r.placed.get('b') !== 1, 'both movable users leave the rank the disabled user weighs down');
    assert.ok(r.after.max <= r.before.max);
  });

  test('users off the chosen ranks are brought onto them, heaviest first onto the lightest', () => {
    const members = [member('x', 7, 80), member('y', 8, 30), member('a', 1, 50)];
    const r = after(members, [1, 2]);
    assert.deepEqual([r.placed.get('x'), r.placed.get('y')], [2, 1]);
    assert.equal(r.after.spread, 0);
  });

  test('property (500 random cases): only chosen ranks, spread (max − min and max/min) and max never worse, load kept, and no single move on the heaviest rank could narrow the gap', () => {
    const next = random(16_004);
    for (let c = 0; c < 500; c++) {
      const pool = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
      const chosen = pool.filter(() => next() < 0.4);
      if (chosen.length === 0) chosen.push(1 + Math.floor(next() * 12));
      const n = Math.floor(next() * 60);
      const members: Member[] = Array.from({ length: n }, (_, i) => {
        // Heavy-tailed loads with zeros among them, as real mailboxes are.
        const load = next() < 0.15 ? 0 : Math.floor(next() ** 3 * 5000);
        return member(`u${i}`, chosen[Math.floor(next() * chosen.length)]!, load, next() > 0.1);
      });
      const r = after(members, chosen);
      const label = `case ${c}: ${JSON.stringify({ chosen, members })}`;
      for (const m of members) assert.ok(chosen.includes(r.placed.get(m.id)!), `${label}: ${m.id} on a rank not chosen`);
      for (const m of members) if (!m.movable || m.load === 0) assert.equal(r.placed.get(m.id), m.rank, `${label}: ${m.id} may not move`);
      assert.ok(r.after.spread <= r.before.spread, `${label}: spread ${r.before.spread} → ${r.after.spread}`);
      assert.ok(r.after.max <= r.before.max, `${label}: max ${r.before.max} → ${r.after.max}`);
      // The spread read as a ratio too (max/min): the least loaded rank never gets lighter, so it never grows.
      assert.ok(r.after.min >= r.before.min, `${label}: min ${r.before.min} → ${r.after.min}`);
      if (r.before.min > 0) assert.ok(r.after.max / r.after.min <= r.before.max / r.before.min, `${label}: max/min ${r.before.max / r.before.min} → ${r.after.max / r.after.min}`);
      assert.equal(r.after.perRank.reduce((s, p) => s + p.load, 0), r.before.perRank.reduce((s, p) => s + p.load, 0), label);
      // At the end no movable user on the heaviest rank weighs less than the gap (else moving it would narrow it).
      const heaviest = r.after.perRank.find((p) => p.load === r.after.max)!.rank;
      const onHeaviest = members.filter((m) => m.movable && m.load > 0 && r.placed.get(m.id) === heaviest);
      for (const m of onHeaviest) assert.ok(m.load >= r.after.spread, `${label}: ${m.id} (${m.load}) could still narrow ${r.after.spread}`);
      if (members.every((m) => m.movable) && r.before.spread > Math.max(0, ...members.map((m) => m.load))) {
        assert.ok(r.after.spread < r.before.spread, `${label}: the spread should improve`);
      }
    }
  });

  test('10,000 users over 10 ranks, all on rank 1: balanced within seconds (the service answers it in one request)', () => {
    const next = random(7);
    const members = Array.from({ length: 10_000 }, (_, i) => member(`u${String(i).padStart(5, '0')}`, 1, Math.floor(next() * 2000)));
    const started = performance.now();
    const r = after(members, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const ms = performance.now() - started;
    assert.ok(ms < 10_000, `${ms} ms`);
    assert.ok(r.after.spread <= 2000, JSON.stringify(r.after));
  });
});
