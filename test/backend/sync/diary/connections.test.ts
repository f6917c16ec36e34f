import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { appendAudit } from '../../../../backend/audit/audit.repository.js';
import { DEMO_ENTRA_APP } from '../../../../backend/demo/demo-environment.js';
import { openDiaryConnections } from '../../../../backend/sync/diary/connections.js';
import { ensureTenant, recordConsent } from '../../../../backend/tenants/tenant.repository.js';
import { DEMO_CASES } from '../../../../simulators/demo-tenant.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../../helpers/integration.js';

const [KARI, OLA] = DEMO_CASES.adminAssociateIds as [number, number];

describe('openDiaryConnections: the worker opens Outlook and SuperOffice for a mailbox', () => {
  let h: IntegrationHarness;
  let tenantId: string;
  let mailboxId: string;
  const deps = () => ({ store: h.store, integration: h.integration, now: () => new Date() });

  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    tenantId = h.env.tenant.contextId;
    mailboxId = h.env.tenant.mailboxes.find((m) => m.userType === 'Member' && m.userPurpose === 'user')!.id;
  });
  after(() => h.closeAll());

  test('before the app is approved in Microsoft 365: MicrosoftConsentRequired', async () => {
    await h.signIn(KARI);
    await assert.rejects(openDiaryConnections(deps(), { tenantId, mailboxId }), (err: any) => err.code === 'MicrosoftConsentRequired' && /approve/i.test(err.message));
  });

  test('no administrator sign-in stored for the tenant: SuperOfficeSignInRequired, said so an administrator understands', async () => {
    await ensureTenant(h.store, 'Cust99999', new Date());
    await recordConsent(h.store, 'Cust99999', { entraTenantId: h.env.tenant.entraTenantId, oid: 'x', name: 'Someone', version: 0 }, new Date());
    await assert.rejects(
      openDiaryConnections(deps(), { tenantId: 'Cust99999', mailboxId }),
      (err: any) => err.code === 'SuperOfficeSignInRequired' && /Open the panel once as a SuperOffice administrator/.test(err.message),
    );
  });

  test('after consent, works as the most recent administrator with a stored sign-in, on both sides', async () => {
    const admin = (await h.signIn(KARI)).message.token!;
    const consent = await h.consent(admin);
    assert.equal(consent.message.type, 'mailbox-link:consented', JSON.stringify(consent.message));
    h.env.entra.control.grantConsent(h.env.tenant.entraTenantId, DEMO_ENTRA_APP.clientId, [...DEMO_ENTRA_APP.permissions, 'Calendars.ReadWrite']);

    const first = await openDiaryConnections(deps(), { tenantId, mailboxId });
    const byKari = await first.superoffice.create({ associateId: KARI, start: '2026-12-10T09:00:00.000Z', end: '2026-12-10T10:00:00.000Z', allDay: false, title: 'As Kari', description: '', location: '', free: false, private: false });
    const rows = () => h.env.superoffice.control.appointments.list(tenantId);
    assert.equal(rows().find((r) => r.appointmentId === byKari.id)!.createdBy, KARI, 'the consenting administrator wrote the last audit row');

    // Ola, also an administrator, signs in and changes something later: the sync works as Ola.
    await h.signIn(OLA);
    await appendAudit(h.store, { tenantId, associateId: OLA, associateName: 'Ola', requestId: null }, [{ action: 'update', entityType: 'tenant', entityId: tenantId, before: {}, after: {} }], new Date());
    const second = await openDiaryConnections(deps(), { tenantId, mailboxId });
    const byOla = await second.superoffice.create({ associateId: OLA, start: '2026-12-11T09:00:00.000Z', end: '2026-12-11T10:00:00.000Z', allDay: false, title: 'As Ola', description: '', location: '', free: false, private: false });
    assert.equal(rows().find((r) => r.appointmentId === byOla.id)!.createdBy, OLA);

    const [made] = await second.outlook.create([{ transactionId: 'conn-1', tag: 'so:conn', event: { subject: 'Hello', body: { contentType: 'text', content: '' }, start: { dateTime: '2026-12-10T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-12-10T10:00:00', timeZone: 'UTC' }, isAllDay: false, location: { displayName: '' }, showAs: 'busy', sensitivity: 'normal' } }]);
    assert.ok(made && 'ok' in made, JSON.stringify(made));
    assert.deepEqual((await second.outlook.findByTag('so:conn')).map((e) => e.id), [made.ok.id]);
  });
});
