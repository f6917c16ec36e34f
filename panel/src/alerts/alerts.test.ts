import { html } from 'lit';
import './alerts.js';
import type { Alerts, AlertsClient } from './alerts.js';
import { PanelApiError } from '../api/api-client.js';
import type { AlertSettings } from '../../../backend/contract.js';
import { deepEqual, equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const SETTINGS: AlertSettings = { enabled: false, recipients: [], hourUtc: 7, webhookUrl: null, webhookSecretSet: false, version: 0, lastDigest: null };
const ADMINS = [
  { associateId: 5, name: 'Kari Nordmann', email: 'kari@nordlys.example', active: true },
  { associateId: 6, name: '<img src=x onerror="window.__pwned=1">Eve', email: null, active: true },
];

/** A fake client that answers as the API does and records each call. */
function client(overrides: Partial<Record<string, (body: unknown) => unknown>> = {}) {
  const calls: { method: string; path: string; body: unknown }[] = [];
  let current: AlertSettings = { ...SETTINGS };
  const api: AlertsClient = {
    send: async <T,>(method: string, path: string, body?: unknown) => {
      calls.push({ method, path, body });
      const key = `${method} ${path}`;
      const over = overrides[key];
      if (over) return over(body) as T;
      if (key === 'GET /alerts/settings') return current as T;
      if (key === 'GET /alerts/admins') return { admins: ADMINS } as T;
      if (key === 'PUT /alerts/settings') {
        const b = body as { enabled: boolean; recipients: number[]; hourUtc: number; webhookUrl: string | null };
        current = { ...current, ...b, recipients: b.recipients.map((id) => ({ associateId: id, name: 'Kari Nordmann', email: 'kari@nordlys.example' })), version: current.version + 1 };
        return current as T;
      }
      if (key === 'POST /alerts/webhook/secret') {
        current = { ...current, webhookSecretSet: true, version: current.version + 1 };
        return { secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', version: current.version } as T;
      }
      if (key === 'POST /alerts/test') return { sentAt: new Date().toISOString(), problems: 3, outcomes: [{ channel: 'mail:5', address: 'kari@nordlys.example', ok: true, status: 202, message: 'Sent.' }] } as T;
      throw new Error(`unexpected ${key}`);
    },
  };
  return { api, calls };
}

const $ = <E extends Element>(el: Alerts, sel: string) => el.shadowRoot!.querySelector<E>(sel)!;
const button = (el: Alerts, name: string) => $<HTMLButtonElement>(el, `button[name="${name}"]`);

describe('so-alerts', () => {
  afterEach(cleanup);

  it('is accessible, lists the administrators (text, not HTML), and disables one without an e-mail', async () => {
    const { api } = client();
    const el = await fixture<Alerts>(html`<so-alerts .api=${api}></so-alerts>`);
    await settle(el);
    await expectAccessible(el);
    const boxes = [...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="recipient"]')];
    equal(boxes.length, 2);
    equal(boxes[1]!.disabled, true);
    ok(!el.shadowRoot!.querySelector('img'), 'a name is text');
    equal((window as { __pwned?: number }).__pwned, undefined);
  });

  it('saves the chosen recipients, hour and webhook with the version it loaded', async () => {
    const { api, calls } = client();
    const el = await fixture<Alerts>(html`<so-alerts .api=${api}></so-alerts>`);
    await settle(el);
    $<HTMLInputElement>(el, 'input[name="enabled"]').click();
    $<HTMLInputElement>(el, 'input[name="recipient"]').click();
    const hour = $<HTMLSelectElement>(el, 'select[name="hour"]');
    hour.value = '9';
    hour.dispatchEvent(new Event('change'));
    const url = $<HTMLInputElement>(el, 'input[name="webhook"]');
    url.value = 'https://hooks.example/alerts';
    url.dispatchEvent(new Event('input'));
    await settle(el);
    button(el, 'save').click();
    await settle(el);
    await settle(el);
    const put = calls.find((c) => c.method === 'PUT')!;
    deepEqual(put.body, { expectedVersion: 0, enabled: true, recipients: [5], hourUtc: 9, webhookUrl: 'https://hooks.example/alerts' });
    equal($(el, '[role="status"]').textContent, 'Saved.');
  });

  it('shows a new secret once, with a copy button', async () => {
    const { api } = client();
    let copied = '';
    const el = await fixture<Alerts>(html`<so-alerts .api=${api} .writeClipboard=${async (t: string) => void (copied = t)}></so-alerts>`);
    await settle(el);
    button(el, 'generate').click();
    await settle(el);
    await settle(el);
    ok($(el, '[data-secret] code').textContent!.startsWith('whsec_'));
    $<HTMLButtonElement>(el, '[data-secret] button').click();
    await settle(el);
    ok(copied.startsWith('whsec_'));
    equal($(el, '[data-secret] button').textContent, 'Copied');
  });

  it('Send test shows what happened; a refusal is shown as an alert', async () => {
    const { api } = client({
      'PUT /alerts/settings': () => {
        throw new PanelApiError(400, 'AlertRecipientRefused', 'refused', [{ message: 'Eve is not a SuperOffice administrator.' }], 'Some recipients cannot receive alerts.');
      },
    });
    const el = await fixture<Alerts>(html`<so-alerts .api=${api} lang="nb"></so-alerts>`);
    await settle(el);
    equal(button(el, 'save').textContent, 'Lagre');
    button(el, 'test').click();
    await settle(el);
    await settle(el);
    ok($(el, '[data-test-result]').textContent!.includes('kari@nordlys.example'));
    equal($(el, '[data-test-carried]').textContent, 'Testen listet de 3 problemene helserapporten viser nå (ignorerte utelatt).');
    button(el, 'save').click();
    await settle(el);
    await settle(el);
    ok($(el, '[role="alert"]').textContent!.includes('Eve is not a SuperOffice administrator.'));
  });
});
