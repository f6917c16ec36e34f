import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CONTACT_TAG_PROPERTY_ID } from '../../../../backend/sync/contact/tags.js';
import type { LinkedUser } from '../../../helpers/sync-process.js';
import { KillRig } from '../kill-support.js';

/**
 * SIGKILL of a worker process right after Graph created a contact in our folder (before the
 * pass could commit it), then a fresh worker on the same database: every person exactly once in
 * our folder (the intent's tag lookup finds the orphan), and a change made meanwhile present.
 */
describe('contact sync: a worker killed between a contact create and its commit', () => {
  const rig = new KillRig('mailbox-link-contact-kill-');
  let user: LinkedUser;
  before(async () => {
    await rig.open(1);
    user = rig.users[0]!;
    // Contact on, Diary off (as the panel's Save would set them).
    await rig.h.store.db
      .updateTable('link')
      .set({ sync_diary: rig.h.store.dialect.bool(false), sync_contact: rig.h.store.dialect.bool(true) })
      .where('mailbox_id', '=', user.mailboxId)
      .execute();
  });
  after(() => rig.close());

  const persons = () => rig.h.env.superoffice.control.persons;
  const contacts = () => rig.h.env.graph.control.contacts;
  const ours = () => {
    const f = contacts().listFolders(user.mailboxId).find((x) => x.displayName === 'SuperOffice');
    return f ? contacts().list(user.mailboxId, f.id) : [];
  };

  test('SIGKILL right after Graph created a contact: after a restart, every person once, the change made meanwhile present', async () => {
    const made = ['Ada', 'Bjørn', 'Cecilie'].map((firstname) => {
      rig.h.env.superoffice.control.appointments.advance(1000);
      return persons().create({ firstname, lastname: 'Hansen', associateId: user.associateId, emails: [`${firstname.toLowerCase()}@kunde.example`] });
    });
    await rig.killAt(user, 'graph-contact-create');
    assert.equal(ours().length, 1, 'the first contact was created in Outlook');
    rig.h.env.superoffice.control.appointments.advance(1000);
    persons().edit(made[1]!.personId, { title: 'Purchasing manager' });
    await rig.restartAndSync(user, new Date());
    const tags = ours().map((c) => Number(c.extended.find((p) => p.id === CONTACT_TAG_PROPERTY_ID)?.value));
    assert.deepEqual([...tags].sort(), made.map((p) => p.personId).sort(), 'each person exactly once');
    assert.equal(ours().find((c) => c.givenName === 'Bjørn')!.jobTitle, 'Purchasing manager');
    const items = await rig.h.store.db.selectFrom('sync_item').select(['state']).where('mailbox_id', '=', user.mailboxId).where('kind', '=', 'contact').execute();
    assert.deepEqual(items.map((i) => i.state), ['active', 'active', 'active']);
    await rig.restartAndSync(user, new Date());
    assert.equal(ours().length, 3, 'no late duplicate');
  });
});
