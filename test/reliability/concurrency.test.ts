import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { openStore, type Store } from '../../backend/db/store.js';
import { pick, seededRandom, shuffle, type Random } from '../../simulators/seeded-random.js';
import { ADMIN, makeHarness, seedHistory } from '../helpers/harness.js';
import {
  auditDisagreements,
  call,
  issueTokens,
  killAll,
  mailboxGuid,
  migratedFile,
  pair,
  SECOND_ADMIN,
  startServer,
  TENANT,
  type ServerProcess,
} from './support.js';

/**
 * Two administrators of one tenant save at the same moment, round after round (randomized with a
 * seeded PRNG): overlapping Save Added Users batches (identical pairs, conflicting associates or
 * mailboxes), Save Users Options on overlapping links with the versions each of them loaded
 * (sometimes long ago), removal against options, removal against removal, removal against
 * re-linking. After every round the outcome must be one that running the same requests one after
 * the other, in some order, produces: every reply, the final links, and the audit rows written.
 * That is: no duplicate link, a stale write gets 409/404 and changes nothing, no lost update, and
 * exactly one audit row per change a 2xx reply reports, by the admin who made it.
 *
 * Two ways of running the requests at once:
 * - in-process, through the harness with Promise.all: the requests interleave (authentication,
 *   body parsing, validation, the reads before the write), but Kysely's SQLite driver has one
 *   connection behind a mutex, so the transactions themselves run one at a time;
 * - two backend processes (`node backend/main.js`) on one SQLite file, each admin mostly on their
 *   own instance, over real HTTP: here the transactions really meet in SQLite (two connections,
 *   WAL, locks). The server logs give every request's time window; the suite reports in how many
 *   rounds requests on the two instances were being served at the same moment.
 */

const ROUNDS = Number(process.env.CONCURRENCY_ROUNDS) || 200;
const SEED = Number(process.env.CONCURRENCY_SEED) || 20261125;
/** Associates 1…POOL and mailboxes 1…POOL. */
const POOL = 400;
const MAX_BATCH = 40;

const ACTORS = [ADMIN, SECOND_ADMIN] as const;

interface LinkState {
  id: string;
  associateId: number;
  mailboxId: string;
  diary: boolean;
  task: boolean;
  contact: boolean;
  rank: number;
  version: number;
  history: number;
}
/** The tenant's links by associate. */
type World = Map<number, LinkState>;

interface Options {
  diary: boolean;
  task: boolean;
  contact: boolean;
  rank: number;
}
type Req =
  | { kind: 'save'; admin: number; links: ({ associateId: number; mailbox: number } & Options)[] }
  | { kind: 'options'; admin: number; changes: ({ id: string; expectedVersion: number } & Options)[] }
  | { kind: 'remove'; admin: number; ids: string[] };

interface Outcome {
  world: World;
  reply: string;
  audit: string[];
}

const sorted = (xs: (string | number)[]) => xs.map(String).sort().join(',');
const optionsKey = (o: Options) => `${+o.diary}${+o.task}${+o.contact}/${o.rank}`;

