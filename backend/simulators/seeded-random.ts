import { createHash } from 'node:crypto';

/** A uniform number in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: tiny, fast and good enough for test data. Seeded so the demo tenant is the same on
 * every run and every machine (tests and screenshots can name people by id).
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/**
 * A lower-case GUID derived from its inputs (name-based, like a v5 UUID). Ids depend on what they
 * identify, not on generation order, so adding a person to the demo does not renumber everyone.
 */
export function stableGuid(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('\u0000')).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
