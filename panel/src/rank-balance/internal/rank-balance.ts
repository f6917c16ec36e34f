import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { consume } from '@lit/context';
import { PanelApiError, errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { pick, type Lang } from '../../i18n/locale.js';
import { LinksChangedEvent } from '../../admin-tools/tools.js';
import type { RankLoadAnswer, RankProposal } from '../../../../backend/contract.js';
import { rankBalanceStrings } from '../rank-balance.strings.js';

type RankClient = Pick<PanelClient, 'send'>;

/**
 * Server Rank balancing: per rank its users, items in sync, Graph requests and 429s of the last
 * day (GET /ranks); the administrator chooses ranks and asks for a proposal (POST
 * /ranks/proposal, which changes nothing), sees the moves and the spread before and after, and
 * applies them as one Save Users Options (PATCH /links, all or nothing, each move with its
 * expectedVersion). A 409 VersionConflict says so and offers to propose again.
 *
 * @fires links-changed - after the moves were applied.
 */
export class RankBalance extends LitElement {
  static override styles = css`
    :host { display: block; font: inherit; }
    table { border-collapse: collapse; margin: 0.5rem 0; }
    th, td { padding: 0.25rem 0.75rem; text-align: end; border-bottom: 1px solid #ddd; }
    th:first-child, td:first-child { text-align: start; }
    fieldset { border: 1px solid #ccc; margin: 0.5rem 0; }
    label { margin-inline-end: 0.75rem; white-space: nowrap; }
    [role='alert'] { color: #a00; }
  `;

  @property({ reflect: true }) override lang: Lang = 'en';
  /** The API client: from the app shell's context, or set directly. */
  @consume({ context: panelApiContext, subscribe: true })
  @property({ attribute: false })
  api?: RankClient;

  @state() private load: RankLoadAnswer | null = null;
  @state() private chosen: ReadonlySet<number> = new Set();
  @state() private proposal: RankProposal | null = null;
  @state() private busy = false;
  @state() private message: { text: string; error: boolean; again?: boolean } | null = null;

  private get s() {
    return pick(rankBalanceStrings, this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('api') && this.api && this.load === null && !this.busy) void this.reload();
  }

  private async run(work: (api: RankClient) => Promise<void>): Promise<void> {
    if (!this.api || this.busy) return;
    this.busy = true;
    try {
      await work(this.api);
    } catch (err) {
      const conflict = err instanceof PanelApiError && err.code === 'VersionConflict';
      this.message = conflict ? { text: this.s.conflict, error: true, again: true } : { text: errorText(err), error: true };
    } finally {
      this.busy = false;
    }
  }

  async reload(): Promise<void> {
    await this.run(async (api) => {
      const load = await api.send<RankLoadAnswer>('GET', '/ranks');
      this.load = load;
      if (this.chosen.size === 0) this.chosen = new Set(load.ranks.map((r) => r.rank));
    });
  }

  private async propose(): Promise<void> {
    if (this.chosen.size === 0) {
      this.message = { text: this.s.chooseOne, error: true };
      return;
    }
    this.message = null;
    this.proposal = null;
    await this.run(async (api) => {
      this.proposal = await api.send<RankProposal>('POST', '/ranks/proposal', { ranks: [...this.chosen].sort((a, b) => a - b) });
      if (this.proposal.moves.length === 0) this.message = { text: this.s.noMoves, error: false };
    });
  }

  private async apply(): Promise<void> {
    const p = this.proposal;
    if (!p || p.moves.length === 0) return;
    await this.run(async (api) => {
      const changes = p.moves.map((m) => ({ id: m.id, diary: m.diary, task: m.task, contact: m.contact, rank: m.toRank, expectedVersion: m.expectedVersion }));
      await api.send('PATCH', '/links', { changes });
      this.proposal = null;
      this.message = { text: this.s.applied(changes.length), error: false };
      this.dispatchEvent(new LinksChangedEvent());
      this.load = await api.send<RankLoadAnswer>('GET', '/ranks');
    });
  }

  private toggle(rank: number, on: boolean): void {
    const next = new Set(this.chosen);
    if (on) next.add(rank);
    else next.delete(rank);
    this.chosen = next;
    this.proposal = null;
  }

  /** A rank typed in (1–99) joins the choice, e.g. a new worker's rank with no users yet. */
  private addRank(input: HTMLInputElement): void {
    const n = Number(input.value);
    if (Number.isInteger(n) && n >= 1 && n <= 99) this.toggle(n, true);
    input.value = '';
  }

  override render() {
    const s = this.s;
    const ranks = [...new Set([...(this.load?.ranks.map((r) => r.rank) ?? []), ...this.chosen])].sort((a, b) => a - b);
    return html`
      <h2>${s.title}</h2>
      <p>${s.intro}</p>
      ${this.load === null
        ? html`<p role="status">${s.loading}</p>`
        : html`<table aria-label=${s.title}>
            <thead><tr><th scope="col">${s.rank}</th><th scope="col">${s.users}</th><th scope="col">${s.items}</th><th scope="col">${s.requests}</th><th scope="col">${s.throttled}</th></tr></thead>
            <tbody>
              ${this.load.ranks.map((r) => html`<tr data-rank=${r.rank}><td>${r.rank}</td><td>${r.users}</td><td>${r.itemsInSync}</td><td>${r.graphRequests}</td><td>${r.throttled}</td></tr>`)}
            </tbody>
          </table>`}
      <fieldset>
        <legend>${s.choose}</legend>
        ${ranks.map(
          (r) => html`<label><input type="checkbox" data-choose=${r} .checked=${this.chosen.has(r)} @change=${(e: Event) => this.toggle(r, (e.target as HTMLInputElement).checked)} /> ${r}</label>`,
        )}
        <label>${s.rank} <input type="number" min="1" max="99" data-add-rank @change=${(e: Event) => this.addRank(e.target as HTMLInputElement)} /></label>
      </fieldset>
      <button type="button" data-propose ?disabled=${this.busy} @click=${() => this.propose()}>${s.propose}</button>
      ${this.proposal && this.proposal.moves.length > 0 ? this.renderProposal(this.proposal) : nothing}
      ${this.message
        ? html`<p role=${this.message.error ? 'alert' : 'status'} data-message>${this.message.text}
            ${this.message.again ? html`<button type="button" data-again @click=${() => this.propose()}>${s.proposeAgain}</button>` : nothing}</p>`
        : nothing}
    `;
  }

  private renderProposal(p: RankProposal) {
    const s = this.s;
    return html`
      <h3>${s.moves}</h3>
      <p data-spread>${s.spread(p.before.spread, p.after.spread)}</p>
      <table aria-label=${s.moves}>
        <thead><tr><th scope="col">${s.user}</th><th scope="col">${s.from}</th><th scope="col">${s.to}</th><th scope="col">${s.load}</th></tr></thead>
        <tbody>${p.moves.map((m) => html`<tr data-move=${m.id}><td>${m.associateName}</td><td>${m.fromRank}</td><td>${m.toRank}</td><td>${m.load}</td></tr>`)}</tbody>
      </table>
      <button type="button" data-apply ?disabled=${this.busy} @click=${() => this.apply()}>${s.apply}</button>
    `;
  }
}