/** What the service does with `req` on `world`, run alone: the reply, the new world, the audit rows. */
function apply(world: World, req: Req): Outcome {
  const actor = ACTORS[req.admin]!.associateId;
  const next: World = new Map([...world].map(([k, v]) => [k, { ...v }]));
  const byId = new Map([...world.values()].map((l) => [l.id, l]));
  if (req.kind === 'save') {
    const byMailbox = new Map([...world.values()].map((l) => [l.mailboxId, l]));
    const created: typeof req.links = [];
    const unchanged: number[] = [];
    for (const item of req.links) {
      const mailboxId = mailboxGuid(item.mailbox);
      const linked = world.get(item.associateId);
      if (linked && linked.mailboxId === mailboxId) unchanged.push(item.associateId);
      else if (linked || byMailbox.has(mailboxId)) return { world, reply: '409 AlreadyLinked', audit: [] };
      else created.push(item);
    }
    for (const c of created) {
      const { associateId, diary, task, contact, rank } = c;
      next.set(associateId, { id: 'new', associateId, mailboxId: mailboxGuid(c.mailbox), diary, task, contact, rank, version: 1, history: 0 });
    }
    return {
      world: next,
      reply: `${created.length > 0 ? 201 : 200} created:${sorted(created.map((c) => c.associateId))} unchanged:${sorted(unchanged)}`,
      audit: created.map((c) => `link.created|${actor}|${c.associateId}|${mailboxGuid(c.mailbox)}|${optionsKey(c)}`),
    };
  }
  if (req.kind === 'options') {
    if (req.changes.some((c) => !byId.has(c.id))) return { world, reply: '404 LinkNotFound', audit: [] };
    if (req.changes.some((c) => byId.get(c.id)!.version !== c.expectedVersion)) return { world, reply: '409 VersionConflict', audit: [] };
    const updated: string[] = [];
    const unchanged: number[] = [];
    const audit: string[] = [];
    for (const c of req.changes) {
      const l = byId.get(c.id)!;
      if (optionsKey(l) === optionsKey(c)) {
        unchanged.push(l.associateId);
        continue;
      }
      const version = c.expectedVersion + 1;
      next.set(l.associateId, { ...l, diary: c.diary, task: c.task, contact: c.contact, rank: c.rank, version });
      updated.push(`${l.associateId}@${version}`);
      audit.push(`link.options_changed|${actor}|${l.associateId}|v${version}|${optionsKey(c)}`);
    }
    return { world: next, reply: `200 updated:${sorted(updated)} unchanged:${sorted(unchanged)}`, audit };
  }
  if (req.ids.some((id) => !byId.has(id))) return { world, reply: '404 LinkNotFound', audit: [] };
  let history = 0;
  const audit: string[] = [];
  for (const id of req.ids) {
    const l = byId.get(id)!;
    history += l.history;
    next.delete(l.associateId);
    audit.push(`link.removed|${actor}|${l.associateId}|${l.history}`);
  }
  return { world: next, reply: `200 removed:${req.ids.length}/${history}`, audit };
}

/** The actual reply in the model's terms. */
function replyKey(req: Req, res: { status: number; body: any }): string {
  if (res.status >= 400) return `${res.status} ${res.body?.error?.code}`;
  if (req.kind === 'save') {
    return `${res.status} created:${sorted(res.body.created.map((l: any) => l.associateId))} unchanged:${sorted(res.body.unchanged.map((l: any) => l.associateId))}`;
  }
  if (req.kind === 'options') {
    return `${res.status} updated:${sorted(res.body.updated.map((l: any) => `${l.associateId}@${l.version}`))} unchanged:${sorted(res.body.unchanged.map((l: any) => l.associateId))}`;
  }
  return `${res.status} removed:${res.body.removed.links}/${res.body.removed.historyRows}`;
}

function worldKey(world: World, before: Set<string>): string {
  return [...world.values()]
    .map((l) => `${l.associateId}|${l.mailboxId}|${optionsKey(l)}|v${l.version}|${before.has(l.id) ? l.id : 'new'}`)
    .sort()
    .join('\n');
}

