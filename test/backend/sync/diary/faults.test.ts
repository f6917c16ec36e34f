import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { diaryPass } from '../../../../backend/sync/diary/pass.js';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import { fencedWrite } from '../../../../backend/sync/lease.service.js';
import { SyncWorker, type RunPass } from '../../../../backend/sync/worker.js';
import type { GraphFaults } from '../../../../simulators/graph/graph.types.js';
import { StatementFaults } from '../../../helpers/faults.js';
import { costOf } from './counting.js';
import { at, makeWorld, tagOn, type World, type WorldUser } from './world.js';

/**
 * Faults lose nothing and duplicate nothing: the database failing at each statement of a pass,
 * Graph answering 429/503 in bursts, SuperOffice failing or down, two workers on one rank. Each
 * test makes changes on both sides, lets the fault hit, runs clean passes, and checks both sides
 * hold every item exactly once with the latest text (the SIGKILL case is in kill.test.ts).
 */
describe('diary sync under faults', () => {
  let w: World;
  before(async () => {
    w = await makeWorld({ users: 12 });
  });
  after(() => w.close());

  /** What a user sees: their appointments' titles and their events' subjects, each event tagged with one of the appointments. */
  function sides(user: WorldUser) {
    const rows = w.so.list(user);
    const events = w.outlook.events(user);
    const ids = new Set(rows.map((r) => r.appointmentId));
    const tags = events.map((e) => parseTag(tagOn(e) ?? '', w.tenantId));
    assert.equal(new Set(tags).size, tags.length, `every event has its own tag: ${JSON.stringify(tags)}`);
    for (const id of tags) assert.ok(id !== null && ids.has(id), `tag ${id} names an appointment of this user`);
    return { superoffice: rows.map((r) => r.title).sort(), outlook: events.map((e) => e.subject).sort() };
  }

  /** Both sides hold exactly `titles`, once each, and every mapping is active. */
  async function balanced(user: WorldUser, titles: string[], label: string) {
    const seen = sides(user);
    assert.deepEqual(seen.superoffice, [...titles].sort(), `${label}: SuperOffice`);
    assert.deepEqual(seen.outlook, [...titles].sort(), `${label}: Outlook`);
    const items = await w.items(user);
    assert.deepEqual(items.map((i) => i.state), titles.map(() => 'active'), `${label}: mappings`);
  }

  /** Two appointments in SuperOffice and one event in Outlook (or only those of one side), not yet synced. */
  function diary(user: WorldUser, prefix: string, sides: 'both' | 'superoffice' | 'outlook' = 'both') {
    const titles: string[] = [];
    if (sides !== 'outlook') {
      w.so.create(user, { title: `${prefix} review`, start: at(1, 9), end: at(1, 10), location: 'Room Fjord' });
      w.so.create(user, { title: `${prefix} visit`, start: at(3, 13), end: at(3, 14) });
      titles.push(`${prefix} review`, `${prefix} visit`);
    }
    if (sides !== 'superoffice') {
      w.outlook.create(user, { subject: `${prefix} dentist`, start: { dateTime: at(2, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(2, 15).slice(0, 19), timeZone: 'UTC' } });
      titles.push(`${prefix} dentist`);
    }
    return titles;
  }

  /** Runs a pass that may fail; returns the error (the mailbox's status says the rest). */
  async function passMayFail(user: WorldUser, runPass?: RunPass): Promise<unknown> {
    try {
      await w.pass(user, runPass);
      return null;
    } catch (err) {
      return err;
    }
  }

  /** One pass while Graph answers with `faults` (they are cleared afterwards, whatever happens). */
  async function passUnder(user: WorldUser, faults: GraphFaults): Promise<void> {
    const graph = w.h.env.graph.control;
    graph.setFaults(faults);
    try {
      await passMayFail(user);
    } finally {
      graph.clearFaults();
    }
  }

  // Outlook-born items found a bug here: a failure at the commit right after the SuperOffice
  // create was absorbed, and the pass then took its own new appointment for a SuperOffice-born one.
  for (const [sides, what] of [
    ['superoffice', 'appointments made in SuperOffice'],
    ['outlook', 'an event made in Outlook'],
    ['both', 'both'],
  ] as const) {
    test(`the database failing at each statement of a pass over ${what}: a clean rerun ends as a fault-free pass does, nothing created twice`, async (t) => {
      const user = w.fresh();
      const faults = new StatementFaults();
      const faulty = w.h.store.withPlugin(faults);
      const pass = diaryPass({ ...w.deps, store: faulty });
      // The pass's own statements and its fenced writes go through the failing store; the test's claim and release do not.
      const onFaulty: RunPass = (mailbox, fence) => pass(mailbox, { ...fence, write: (work) => fencedWrite(faulty, fence, work) });
      let round = 0;
      /** Everything of this user gone from both sides and from the database, then a new diary. */
      const scenario = async () => {
        for (const r of w.so.list(user)) w.so.delete(r.appointmentId);
        for (const e of w.outlook.events(user)) w.outlook.delete(user, e.immutableId);
        // The per-kind status and the hour's load too, so every round's pass takes the same statements (its first writes insert the rows).
        for (const table of ['sync_item', 'sync_cursor', 'sync_conflict', 'sync_kind_status', 'sync_load'] as const) {
          await w.h.store.db.deleteFrom(table).where('tenant_id', '=', w.tenantId).where('mailbox_id', '=', user.mailboxId).execute();
        }
        return diary(user, `Round ${++round}`, sides);
      };

      let titles = await scenario();
      faults.reset();
      assert.equal(await passMayFail(user, onFaulty), null);
      const total = faults.count;
      const kinds = [...faults.kinds];
      await balanced(user, titles, 'fault-free pass');
      assert.ok(total >= 4, `a pass takes several statements (${total})`);

      // Statements whose failure the pass got over by itself (it reported nothing and the result was still right).
      const absorbed: string[] = [];
      /** Statements after whose failure the clean passes did not end as a fault-free pass does. */
      const wrong: string[] = [];
      for (let n = 1; n <= total; n++) {
        titles = await scenario();
        faults.reset(n);
        const failed = await passMayFail(user, onFaulty);
        const reached = faults.count >= n;
        faults.reset();
        assert.ok(reached, `statement ${n} of ${total} was not reached (${kinds.join(', ')})`);
        if (failed === null && (await w.mailbox(user)).state === 'in_sync') absorbed.push(`${n} (${kinds[n - 1]})`);
        // Clean passes afterwards: the first may finish what the failed one left, the second must find nothing to do.
        await w.pass(user);
        await w.pass(user);
        // Exactly the diary's items on each side: an event or appointment created twice would be an extra title.
        try {
          await balanced(user, titles, `statement ${n} of ${total} (${kinds[n - 1]}) failing, then clean passes`);
        } catch (err) {
          wrong.push((err as Error).message.split('\n').slice(0, 8).join(' '));
        }
      }
      assert.deepEqual(wrong, [], `${wrong.length} of ${total} failing statements left a wrong result`);
      t.diagnostic(`failed at each of ${total} statements of a pass (${kinds.filter((k) => k !== 'SelectQueryNode').length} writes): both sides as after a fault-free pass each time; failures the pass did not report: ${absorbed.join(', ') || 'none'}`);
    });
  }

  for (const kind of ['throttled', 'unavailable'] as const) {
    test(`Graph answering ${kind === 'throttled' ? '429' : '503'} to every request for a while: the mailbox says so, the next pass finishes the work, nothing lost or doubled`, async () => {
      const user = w.fresh();
      const titles = diary(user, kind);
      const graph = w.h.env.graph.control;
      w.resetCounts();
      graph.setFaults({ [kind]: 200, retryAfterSeconds: 1 });
      try {
        await passMayFail(user);
        const status = await w.mailbox(user);
        assert.notEqual(status.state, 'in_sync');
        assert.ok(status.last_error, 'a reason an administrator can read');
        assert.equal(w.outlook.events(user).length, 1, 'nothing reached Outlook');
      } finally {
        graph.clearFaults();
      }
      await w.pass(user);
      await balanced(user, titles, 'after the burst');
      assert.equal((await w.mailbox(user)).state, 'in_sync');
      const cost = costOf(w.counts());
      assert.equal(cost.superofficeCreates, 1, 'the Outlook event came to SuperOffice once');
    });
  }

  test('Graph 503 bursts in the middle of a pass ($batch refused twice, then a GET): retried within the pass, every item once', async () => {
    const user = w.fresh();
    const titles = diary(user, 'Burst');
    await passUnder(user, { unavailable: 2, retryAfterSeconds: 1, route: 'POST /v1.0/$batch' });
    await w.pass(user);
    await balanced(user, titles, 'after $batch bursts');
    // Then an Outlook edit whose read is refused once, and a SuperOffice edit: both arrive, once.
    const event = w.outlook.events(user).find((e) => e.subject === 'Burst dentist')!;
    w.outlook.edit(user, event.immutableId, { subject: 'Burst dentist (moved)' });
    const visit = w.so.list(user).find((r) => r.title === 'Burst visit')!;
    w.so.edit(visit.appointmentId, { Title: 'Burst visit (confirmed)' });
    await passUnder(user, { throttled: 1, retryAfterSeconds: 1, route: 'GET /v1.0/users/{id}/calendarView/delta' });
    await w.pass(user);
    await balanced(user, ['Burst review', 'Burst visit (confirmed)', 'Burst dentist (moved)'], 'after a throttled delta');
  });

  for (const outage of ['500s half-way through the pass', 'down (503)', 'down (connections reset)'] as const) {
    test(`SuperOffice ${outage}: the mailbox shows the error, changes on both sides arrive on the next pass, once`, async () => {
      const user = w.fresh();
      diary(user, outage);
      await w.pass(user);
      // Changes on both sides while SuperOffice is failing.
      const review = w.so.list(user).find((r) => r.title.endsWith('review'))!;
      w.so.edit(review.appointmentId, { Title: `${outage} review (agenda)` });
      w.outlook.create(user, { subject: `${outage} lunch`, start: { dateTime: at(4, 11).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(4, 12).slice(0, 19), timeZone: 'UTC' } });
      const dentist = w.outlook.events(user).find((e) => e.subject.endsWith('dentist'))!;
      w.outlook.edit(user, dentist.immutableId, { location: { displayName: 'Clinic' } });
      const so = w.h.env.superoffice.control;
      if (outage === '500s half-way through the pass') so.failNext(50, { status: 500, skip: 1 });
      else so.setDown(outage === 'down (503)' ? '503' : 'reset');
      try {
        await passMayFail(user);
        const status = await w.mailbox(user);
        assert.notEqual(status.state, 'in_sync');
        assert.ok(status.last_error);
      } finally {
        so.setDown('off');
        so.failNext(0);
      }
      await w.pass(user);
      await w.pass(user);
      await balanced(user, [`${outage} review (agenda)`, `${outage} visit`, `${outage} dentist`, `${outage} lunch`], 'after the outage');
      assert.equal(w.so.list(user).find((r) => r.title.endsWith('dentist'))!.location, 'Clinic');
    });
  }

  test('two workers serving the same ranks never run one mailbox at once: at most 4 Graph requests in flight per mailbox, no create twice', async () => {
    const users = [w.fresh(), w.fresh(), w.fresh()];
    const titles = new Map<WorldUser, string[]>();
    for (const [i, user] of users.entries()) {
      const list = diary(user, `Pair ${i}`);
      // 45 more: three $batches of creates per mailbox, so a pass has several requests in flight.
      for (let k = 0; k < 45; k++) {
        w.so.create(user, { title: `Pair ${i} item ${k}`, start: at(1 + (k % 20), 8 + (k % 8)), end: at(1 + (k % 20), 9 + (k % 8)) });
        list.push(`Pair ${i} item ${k}`);
      }
      titles.set(user, list);
    }
    w.resetCounts();
    const graph = w.h.env.graph.control;
    const journal: { mailbox: string; owner: string; start: number; end: number }[] = [];
    // A short interval, so each mailbox is passed again and again while both workers look for work.
    const pass = diaryPass({ ...w.deps, intervalMs: 100 });
    const journaled =
      (owner: string): RunPass =>
      async (mailbox, fence) => {
        const start = performance.now();
        try {
          await pass(mailbox, fence);
        } finally {
          journal.push({ mailbox: mailbox.mailboxId, owner, start, end: performance.now() });
        }
      };
    const ranks = users.map((u) => u.rank);
    const workers = ['worker-a', 'worker-b'].map(
      (owner) => new SyncWorker({ store: w.h.store, ranks, leaseMs: 10_000, batchSize: 4, pollMs: 5, retryMs: 100, runPass: journaled(owner), logger: pino({ level: 'silent' }), owner }),
    );
    for (const worker of workers) worker.start();
    try {
      await new Promise((r) => setTimeout(r, 2500));
      // Changes while they run.
      for (const user of users) {
        const first = w.so.list(user).find((r) => r.title.endsWith('review'))!;
        w.so.edit(first.appointmentId, { Title: `${first.title} (edited)` });
        titles.set(user, titles.get(user)!.map((x) => (x === first.title ? `${first.title} (edited)` : x)));
      }
      await new Promise((r) => setTimeout(r, 2500));
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    for (const user of users) {
      const mine = journal.filter((j) => j.mailbox === user.mailboxId).sort((a, b) => a.start - b.start);
      assert.ok(mine.length >= 2, `mailbox ${user.mailboxId} was passed ${mine.length} times`);
      for (let i = 1; i < mine.length; i++) assert.ok(mine[i]!.start >= mine[i - 1]!.end, `two passes of one mailbox overlapped: ${JSON.stringify([mine[i - 1], mine[i]])}`);
      await balanced(user, titles.get(user)!, `mailbox of rank ${user.rank}`);
      const peak = graph.concurrency().peakByMailbox[user.mailboxId] ?? 0;
      assert.ok(peak >= 1 && peak <= 4, `Graph requests in flight for one mailbox: ${peak}`);
    }
    const cost = costOf(w.counts());
    assert.equal(cost.graphCreates, users.length * 47, 'each appointment created in Outlook once');
    assert.equal(cost.superofficeCreates, users.length, 'each Outlook event created in SuperOffice once');
    const owners = new Set(journal.map((j) => j.owner));
    assert.equal(owners.size, 2, 'both workers took part');
  });
});
