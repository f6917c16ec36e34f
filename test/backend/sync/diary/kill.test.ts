import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseTag } from '../../../../backend/sync/diary/fields.js';
import { defaultFields } from '../../../../simulators/graph/event-shape.js';
import type { LinkedUser } from '../../../helpers/sync-process.js';
import { KillRig } from '../kill-support.js';
import { at, tagOn } from './world.js';

/**
 * SIGKILL of a worker process between an external write and the commit of what it learned
 * (kill-worker.ts dies as the write's answer arrives), then a fresh worker on the same database:
 * every item exactly once on both sides (0 duplicates), and every change made before, during and
 * after the crash present on both sides (0 lost).
 */
describe('diary sync: a worker killed between the external write and the commit', () => {
  const rig = new KillRig('mailbox-link-kill-');
  before(() => rig.open(2));
  after(() => rig.close());

  const tenantId = () => rig.tenantId;
  const appointments = () => rig.h.env.superoffice.control.appointments;
  const calendar = () => rig.h.env.graph.control.calendar;
  const soRows = (u: LinkedUser) => appointments().list(tenantId()).filter((a) => a.associateId === u.associateId);
  const events = (u: LinkedUser) => calendar().list(u.mailboxId);
  const soCreate = (u: LinkedUser, title: string, day: number) => {
    appointments().advance(1000);
    return appointments().create({ Associate: { AssociateId: u.associateId }, StartDate: at(day, 9), EndDate: at(day, 10), Type: 'inDiary', Title: title }, { asAssociateId: u.associateId, contextId: tenantId() });
  };
  const outlookCreate = (u: LinkedUser, subject: string, day: number) =>
    calendar().create(u.mailboxId, { ...defaultFields(), subject, start: { dateTime: at(day, 14).slice(0, 19), timeZone: 'UTC' }, end: { dateTime: at(day, 15).slice(0, 19), timeZone: 'UTC' } }, null);

  /** Both sides hold exactly `titles`, once each, every event tagged with its own appointment of this user. */
  function balanced(u: LinkedUser, titles: string[], label: string) {
    const rows = soRows(u);
    const evs = events(u);
    assert.deepEqual(rows.map((r) => r.title).sort(), [...titles].sort(), `${label}: SuperOffice`);
    assert.deepEqual(evs.map((e) => e.subject).sort(), [...titles].sort(), `${label}: Outlook`);
    const tags = evs.map((e) => parseTag(tagOn(e) ?? '', tenantId()));
    assert.equal(new Set(tags).size, tags.length, `${label}: every event has its own tag`);
    const ids = new Set(rows.map((r) => r.appointmentId));
    for (const id of tags) assert.ok(id !== null && ids.has(id), `${label}: tag ${id} names an appointment of this user`);
  }

  for (const [index, killAt] of [
    [0, 'graph-batch'],
    [1, 'superoffice-create'],
  ] as const) {
    test(`SIGKILL right after ${killAt === 'graph-batch' ? 'Graph applied a $batch of creates' : 'SuperOffice saved an appointment'}: after a restart, 0 duplicates and 0 lost changes`, async () => {
      const u = rig.users[index]!;
      const titles = ['Kick-off', 'Budget', 'Review'].map((t) => `${killAt} ${t}`);
      titles.forEach((t, i) => soCreate(u, t, 1 + i));
      titles.push(`${killAt} lunch`);
      outlookCreate(u, `${killAt} lunch`, 5);
      await rig.killAt(u, killAt);
      // The write landed; the database does not know it yet.
      if (killAt === 'graph-batch') assert.equal(events(u).length, 4, 'the batch was applied in Outlook');
      else assert.equal(soRows(u).length, 4, 'the appointment was saved in SuperOffice');
      // Changes while no worker runs: one on each side.
      const budget = soRows(u).find((r) => r.title.endsWith('Budget'))!;
      appointments().advance(1000);
      appointments().edit(budget.appointmentId, { Title: `${killAt} Budget (final)` }, { contextId: tenantId() });
      titles[1] = `${killAt} Budget (final)`;
      titles.push(`${killAt} call`);
      outlookCreate(u, `${killAt} call`, 6);
      const restarted = new Date();
      await rig.restartAndSync(u, restarted);
      balanced(u, titles, 'after the restart');
      const items = await rig.h.store.db.selectFrom('sync_item').select(['state', 'so_id', 'graph_id']).where('tenant_id', '=', tenantId()).where('mailbox_id', '=', u.mailboxId).execute();
      assert.deepEqual(items.map((i) => i.state), titles.map(() => 'active'));
      // A second pass finds nothing to do: no late duplicate either.
      await rig.restartAndSync(u, new Date());
      balanced(u, titles, 'after another pass');
    });
  }
});

