/**
 * The Auto Link benchmark's tenant and timing loop. Pure (no Node or DOM API but
 * `performance.now()`), because `bench/auto-link.ts` runs this same file in Node and, bundled
 * with the panel's `auto-link.ts` by esbuild, inside Chromium.
 */
import type { autoLink as AutoLink } from '../panel/src/logic/auto-link.js';
import type { Associate, LinkRef, Mailbox, MailboxKind } from '../panel/src/logic/types.js';

export interface TenantSize {
  associates: number;
  mailboxes: number;
  links: number;
  seed?: number;
}

export interface Tenant {
  associates: Associate[];
  mailboxes: Mailbox[];
  links: LinkRef[];
  kinds: Map<string, MailboxKind>;
  /** Every SMTP address in the tenant (primary and aliases). */
  addressCount: number;
}

/** mulberry32: small, seeded, the same in every engine. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Alex', 'Megan', 'Lee', 'Nora', 'Ola', 'Kari', 'Per', 'Ingrid', 'Jon', 'Sofie', 'Lars', 'Emma'];
const LAST = ['Wilber', 'Bowen', 'Hansen', 'Johansen', 'Olsen', 'Larsen', 'Berg', 'Dahl', 'Lie', 'Strand'];

/**
 * A tenant shaped like a real one: every mailbox has 2–3 SMTP addresses (primary, `first.last`
 * alias, `onmicrosoft.com` alias for a third of them), primary addresses in mixed case as Graph
 * returns them, 2% guests, 3% disabled, one in 200 sharing an alias with the previous one; the mailbox check has classified one mailbox in 50 (some
 * shared, room or without a mailbox). Associates: most match a mailbox by primary address
 * (often in other case, some with stray spaces), 5% only by an alias, 5% match nothing, 5% have
 * no email, 3% are retired, a few pairs share an email. The first `links` associates are linked.
 */
export function makeTenant(size: TenantSize): Tenant {
  const r = rng(size.seed ?? 42);
  const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  const mailboxes: Mailbox[] = [];
  const kinds = new Map<string, MailboxKind>();
  let addressCount = 0;
  for (let i = 0; i < size.mailboxes; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
    const primary = `${first[0]}${last}${i}@Contoso.com`;
    const addresses = [primary.toLowerCase(), `${first}.${last}.${i}@contoso.com`.toLowerCase()];
    if (r() < 0.34) addresses.push(`${first[0]}${last}${i}@contoso.onmicrosoft.com`.toLowerCase());
    // Stale directory data: now and then an alias also on the previous mailbox (several matches).
    if (i > 0 && r() < 0.005) addresses.push(mailboxes[i - 1]!.addresses[1]!);
    addressCount += addresses.length;
    const guest = r() < 0.02;
    const id = guid(i + 1);
    mailboxes.push({
      id,
      displayName: `${first} ${last} ${i}`,
      primaryAddress: primary,
      addresses,
      userPrincipalName: guest ? `${first}${i}_fabrikam.com#EXT#@contoso.onmicrosoft.com` : `${first[0]}${last}${i}@contoso.onmicrosoft.com`,
      accountEnabled: r() >= 0.03,
      guest,
    });
    if (r() < 0.02) kinds.set(id, (['user', 'user', 'shared', 'room', 'noMailbox'] as const)[Math.floor(r() * 5)]!);
  }

  const associates: Associate[] = [];
  for (let i = 0; i < size.associates; i++) {
    // Spread the associates over the mailboxes.
    const target = mailboxes[Math.floor((i * size.mailboxes) / size.associates)]!;
    const roll = r();
    let email: string | null;
    if (roll < 0.05) email = null;
    else if (roll < 0.1) email = `nobody${i}@contoso.com`;
    else if (roll < 0.15) email = target.addresses[1]!.replace(/^./, (c) => c.toUpperCase());
    else if (roll < 0.16 && i > 0) email = associates[i - 1]!.email;
    else if (roll < 0.3) email = `  ${target.primaryAddress!.toUpperCase()} `;
    else if (roll < 0.6) email = target.primaryAddress!.toLowerCase();
    else email = target.primaryAddress;
    associates.push({
      associateId: i + 1,
      name: target.displayName,
      loginName: `U${i + 1}`,
      personId: i + 10_001,
      userGroupId: 1 + (i % 7),
      userGroup: `Group ${1 + (i % 7)}`,
      active: r() >= 0.03,
      email,
    });
  }

  const links: LinkRef[] = [];
  for (let i = 0; i < Math.min(size.links, size.associates); i++) {
    const a = associates[i]!;
    const m = mailboxes[Math.floor((i * size.mailboxes) / size.associates)]!;
    links.push({ associateId: a.associateId, associateName: a.name, mailboxId: m.id, mailboxAddress: m.primaryAddress! });
  }
  return { associates, mailboxes, links, kinds, addressCount };
}

/** Times `autoLink` over the whole tenant: warm-up runs, then `runs` timed ones (ms each). */
export function timeAutoLink(run: typeof AutoLink, tenant: Tenant, warmups: number, runs: number): { samples: number[]; proposals: number } {
  let proposals = 0;
  for (let i = 0; i < warmups; i++) proposals = run(tenant.associates, tenant.mailboxes, tenant.links, tenant.kinds).proposals.length;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = run(tenant.associates, tenant.mailboxes, tenant.links, tenant.kinds);
    samples.push(performance.now() - started);
    proposals = result.proposals.length;
  }
  return { samples, proposals };
}
