import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { outlookScope, superOfficeScope } from '../../../../backend/sync/diary/fields.js';
import { graphEvent, soAppointment } from './support.js';

describe('superOfficeScope', () => {
  test('diary appointments sync: simple, booking master, invitee rows (accepted or not), each occurrence, completed', () => {
    for (const a of [
      soAppointment(),
      soAppointment({ id: 10, motherId: 10 }),
      soAppointment({ id: 11, motherId: 10, associateId: 6 }),
      soAppointment({ id: 12, motherId: 10, associateId: 7, type: 'BookingForDiary' }),
      soAppointment({ id: 13, recurrenceRuleId: 3 }),
      soAppointment({ completed: true }),
    ]) {
      assert.equal(superOfficeScope(a), null, JSON.stringify({ id: a.id, type: a.type }));
    }
  });

  test('checklist follow-ups, notes, documents and checklist invitations do not, each with its reason', () => {
    assert.match(superOfficeScope(soAppointment({ type: 'inChecklist' }))!, /follow-up without a time/);
    assert.match(superOfficeScope(soAppointment({ type: 'BookingForChecklist' }))!, /invitation to a follow-up/);
    assert.match(superOfficeScope(soAppointment({ type: 'Note' }))!, /note/);
    assert.match(superOfficeScope(soAppointment({ type: 'Document' }))!, /document/);
    assert.match(superOfficeScope(soAppointment({ type: 'SavedReport' }))!, /'SavedReport' is not a diary appointment/);
  });

  test('an appointment an external system owns does not, with which system', () => {
    for (const owner of ['Outlook', 'Google', 'Other']) {
      assert.match(superOfficeScope(soAppointment({ ownedExternally: owner }))!, new RegExp(`owned by an external system \\(${owner}\\)`));
    }
  });
});

describe('outlookScope', () => {
  test('single events, occurrences and exceptions sync', () => {
    assert.equal(outlookScope(graphEvent()), null);
    assert.equal(outlookScope(graphEvent({ type: 'occurrence', seriesMasterId: 'M' })), null);
    assert.equal(outlookScope(graphEvent({ type: 'exception', seriesMasterId: 'M' })), null);
  });

  test('a series master never does: its occurrences do', () => {
    assert.match(outlookScope(graphEvent({ type: 'seriesMaster' }))!, /pattern of a recurring series/);
  });

  test('a cancelled meeting syncs only when it came from SuperOffice (carries our tag)', () => {
    assert.match(outlookScope(graphEvent({ isCancelled: true, tag: null }))!, /cancelled meeting that did not come from SuperOffice/);
    assert.match(outlookScope(graphEvent({ isCancelled: true }))!, /cancelled/);
    assert.equal(outlookScope(graphEvent({ isCancelled: true, tag: 'Cust1/appointment/5' })), null);
  });

  test('a meeting someone else organizes that they cancelled never syncs, tagged (imported before) or not', () => {
    assert.match(outlookScope(graphEvent({ isCancelled: true, isOrganizer: false, tag: 'Cust1/appointment/5' }))!, /someone else organizes, and they cancelled it/);
    assert.match(outlookScope(graphEvent({ isCancelled: true, isOrganizer: false, tag: null }))!, /they cancelled it/);
    assert.equal(outlookScope(graphEvent({ isCancelled: false, isOrganizer: false, tag: null })), null, 'a received meeting that is still on syncs');
  });
});
