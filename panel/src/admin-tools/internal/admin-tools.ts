import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { pick, type Lang } from '../../i18n/locale.js';
import { ADMIN_TOOLS, type AdminTool } from '../tools.js';

const strings: Readonly<Record<Lang, { tools: string; none: string }>> = {
  en: { tools: 'Administrator tools', none: 'No tools.' },
  nb: { tools: 'Administratorverktøy', none: 'Ingen verktøy.' },
};

/**
 * The administrator tools: one tab per tool in {@link ADMIN_TOOLS} (WAI-ARIA tabs: arrow keys
 * move between tabs, the chosen tab's panel shows its tool). Only the chosen tool is rendered, so
 * a tool loads its data when it is opened, not when the panel starts.
 */
export class AdminTools extends LitElement {
  static override styles = css`
    :host { display: block; }
    [role='tablist'] { display: flex; flex-wrap: wrap; gap: 0.25rem; border-bottom: 1px solid var(--so-panel-border, #c9d1d9); margin-bottom: 0.75rem; }
    [role='tab'] { font: inherit; border: 1px solid transparent; border-bottom: none; background: none; padding: 0.4rem 0.8rem; cursor: pointer; color: inherit; }
    [role='tab'][aria-selected='true'] { border-color: var(--so-panel-border, #c9d1d9); background: var(--so-panel-surface, #fff); font-weight: 600; margin-bottom: -1px; }
    [role='tab']:focus-visible { outline: 2px solid var(--so-panel-accent, #0b5fa5); outline-offset: 2px; }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The open tool's id; the first tool when unset or unknown. */
  @property() tool = '';
  /** The tools to offer (all of them unless set, e.g. in tests). */
  @property({ attribute: false }) tools: readonly AdminTool[] = ADMIN_TOOLS;

  /** Focus goes to the chosen tab after the next render (keyboard). */
  private focusTab = false;

  private get current(): AdminTool | undefined {
    return this.tools.find((t) => t.id === this.tool) ?? this.tools[0];
  }

  private choose(t: AdminTool, focus: boolean): void {
    this.tool = t.id;
    this.focusTab = focus;
  }

  private onKey = (e: KeyboardEvent): void => {
    const i = this.tools.indexOf(this.current!);
    const n = this.tools.length;
    const to = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    this.choose(this.tools[to]!, true);
  };

  protected override updated(): void {
    if (!this.focusTab) return;
    this.focusTab = false;
    this.renderRoot.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus();
  }

  override render(): TemplateResult {
    const s = pick(strings, this.lang);
    const current = this.current;
    if (!current) return html`<p>${s.none}</p>`;
    return html`<div role="tablist" aria-label=${s.tools} @keydown=${this.onKey}>
        ${this.tools.map(
          (t) => html`<button
            type="button"
            role="tab"
            id="tab-${t.id}"
            data-tool=${t.id}
            aria-selected=${t === current ? 'true' : 'false'}
            aria-controls="tool-panel"
            tabindex=${t === current ? 0 : -1}
            @click=${() => this.choose(t, false)}
          >
            ${pick(t.label, this.lang)}
          </button>`,
        )}
      </div>
      <section role="tabpanel" id="tool-panel" aria-labelledby="tab-${current.id}" data-tool-panel=${current.id}>${current.render(this.lang) ?? nothing}</section>`;
  }
}
