import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { langFromLani, pick, type Lang } from '../../i18n/locale.js';
import type { InviteAccepted, InviteOpened } from '../../logic/types.js';
import { acceptPageStrings, type AcceptPageStrings } from '../accept-page.strings.js';
import { styles } from '../accept-page.styles.js';
import { InviteApi, InviteApiError } from '../invite-api.js';
import { InviteSession, takeFragment } from '../invite-session.js';

/** An error answer of the invite endpoint or the sign-in callback, as the page shows it. */
interface Problem {
  status: number;
  code: string;
  message: string;
}

type View =
  | { kind: 'loading' }
  /** No invite in the URL or in this tab (`malformed`: the fragment was there but cut short). */
  | { kind: 'missing'; malformed: boolean }
  /** The invite can't be used (not found, expired, revoked, used), or open failed (`retry`). */
  | { kind: 'closed'; problem: Problem; retry: boolean }
  /** The invite and its sign-in; `problem`: why the last sign-in came back refused. */
  | { kind: 'invite'; opened: InviteOpened; busy: boolean; problem: Problem | null }
  | { kind: 'accepted'; result: InviteAccepted };

/** Codes after which the invite is gone for good: the page forgets it. */
const FINAL = new Set(['InviteNotFound', 'InviteExpired', 'InviteRevoked', 'InviteAlreadyUsed']);
/** Refusals that only a sign-in with another account can fix: that becomes the one way on. */
const ANOTHER_ACCOUNT = new Set(['MailboxMismatch', 'WrongOrganisation']);

function problemOf(err: unknown): Problem {
  if (err instanceof InviteApiError) return { status: err.status, code: err.code, message: err.message };
  return { status: 0, code: 'Unexpected', message: err instanceof Error ? err.message : String(err) };
}

/**
 * The invite accept page of the Token Authentication Manager: a top-level page where an invited
 * mailbox owner signs in with Microsoft and so authorizes the app for their mailbox.
 *
 * On connect it takes `#invite=<token>` from the address bar (and removes it at once), keeps the
 * token in sessionStorage and shows the invite (`POST open`). Sign in leaves for
 * `signIn.authorizeUrl` (authorization code + PKCE; the backend holds the verifier, redeems the
 * code at its callback and records the owner's grant); Microsoft's account picker is
 * `anotherAccountUrl`. The callback sends the browser back here with `#accepted=<mailbox>` or
 * `#error=<code>`: accepted ends the page; a refusal opens the invite again (a fresh state) and
 * says why, in plain words, with the way on. Statuses are announced through `role="status"`,
 * errors through `role="alert"`.
 */
export class InviteAccept extends LitElement {
  static override styles = styles;

  /** `en` or `nb`; by default from the browser's language (nb/nn/no → nb). */
  @property({ reflect: true }) override lang: Lang = langFromLani(globalThis.navigator?.language);
  /** The public invite endpoint. */
  @property({ attribute: false }) api: InviteApi = new InviteApi();
  /** What survives the round trip to Microsoft. */
  @property({ attribute: false }) session: InviteSession = new InviteSession();
  /** Leaves the page for Microsoft's sign-in (tests stay on the page). */
  @property({ attribute: false }) navigate: (url: string) => void = (url) => window.location.assign(url);

  @state() private view: View = { kind: 'loading' };
  private started = false;

