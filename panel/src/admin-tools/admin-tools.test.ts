import { html } from 'lit';
import './admin-tools.js';
import { LinksChangedEvent, type AdminTool, type AdminTools } from './admin-tools.js';
import { equal, ok } from '../test-support/assert.js';
import { expectAccessible } from '../test-support/axe.js';
import { cleanup, fixture, settle } from '../test-support/fixture.js';

const tool = (id: string, en: string): AdminTool => ({
  id,
  label: { en, nb: `${en} (nb)` },
  render: (lang) => html`<p data-body=${id}>${id} in ${lang}</p>`,
});
const TOOLS = [tool('health', 'Health'), tool('undo', 'Undo'), tool('csv', 'CSV')];

const tabs = (el: AdminTools) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
const body = (el: AdminTools) => el.shadowRoot!.querySelector('[role="tabpanel"] [data-body]')?.getAttribute('data-body');

describe('so-admin-tools', () => {
  afterEach(cleanup);

  it('shows the first tool, and the one clicked', async () => {
    const el = await fixture<AdminTools>(html`<so-admin-tools .tools=${TOOLS}></so-admin-tools>`);
    equal(body(el), 'health');
    equal(tabs(el)[0]!.getAttribute('aria-selected'), 'true');
    tabs(el)[2]!.click();
    await settle(el);
    equal(body(el), 'csv');
    equal(tabs(el)[2]!.getAttribute('aria-selected'), 'true');
    equal(tabs(el)[0]!.getAttribute('aria-selected'), 'false');
    await expectAccessible(el);
  });

  it('moves between tabs with the arrow keys, Home and End, focus following', async () => {
    const el = await fixture<AdminTools>(html`<so-admin-tools .tools=${TOOLS}></so-admin-tools>`);
    tabs(el)[0]!.focus();
    const key = async (k: string) => {
      el.shadowRoot!.activeElement!.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, composed: true }));
      await settle(el);
    };
    await key('ArrowLeft');
    equal(body(el), 'csv', 'wraps to the last');
    equal(el.shadowRoot!.activeElement, tabs(el)[2]);
    await key('ArrowRight');
    equal(body(el), 'health');
    await key('End');
    equal(body(el), 'csv');
    await key('Home');
    equal(body(el), 'health');
    equal(tabs(el).filter((t) => t.tabIndex === 0).length, 1, 'one tab stop');
  });

  it('speaks the panel language', async () => {
    const el = await fixture<AdminTools>(html`<so-admin-tools lang="nb" .tools=${TOOLS}></so-admin-tools>`);
    equal(tabs(el)[1]!.textContent!.trim(), 'Undo (nb)');
    ok(el.shadowRoot!.textContent!.includes('health in nb'));
  });

  it('lets a tool say it changed links, out through the shadow root', async () => {
    const seen: Event[] = [];
    const el = await fixture<AdminTools>(html`<div @links-changed=${(e: Event) => seen.push(e)}><so-admin-tools .tools=${TOOLS}></so-admin-tools></div>`);
    el.querySelector('so-admin-tools')!.shadowRoot!.querySelector('[data-body]')!.dispatchEvent(new LinksChangedEvent());
    equal(seen.length, 1);
  });
});
