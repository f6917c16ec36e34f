import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { syncModal, trapTab } from '../../controls/modal.js';
import { pick, type Lang } from '../../i18n/locale.js';
import type { AutoLinkReport, AutoLinkResult, Candidate, Proposal } from '../../logic/auto-link.js';
import type { Mailbox } from '../../logic/types.js';
import { autoLinkReviewStrings, type AutoLinkReviewStrings, type ReviewCategory } from '../auto-link-review.strings.js';
import { styles } from '../auto-link-review.styles.js';

/** The administrator pressed Add: these proposals (the ticked ones) become unsaved links. */
export class AutoLinkAddEvent extends Event {
  static readonly eventName = 'auto-link-add';
  readonly proposals: Proposal[];

  constructor(proposals: Proposal[]) {
    super(AutoLinkAddEvent.eventName, { bubbles: true, composed: true });
    this.proposals = proposals;
  }
}

/** The administrator closed the review without adding anything (Cancel or Escape). */
export class AutoLinkCancelEvent extends Event {
  static readonly eventName = 'auto-link-cancel';

  constructor() {
    super(AutoLinkCancelEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Not linked for a reason the administrator can act on: shown first. */
const ATTENTION: readonly ReviewCategory[] = ['alreadyLinked', 'severalMatches', 'sharedMailbox', 'noExchangeMailbox', 'notUserMailbox', 'guestOrDisabled'];
/** Not linked, nothing to decide here: shown after the proposals. */
const INFO: readonly ReviewCategory[] = ['noMatch', 'noEmail', 'retired'];
/** Entries a section renders before "Show N more" (10,000 checkboxes at once would stall the dialog). */
const SHOWN = 100;

const address = (m: Mailbox): string => m.primaryAddress ?? m.addresses[0] ?? m.userPrincipalName ?? m.displayName;
const named = (m: Mailbox): string => `${m.displayName} (${address(m)})`;
/** Alias and UPN matches first (they need a look), each group in selection order. */
const reviewOrder = (proposals: readonly Proposal[]): Proposal[] => [
  ...proposals.filter((p) => p.matchedBy !== 'primary'),
  ...proposals.filter((p) => p.matchedBy === 'primary'),
];

/**
 * Auto Link Users as a review: a modal dialog listing each proposal with how it matched (primary
 * address; alias or UPN flagged for a check), each ticked, and every associate not linked with
 * the reason — the other side of an existing link, the candidates of several matches. The counts
 * stay above the list, which scrolls with a visible scrollbar; categories that need attention come
 * first. Open while `result` is set; the host clears it after either event.
 *
 * @fires auto-link-add - {@link AutoLinkAddEvent}: Add, with the ticked proposals.
 * @fires auto-link-cancel - {@link AutoLinkCancelEvent}: Cancel or Escape.
 */
export class AutoLinkReview extends LitElement {
  static override styles = styles;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** What Auto Link Users found; null closes the dialog. */
  @property({ attribute: false }) result: AutoLinkResult | null = null;

  /** Associate ids of the proposals the administrator unticked. */
  @state() private unticked: ReadonlySet<number> = new Set();
  /** Sections showing all their entries. */
  @state() private expanded: ReadonlySet<string> = new Set();

  private get s(): AutoLinkReviewStrings {
    return pick(autoLinkReviewStrings, this.lang);
  }

  /** The proposals that are ticked, in selection order. */
  get ticked(): Proposal[] {
    return (this.result?.proposals ?? []).filter((p) => !this.unticked.has(p.associate.associateId));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('result')) {
      this.unticked = new Set();
      this.expanded = new Set();
    }
  }

  protected override updated(): void {
    syncModal(this.renderRoot.querySelector('dialog'), this.result !== null);
  }

  override render(): TemplateResult {
    const result = this.result;
    return html`<dialog role="dialog" aria-modal="true" aria-labelledby="review-title" aria-describedby="review-counts" @cancel=${this.onCancel} @keydown=${trapTab}>
      <h2 id="review-title">${this.s.title}</h2>
      ${result ? this.renderContent(result) : nothing}
    </dialog>`;
  }

  private renderContent({ proposals, report }: AutoLinkResult): TemplateResult {
    const s = this.s;
    const ticked = this.ticked.length;
    const toCheck = proposals.filter((p) => p.matchedBy !== 'primary').length;
    const present = (list: readonly ReviewCategory[]) => list.filter((c) => report[c].length > 0);
    return html`<div class="counts" id="review-counts">
        <p data-proposed>${s.proposed(proposals.length, ticked, toCheck)}</p>
        <ul>
          ${[...present(ATTENTION), ...present(INFO)].map(
            (c) => html`<li data-count=${c} class=${ATTENTION.includes(c) ? 'attention' : ''}>
              <button type="button" class="link" @click=${() => this.jump(c)}>${s.categories[c]}: ${report[c].length}</button>
            </li>`,
          )}
        </ul>
      </div>
      <div class="body" tabindex="0" role="region" aria-label=${s.body}>
        ${present(ATTENTION).map((c) => this.renderCategory(c, report, true))} ${this.renderProposals(proposals)}
        ${present(INFO).map((c) => this.renderCategory(c, report, false))}
      </div>
      <div class="buttons">
        <button type="button" data-action="cancel" @click=${this.onCancel}>${s.cancel}</button>
        <button type="button" class="primary" data-action="add" ?disabled=${ticked === 0} @click=${this.onAdd}>${s.add(ticked)}</button>
      </div>`;
  }

  private renderProposals(proposals: readonly Proposal[]): TemplateResult | typeof nothing {
    if (proposals.length === 0) return nothing;
    const s = this.s;
    const ordered = reviewOrder(proposals);
    return html`<section data-category="linked" aria-labelledby="cat-linked">
      <h3 id="cat-linked">${s.proposals} (${proposals.length})</h3>
      <div class="bulk">
        <button type="button" data-action="tick-all" @click=${() => (this.unticked = new Set())}>${s.tickAll}</button>
        <button type="button" data-action="untick-all" @click=${() => (this.unticked = new Set(proposals.map((p) => p.associate.associateId)))}>${s.untickAll}</button>
      </div>
      <ul>
        ${this.capped('linked', ordered).map((p) => this.renderProposal(p))}
      </ul>
      ${this.renderMore('linked', ordered.length)}
    </section>`;
  }

  private renderProposal(p: Proposal): TemplateResult {
    const s = this.s;
    const id = p.associate.associateId;
    const email = p.associate.email?.trim() ?? '';
    const how = p.matchedBy === 'primary' ? s.byPrimary : p.matchedBy === 'alias' ? s.byAlias(email) : s.byUpn(email);
    return html`<li data-associate=${id} data-matched-by=${p.matchedBy}>
      <label>
        <input
          type="checkbox"
          .checked=${live(!this.unticked.has(id))}
          @change=${(e: Event) => this.tick(id, (e.target as HTMLInputElement).checked)}
        />
        <span class="pair">${s.pair(p.associate.name, p.link.mailboxAddress)}</span>
      </label>
      <span class="badge" data-tone=${p.matchedBy === 'primary' ? 'ok' : 'warn'}>${how}</span>
    </li>`;
  }

  private renderCategory(c: ReviewCategory, report: AutoLinkReport, attention: boolean): TemplateResult {
    const s = this.s;
    const entries = report[c] as AutoLinkReport[ReviewCategory];
    return html`<section data-category=${c} class=${attention ? 'attention' : ''} aria-labelledby="cat-${c}">
      <h3 id="cat-${c}">${s.categories[c]} (${entries.length})${attention ? html` <span class="badge" data-tone="warn">${s.attention}</span>` : nothing}</h3>
      <ul>
        ${this.capped(c, entries).map((e) => html`<li data-associate=${e.associate.associateId}><strong>${e.associate.name}</strong>${this.why(c, e)}</li>`)}
      </ul>
      ${this.renderMore(c, entries.length)}
    </section>`;
  }

  /** The reason after an associate's name, naming the other side or the candidates. */
  private why(c: ReviewCategory, e: AutoLinkReport[ReviewCategory][number]): string {
    const s = this.s;
    const list = (items: string[]) => items.join(', ');
    const refused = (candidates: Candidate[]) => s.candidates(list(candidates.map((x) => `${named(x.mailbox)}: ${s.refusals[x.reason]}`)));
    let text = '';
    if (c === 'alreadyLinked') {
      const a = e as AutoLinkReport['alreadyLinked'][number];
      text = a.by === 'associate' ? s.associateLinked(a.link.mailboxAddress) : s.mailboxLinked(a.link.mailboxAddress, a.link.associateName, a.link.associateId);
    } else if (c === 'severalMatches') {
      const a = e as AutoLinkReport['severalMatches'][number];
      text = s.severalMatches(a.email, list(a.mailboxes.map(named)));
    } else if (c === 'sharedMailbox') {
      const a = e as AutoLinkReport['sharedMailbox'][number];
      text = s.sharedMailbox(address(a.mailbox), list(a.others.map((o) => o.name)));
    } else if (c === 'noExchangeMailbox' || c === 'notUserMailbox' || c === 'guestOrDisabled') {
      text = refused((e as AutoLinkReport['guestOrDisabled'][number]).candidates);
    } else if (c === 'noMatch') {
      text = s.noMatch((e as AutoLinkReport['noMatch'][number]).email);
    }
    return text ? ` — ${text}` : '';
  }

  private capped<T>(section: string, entries: readonly T[]): readonly T[] {
    return this.expanded.has(section) ? entries : entries.slice(0, SHOWN);
  }

  private renderMore(section: string, total: number): TemplateResult | typeof nothing {
    if (this.expanded.has(section) || total <= SHOWN) return nothing;
    return html`<button type="button" class="link" data-more=${section} @click=${() => (this.expanded = new Set([...this.expanded, section]))}>
      ${this.s.showAll(total - SHOWN)}
    </button>`;
  }

  private tick(id: number, checked: boolean): void {
    const next = new Set(this.unticked);
    if (checked) next.delete(id);
    else next.add(id);
    this.unticked = next;
  }

  private jump(c: ReviewCategory): void {
    this.renderRoot.querySelector(`section[data-category="${c}"]`)?.scrollIntoView({ block: 'start' });
  }

  private onAdd = (): void => {
    this.dispatchEvent(new AutoLinkAddEvent(this.ticked));
  };

  private onCancel = (e?: Event): void => {
    e?.preventDefault();
    this.dispatchEvent(new AutoLinkCancelEvent());
  };
}