  private get s(): AcceptPageStrings {
    return pick(acceptPageStrings, this.lang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('pageshow', this.onPageShow);
    if (!this.started) {
      this.started = true;
      void this.start();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.onPageShow);
  }

  /**
   * Back from Microsoft's page with the browser's Back button, the page may come out of the
   * back/forward cache as it was left: "Opening Microsoft sign-in…" with the buttons disabled.
   */
  private readonly onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted && this.view.kind === 'invite' && this.view.busy) this.view = { ...this.view, busy: false };
  };

  private async start(): Promise<void> {
    // Ours first: a fresh link's secret (or the callback's outcome) leaves the address bar before anything else runs.
    const fragment = takeFragment();
    switch (fragment.kind) {
      case 'malformed':
        this.session.clear();
        this.view = { kind: 'missing', malformed: true };
        return;
      case 'token':
        this.session.token = fragment.token;
        await this.open();
        return;
      case 'accepted': {
        // Done: the invite is used up, nothing of it stays in this tab.
        this.session.clear();
        const { mailboxAddress, displayName, account } = fragment;
        this.view = { kind: 'accepted', result: { mailboxAddress, displayName, account } };
        return;
      }
      case 'error': {
        const problem: Problem = { status: 0, code: fragment.code, message: '' };
        if (FINAL.has(problem.code) || !this.session.token) {
          // Gone for good, or signed in from another tab than the one holding the invite.
          if (FINAL.has(problem.code)) this.session.clear();
          this.view = { kind: 'closed', problem, retry: false };
          return;
        }
        // A fresh opening (new state and nonce) to sign in again from.
        await this.open(problem);
        return;
      }
      case 'none':
        break;
    }
    if (!this.session.token) {
      this.view = { kind: 'missing', malformed: false };
      return;
    }
    // Reloaded, or back from Microsoft with the Back button: the invite again, with a fresh opening.
    await this.open();
  }

  /** `POST open`: shows the invite with its sign-in; null when it can't be used. */
  private async open(problem: Problem | null = null): Promise<InviteOpened | null> {
    const token = this.session.token;
    if (!token) {
      this.view = { kind: 'missing', malformed: false };
      return null;
    }
    this.view = { kind: 'loading' };
    try {
      const opened = await this.api.open(token);
      this.view = { kind: 'invite', opened, busy: false, problem };
      return opened;
    } catch (err) {
      const failed = problemOf(err);
      const final = FINAL.has(failed.code);
      if (final) this.session.clear();
      this.view = { kind: 'closed', problem: failed, retry: !final };
      return null;
    }
  }

  /** Leaves for Microsoft: the invited account hinted, or (`pickAccount`) Microsoft's account picker. */
  private signIn(opened: InviteOpened, pickAccount = false): void {
    const url = pickAccount ? opened.signIn.anotherAccountUrl : opened.signIn.authorizeUrl;
    if (!url) {
      this.view = { kind: 'invite', opened, busy: false, problem: { status: 0, code: 'Unexpected', message: '' } };
      return;
    }
    this.view = { kind: 'invite', opened, busy: true, problem: null };
    this.navigate(url);
  }

  private message(problem: Problem, opened?: InviteOpened): string {
    if (problem.code === 'MailboxMismatch' && opened) return this.s.mailboxMismatch(opened.email);
    return this.s.errors[problem.code] ?? (problem.message || this.s.genericError);
  }

  override render(): TemplateResult {
    const s = this.s;
    return html`<main>
      <h1>${s.title}</h1>
      <p role="status" class="status">${this.statusText()}</p>
      ${this.body()}
    </main>`;
  }

  private statusText(): TemplateResult | string | typeof nothing {
    const s = this.s;
    const v = this.view;
    switch (v.kind) {
      case 'loading':
        return s.loading;
      case 'invite':
        return v.busy ? s.redirecting : nothing;
      case 'accepted':
        return html`<strong>${s.accepted(v.result.mailboxAddress)}</strong> ${s.acceptedDetail}`;
      default:
        return nothing;
    }
  }

  private body(): TemplateResult | typeof nothing {
    const s = this.s;
    const v = this.view;
    switch (v.kind) {
      case 'loading':
        return nothing;
      case 'missing':
        return html`<p role="alert" class="error">${v.malformed ? s.malformed : s.noInvite}</p>`;
      case 'closed':
        return html`<p role="alert" class="error" data-code=${v.problem.code}>${this.message(v.problem)}</p>
          ${v.retry ? html`<div class="actions"><button type="button" @click=${() => void this.open()}>${s.tryAgain}</button></div>` : nothing}`;
      case 'invite':
        return this.invite(v);
      case 'accepted':
        return v.result.account && v.result.account.toLowerCase() !== v.result.mailboxAddress.toLowerCase()
          ? html`<p class="dim">${s.acceptedAccount(v.result.account)}</p>`
          : nothing;
    }
  }

  private invite(v: Extract<View, { kind: 'invite' }>): TemplateResult {
    const s = this.s;
    const another = v.problem !== null && ANOTHER_ACCOUNT.has(v.problem.code);
    return html`${this.details(v.opened)}
      ${v.problem ? html`<p role="alert" class="error" data-code=${v.problem.code}>${this.message(v.problem, v.opened)}</p>` : nothing}
      <p class="dim" data-sign-in-accepts>${s.signInAccepts}</p>
      <div class="actions">
        ${another
          ? html`<button type="button" class="primary" data-action="sign-in-again" ?disabled=${v.busy} @click=${() => this.signIn(v.opened, true)}>
              ${s.signInAnother}
            </button>`
          : html`<button type="button" class="primary" data-action="sign-in" ?disabled=${v.busy} @click=${() => this.signIn(v.opened)}>${s.signIn}</button>
              <button type="button" data-action="use-another" ?disabled=${v.busy} @click=${() => this.signIn(v.opened, true)}>${s.useAnother}</button>`}
      </div>`;
  }

  /** Who invited whom, in which organisation. */
  private summary(o: InviteOpened): TemplateResult {
    const s = this.s;
    return html`<p class="org"><span class="label">${s.organisation}</span> <strong>${o.organisation}</strong></p>
      <p data-invited>${s.invitedYou(o.invitedBy, o.associateName, o.email)}</p>`;
  }

  private details(o: InviteOpened): TemplateResult {
    const s = this.s;
    const rows: [string, boolean | null][] = [
      [s.diary, o.sync ? o.sync.diary : null],
      [s.task, o.sync ? o.sync.task : null],
      [s.contact, o.sync ? o.sync.contact : null],
    ];
    return html`${this.summary(o)}
      <section aria-labelledby="sync-title">
        <h2 id="sync-title">${s.syncTitle}</h2>
        <p>${o.sync ? s.syncBySettings : s.adminChooses}</p>
        <ul class="sync">
          ${rows.map(
            ([label, on]) =>
              html`<li><span>${label}</span>${on === null ? nothing : html` <span class="state" data-on=${on}>${on ? s.on : s.off}</span>`}</li>`,
          )}
        </ul>
      </section>
      <p data-expires>${s.expires(this.formatDate(o.expiresAt))}</p>
      <p data-account>${o.allowOtherMailbox ? s.mayUseOther(o.email) : s.mustSignInAs(o.email)}</p>`;
  }

  private formatDate(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return iso;
    return new Intl.DateTimeFormat(this.lang === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'long', timeStyle: 'short' }).format(date);
  }
}