async function readWorld(store: Store): Promise<World> {
  const links = await store.db.selectFrom('link').selectAll().where('tenant_id', '=', TENANT).execute();
  // A link's history: its mappings, matched on associate and mailbox.
  const counts = await store.db
    .selectFrom('link as l')
    .innerJoin('sync_item as i', (join) => join.onRef('i.tenant_id', '=', 'l.tenant_id').onRef('i.associate_id', '=', 'l.associate_id').onRef('i.mailbox_id', '=', 'l.mailbox_id'))
    .select(['l.id as link_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('l.tenant_id', '=', TENANT)
    .groupBy('l.id')
    .execute();
  const history = new Map(counts.map((c) => [c.link_id, Number(c.n)]));
  return new Map(
    links.map((l) => [
      l.associate_id,
      {
        id: l.id,
        associateId: l.associate_id,
        mailboxId: l.mailbox_id,
        diary: Boolean(l.sync_diary),
        task: Boolean(l.sync_task),
        contact: Boolean(l.sync_contact),
        rank: l.rank,
        version: l.version,
        history: history.get(l.id) ?? 0,
      },
    ]),
  );
}

/** The audit rows after `afterId`, in the model's terms. */
async function auditSince(store: Store, afterId: number): Promise<{ keys: string[]; lastId: number }> {
  const rows = await store.db.selectFrom('audit_log').selectAll().where('id', '>', afterId).orderBy('id').execute();
  const keys = rows.map((r) => {
    const before = r.before_json ? JSON.parse(r.before_json) : null;
    const after = r.after_json ? JSON.parse(r.after_json) : null;
    switch (r.action) {
      case 'link.created':
        return `${r.action}|${r.actor_associate_id}|${after.associateId}|${after.mailboxId}|${optionsKey(after)}`;
      case 'link.options_changed':
        return `${r.action}|${r.actor_associate_id}|${after.associateId}|v${after.version}|${optionsKey(after)}`;
      case 'link.removed':
        return `${r.action}|${r.actor_associate_id}|${before.associateId}|${before.historyRows}`;
      default:
        return `${r.action}|${r.actor_associate_id}|${r.entity_id}`;
    }
  });
  return { keys, lastId: rows.length > 0 ? Number(rows.at(-1)!.id) : afterId };
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

/** What an administrator loaded (GET /links), by link. */
type View = LinkState[];

const randomOptions = (r: Random): Options => ({ diary: r() < 0.5, task: r() < 0.5, contact: r() < 0.7, rank: 1 + Math.floor(r() * 99) });

const empty = (req: Req) => (req.kind === 'save' ? req.links : req.kind === 'options' ? req.changes : req.ids).length === 0;

/** One round's requests from the two admins' views (drawn again when one came out empty), and the kind of round. */
function generate(r: Random, views: [View, View]): { kind: string; reqs: Req[] } {
  for (;;) {
    const drawn = draw(r, views);
    if (!drawn.reqs.some(empty)) return drawn;
  }
}

function draw(r: Random, views: [View, View]): { kind: string; reqs: Req[] } {
  const [va, vb] = views;
  const freeIn = (view: View) => {
    const assoc = new Set(view.map((l) => l.associateId));
    const mail = new Set(view.map((l) => l.mailboxId));
    return {
      associates: shuffle(r, Array.from({ length: POOL }, (_, i) => i + 1).filter((a) => !assoc.has(a))),
      mailboxes: shuffle(r, Array.from({ length: POOL }, (_, i) => i + 1).filter((m) => !mail.has(mailboxGuid(m)))),
    };
  };
  const size = (max = MAX_BATCH) => 1 + Math.floor(r() * Math.min(max, MAX_BATCH));
  const sample = <T>(xs: T[], n: number): T[] => shuffle(r, [...xs]).slice(0, Math.max(0, Math.min(n, xs.length)));
  const linkedShare = va.length / POOL;

  const save = (admin: number, from: { associates: number[]; mailboxes: number[] }, n: number) => {
    const links: ({ associateId: number; mailbox: number } & Options)[] = [];
    while (links.length < n && from.associates.length > 0 && from.mailboxes.length > 0) {
      links.push({ associateId: from.associates.pop()!, mailbox: from.mailboxes.pop()!, ...randomOptions(r) });
    }
    return { kind: 'save' as const, admin, links };
  };
  const change = (l: LinkState, noop: boolean) => ({ id: l.id, expectedVersion: l.version, ...(noop ? { diary: l.diary, task: l.task, contact: l.contact, rank: l.rank } : randomOptions(r)) });

  const kinds: [string, number][] = [
    ['save-save', linkedShare < 0.3 ? 6 : linkedShare > 0.75 ? 2 : 4],
    ['options-options', va.length > 2 ? 3 : 0],
    ['remove-options', va.length > 2 ? (linkedShare > 0.65 ? 3 : 2) : 0],
    ['remove-remove', va.length > 2 ? 1 : 0],
    ['remove-relink', va.length > 2 ? 1 : 0],
    ['three-way', va.length > 4 ? 1 : 0],
  ];
  let roll = r() * kinds.reduce((n, [, w]) => n + w, 0);
  const kind = kinds.find(([, w]) => (roll -= w) < 0)![0];
  return { kind, reqs: requestsOf() };

  function requestsOf(): Req[] {
    switch (kind) {
      case 'save-save': {
        const free = freeIn(va);
        const a = save(0, free, size());
        // B: fresh pairs of its own, plus maybe copies of A's pairs, plus maybe one conflicting pair.
        const freeB = freeIn(vb);
        const taken = new Set(a.links.map((l) => l.associateId));
        const takenM = new Set(a.links.map((l) => l.mailbox));
        freeB.associates = freeB.associates.filter((x) => !taken.has(x));
        freeB.mailboxes = freeB.mailboxes.filter((x) => !takenM.has(x));
        const b = save(1, freeB, Math.floor(r() * MAX_BATCH));
        if (r() < 0.4) for (const l of sample(a.links, 1 + Math.floor(r() * 3))) b.links.push({ ...l, ...randomOptions(r) });
        if (r() < 0.5 && a.links.length > 0) {
          const victim = pick(r, a.links);
          const usedA = new Set(b.links.map((l) => l.associateId));
          const usedM = new Set(b.links.map((l) => l.mailbox));
          if (!usedA.has(victim.associateId) && freeB.mailboxes.length > 0 && r() < 0.5) {
            b.links.push({ associateId: victim.associateId, mailbox: freeB.mailboxes.pop()!, ...randomOptions(r) });
          } else if (!usedM.has(victim.mailbox) && freeB.associates.length > 0) {
            b.links.push({ associateId: freeB.associates.pop()!, mailbox: victim.mailbox, ...randomOptions(r) });
          }
        }
        if (b.links.length === 0) b.links.push(...a.links.slice(0, 1));
        return [a, { ...b, links: shuffle(r, b.links) }];
      }
      case 'options-options': {
        // A shared part (sometimes the same values, which does not bump the version), and each admin's own.
        const shared = sample(va, Math.floor(r() * 4)).map((l) => l.associateId);
        const sharedSet = new Set(shared);
        const rest = shuffle(r, va.filter((l) => !sharedSet.has(l.associateId)));
        const ownA = rest.slice(0, Math.floor(r() * size()));
        const ownB = rest.slice(ownA.length, ownA.length + Math.floor(r() * size()));
        const viewB = new Map(vb.map((l) => [l.associateId, l]));
        const a = [...va.filter((l) => sharedSet.has(l.associateId)), ...ownA].map((l) => change(l, false));
        const b = [...shared.map((x) => viewB.get(x)).filter((l): l is LinkState => l !== undefined), ...ownB.map((l) => viewB.get(l.associateId) ?? l)].map((l) =>
          change(l, r() < 0.25),
        );
        if (a.length === 0) a.push(change(va[0]!, false));
        if (b.length === 0) b.push(change(vb[0] ?? va[0]!, false));
        return [
          { kind: 'options', admin: 0, changes: a },
          { kind: 'options', admin: 1, changes: b },
        ];
      }
      case 'remove-options': {
        const removed = sample(va, size(30));
        const removedSet = new Set(removed.map((l) => l.associateId));
        const overlap = r() < 0.6 ? sample(removed, 1 + Math.floor(r() * 2)) : [];
        const others = sample(vb.filter((l) => !removedSet.has(l.associateId)), Math.floor(r() * size()));
        const viewB = new Map(vb.map((l) => [l.associateId, l]));
        const changes = [...overlap.map((l) => viewB.get(l.associateId) ?? l), ...others].map((l) => change(l, false));
        if (changes.length === 0) changes.push(change(vb[0] ?? va[0]!, false));
        const reqs: Req[] = [
          { kind: 'remove', admin: 0, ids: removed.map((l) => l.id) },
          { kind: 'options', admin: 1, changes },
        ];
        return r() < 0.5 ? reqs : [{ ...reqs[1]!, admin: 0 }, { ...reqs[0]!, admin: 1 }];
      }
      case 'remove-remove': {
        const a = sample(va, size(30));
        const b = [...sample(a, 1 + Math.floor(r() * 2)), ...sample(vb.filter((l) => !a.some((x) => x.associateId === l.associateId)), Math.floor(r() * 4))];
        return [
          { kind: 'remove', admin: 0, ids: a.map((l) => l.id) },
          { kind: 'remove', admin: 1, ids: shuffle(r, b).map((l) => l.id) },
        ];
      }
      case 'remove-relink': {
        // A removes a link; B links the same associate (or the same mailbox) anew, elsewhere.
        const removed = sample(va, 1 + Math.floor(r() * 3));
        const victim = removed[0]!;
        const free = freeIn(vb);
        const b = save(1, free, Math.floor(r() * 5));
        const victimMailbox = Number.parseInt(victim.mailboxId.slice(-12), 16);
        if (r() < 0.5 && free.mailboxes.length > 0) b.links.push({ associateId: victim.associateId, mailbox: free.mailboxes.pop()!, ...randomOptions(r) });
        else if (free.associates.length > 0) b.links.push({ associateId: free.associates.pop()!, mailbox: victimMailbox, ...randomOptions(r) });
        return [{ kind: 'remove', admin: 0, ids: removed.map((l) => l.id) }, b];
      }
      default: {
        // Three at once: A changes options, B changes options on an overlapping set, B adds users.
        const shared = sample(va, 2);
        const viewB = new Map(vb.map((l) => [l.associateId, l]));
        const a = [...shared, ...sample(va, size(6))].filter((l, i, all) => all.findIndex((x) => x.id === l.id) === i).map((l) => change(l, false));
        const b = [...shared.map((l) => viewB.get(l.associateId) ?? l), ...sample(vb, size(6))]
          .filter((l, i, all) => all.findIndex((x) => x.id === l.id) === i)
          .map((l) => change(l, r() < 0.2));
        return [
          { kind: 'options', admin: 0, changes: a },
          { kind: 'options', admin: 1, changes: b },
          save(1, freeIn(vb), size(10)),
        ];
      }
    }
  }
}

function body(req: Req): unknown {
  if (req.kind === 'save') return { links: req.links.map((l) => pair(l.associateId, l.mailbox, { diary: l.diary, task: l.task, contact: l.contact, rank: l.rank })) };
  if (req.kind === 'options') return { changes: req.changes };
  return { ids: req.ids };
}
const route = (req: Req): [string, string] =>
  req.kind === 'save' ? ['POST', '/api/v1/links'] : req.kind === 'options' ? ['PATCH', '/api/v1/links'] : ['POST', '/api/v1/links/removal'];

interface Client {
  /** `instance` picks the server process (two-process mode); the harness ignores it. */
  send(admin: number, instance: number, method: string, path: string, body: unknown, requestId: string): Promise<{ status: number; body: any; text: string }>;
}

interface Figures {
  rounds: number;
  requests: number;
  ok: number;
  conflicts409: number;
  alreadyLinked: number;
  versionConflict: number;
  notFound404: number;
  /** Rounds whose result depended on which request went first. */
  races: number;
  /** Rounds of each kind. */
  kinds: Map<string, number>;
  /** Request ids per round and the instance each went to (two-process mode). */
  placement: { ids: string[]; instances: number[] }[];
}

async function runRounds(t: TestContext, label: string, store: Store, client: Client, twoInstances: boolean): Promise<Figures> {
  const r = seededRandom(SEED);
  const f: Figures = { rounds: 0, requests: 0, ok: 0, conflicts409: 0, alreadyLinked: 0, versionConflict: 0, notFound404: 0, races: 0, kinds: new Map(), placement: [] };
  const view = async (admin: number, round: number): Promise<View> => {
    const res = await client.send(admin, admin, 'GET', '/api/v1/links', undefined, `${label}-${round}-view${admin}`);
    assert.equal(res.status, 200, res.text);
    return res.body.links.map((l: any) => ({ ...l, history: l.historyCount }));
  };
  let views: [View, View] = [await view(0, 0), await view(1, 0)];
  let lastAudit = Number((await store.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst())?.m ?? 0);
  let historyFrom = 1;

  for (let round = 1; round <= ROUNDS; round++) {
    // Mostly both reload before saving; sometimes one of them saves from what it loaded rounds ago.
    if (r() < 0.8) views = await Promise.all([view(0, round), view(1, round)]);
    else if (r() < 0.5) views = [await view(0, round), views[1]];
    const world = await readWorld(store);
    const before = new Set([...world.values()].map((l) => l.id));
    const { kind, reqs } = generate(r, views);
    f.kinds.set(kind, (f.kinds.get(kind) ?? 0) + 1);
    const ids = reqs.map((_, i) => `${label}-${round}-${i}`);
    // Each admin mostly on their own instance; now and then both on the same one.
    const instances = reqs.map((req) => (twoInstances && r() < 0.2 ? 1 - req.admin : req.admin));
    const replies = await Promise.all(reqs.map((req, i) => client.send(req.admin, instances[i]!, ...route(req), body(req), ids[i]!)));
    f.placement.push({ ids, instances });

    const after = await readWorld(store);
    const audit = await auditSince(store, lastAudit);
    lastAudit = audit.lastId;

    // No duplicate links: one per associate (the map key) and one per mailbox.
    const mailboxes = [...after.values()].map((l) => l.mailboxId);
    assert.equal(new Set(mailboxes).size, mailboxes.length, `round ${round}: a mailbox is linked twice`);
    const rows = await store.db.selectFrom('link').select('associate_id').where('tenant_id', '=', TENANT).execute();
    assert.equal(rows.length, after.size, `round ${round}: an associate is linked twice`);

    const actual = {
      replies: reqs.map((req, i) => replyKey(req, replies[i]!)),
      world: worldKey(after, before),
      audit: sorted(audit.keys),
    };
    const outcomes = permutations(reqs.map((_, i) => i)).map((order) => {
      let w = world;
      const replyOf: string[] = [];
      const auditKeys: string[] = [];
      for (const i of order) {
        const o = apply(w, reqs[i]!);
        w = o.world;
        replyOf[i] = o.reply;
        auditKeys.push(...o.audit);
      }
      return { order, replies: replyOf, world: worldKey(w, before), audit: sorted(auditKeys) };
    });
    const distinct = new Set(outcomes.map((o) => JSON.stringify([o.replies, o.world, o.audit])));
    if (distinct.size > 1) f.races += 1;
    const match = outcomes.find((o) => JSON.stringify(o.replies) === JSON.stringify(actual.replies) && o.world === actual.world && o.audit === actual.audit);
    if (!match) {
      assert.fail(
        `round ${round} (${label}): no order of the requests explains the result.\n` +
          `requests: ${JSON.stringify(reqs.map((q) => ({ kind: q.kind, admin: q.admin, n: q.kind === 'save' ? q.links.length : q.kind === 'options' ? q.changes.length : q.ids.length })))}\n` +
          `replies: ${JSON.stringify(actual.replies)}\n` +
          `raw: ${replies.map((x) => `${x.status} ${x.text.slice(0, 300)}`).join('\n     ')}\n` +
          `expected one of: ${JSON.stringify(outcomes.map((o) => ({ order: o.order, replies: o.replies })))}\n` +
          `audit rows: ${actual.audit}\n` +
          `audit expected: ${JSON.stringify(outcomes.map((o) => o.audit))}`,
      );
    }

    for (const res of replies) {
      f.requests += 1;
      if (res.status < 300) f.ok += 1;
      if (res.status === 409) {
        f.conflicts409 += 1;
        if (res.body.error.code === 'AlreadyLinked') f.alreadyLinked += 1;
        if (res.body.error.code === 'VersionConflict') f.versionConflict += 1;
      }
      if (res.status === 404) f.notFound404 += 1;
    }
    f.rounds += 1;

    // The sync service writes history for new links now and then (removal must count and delete it).
    for (const l of after.values()) {
      if (before.has(l.id) || r() < 0.5) continue;
      const n = 1 + Math.floor(r() * 3);
      await seedHistory(store, TENANT, l.id, n, historyFrom);
      historyFrom += n;
    }
  }
  assert.deepEqual(await auditDisagreements(store), [], 'the audit log agrees with the data at the end');
  t.diagnostic(
    `${label}: ${f.rounds} rounds, ${f.requests} concurrent writes: ${f.ok} 2xx, ${f.conflicts409} × 409 (${f.alreadyLinked} AlreadyLinked, ${f.versionConflict} VersionConflict), ` +
      `${f.notFound404} × 404 LinkNotFound; ${f.races} rounds were real races (the order decided the outcome); ` +
      `rounds: ${[...f.kinds].map(([k, n]) => `${k} ${n}`).join(', ')}; seed ${SEED}`,
  );
  assert.ok(f.conflicts409 > 0 && f.races > 0, 'the rounds produced conflicts');
  return f;
}

describe('two administrators saving at the same time', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-concurrency-'));
  after(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  test('in-process: both admins through one app, requests interleaved with Promise.all', async (t) => {
    const started = performance.now();
    const file = join(dir, 'in-process.db');
    await migratedFile(file);
    const store = openStore(`sqlite:${file}`);
    const h = await makeHarness({ store });
    try {
      const tokens = [await h.token(ADMIN), await h.token(SECOND_ADMIN)];
      await runRounds(t, 'harness', h.store, {
        send: (admin, _instance, method, path, body, requestId) =>
          h.request(method, path, { token: tokens[admin], body, headers: { 'x-request-id': requestId } }),
      }, false);
    } finally {
      await h.close();
    }
    t.diagnostic(`harness: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  test('two backend processes on one SQLite file, each admin on their own instance, over HTTP', async (t) => {
    const started = performance.now();
    const file = join(dir, 'two-instances.db');
    await migratedFile(file);
    const tokens = await issueTokens(file, [ADMIN, SECOND_ADMIN]);
    const servers: ServerProcess[] = await Promise.all([startServer(file), startServer(file)]);
    const store = openStore(`sqlite:${file}`);
    try {
      const f = await runRounds(t, 'http', store, {
        send: (admin, instance, method, path, body, requestId) => call(servers[instance]!.base, method, path, tokens[admin]!, body, { 'x-request-id': requestId }),
      }, true);

      // Stopped (SIGTERM), so every log line is written and read.
      await Promise.all(servers.map((s) => s.stop()));
      // When was each request being served, by which process (from the request log lines)?
      const windows = new Map<string, { start: number; end: number; server: number }>();
      servers.forEach((s, server) => {
        for (const line of s.output().split('\n')) {
          if (!line.startsWith('{"level"')) continue;
          const entry = JSON.parse(line) as { time: number; responseTime?: number; req?: { id: string } };
          if (entry.responseTime === undefined || !entry.req) continue;
          windows.set(entry.req.id, { start: entry.time - entry.responseTime, end: entry.time, server });
        }
      });
      let split = 0;
      let overlapping = 0;
      for (const { ids } of f.placement) {
        const w = ids.map((id) => windows.get(id)).filter((x): x is { start: number; end: number; server: number } => x !== undefined);
        assert.equal(w.length, ids.length, `every request was logged: ${ids.filter((id) => !windows.has(id)).join(', ')}`);
        if (new Set(w.map((x) => x.server)).size < 2) continue;
        split += 1;
        if (w.some((x) => w.some((y) => x.server !== y.server && x.start < y.end && y.start < x.end))) overlapping += 1;
      }
      t.diagnostic(
        `http: ${split} rounds had requests on both instances; in ${overlapping} of them the two processes were serving them at the same moment (server-side windows overlap)`,
      );
      assert.ok(overlapping > 0, 'the two instances did serve writes at the same time');
      const errors = servers.map((s) => s.output().split('\n').filter((l) => l.includes('"level":50'))).flat();
      assert.deepEqual(errors.slice(0, 3), [], 'no server errors were logged');
    } finally {
      await store.destroy();
      await Promise.all(servers.map((s) => s.stop()));
    }
    t.diagnostic(`http: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
});
