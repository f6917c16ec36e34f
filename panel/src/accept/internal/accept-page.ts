import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { langFromLani, pick, type Lang } from '../../i18n/locale.js';
import type { InviteAccepted, InviteOpened } from '../../logic/types.js';
import { acceptPageStrings, type AcceptPageStrings } from '../accept-page.strings.js';
import { styles } from '../accept-page.styles.js';
import { InviteApi, InviteApiError } from '../invite-api.js';
import { InviteSession, takeInviteFromFragment } from '../invite-session.js';
import type { SignInClient, SignedIn } from '../sign-in-client.js';

/** An error answer of the invite endpoints, as the page shows it. */
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
  | { kind: 'invite'; opened: InviteOpened; busy: boolean; signInError: string | null }
  | { kind: 'signed-in'; opened: InviteOpened; account: SignedIn; busy: boolean; problem: Problem | null }
  | { kind: 'accepted'; result: InviteAccepted };

/** Codes after which the invite is gone for good: the page forgets it. */
const FINAL = new Set(['InviteNotFound', 'InviteExpired', 'InviteRevoked', 'InviteAlreadyUsed']);
/** Accept errors that a sign-in with another (or the same, fresh) account can fix. */
const SIGN_IN_AGAIN = new Set(['MailboxMismatch', 'WrongOrganisation', 'InvalidIdToken', 'SignInAgain']);

function problemOf(err: unknown): Problem {
  if (err instanceof InviteApiError) return { status: err.status, code: err.code, message: err.message };
  return { status: 0, code: 'Unexpected', message: err instanceof Error ? err.message : String(err) };
}

/** MSAL errors carry `errorCode` (e.g. `access_denied`, `user_cancelled`); others a message. */
function signInErrorDetail(err: unknown): string {
  const e = err as { errorCode?: unknown; message?: unknown } | null;
  if (e && typeof e.errorCode === 'string' && e.errorCode) return e.errorCode;
  return e && typeof e.message === 'string' && e.message ? e.message : String(err);
}

/**
 * What to say when the sign-in did not complete. `consent_required` (AADSTS65001) means the
 * organisation lets no user consent and no administrator approved the app's delegated permissions:
 * signing in again cannot help, an administrator must approve it first.
 */
function signInFailure(s: AcceptPageStrings, err: unknown): string {
  if ((err as { errorCode?: unknown } | null)?.errorCode === 'consent_required') return s.needsAdminApproval;
  return s.signInFailed(signInErrorDetail(err));
}

/**
 * The invite accept page of the Token Authentication Manager: a top-level page where an invited
 * mailbox owner signs in with Microsoft (redirect flow) and authorizes the app for their mailbox.
 *
 * On connect it takes `#invite=<token>` from the address bar (and removes it at once), or, coming
 * back from Microsoft, finishes the sign-in with the invite kept in sessionStorage; then it shows
 * the invite (`POST open`), signs in, and on Accept sends the ID token (`POST accept`).
 * Statuses are announced through `role="status"`, errors through `role="alert"`.
 */
export class InviteAccept extends LitElement {
  static override styles = styles;

  /** `en` or `nb`; by default from the browser's language (nb/nn/no → nb). */
  @property({ reflect: true }) override lang: Lang = langFromLani(globalThis.navigator?.language);
  /** Microsoft sign-in (the real one wraps MSAL; set before the element is connected). */
  @property({ attribute: false }) signInClient: SignInClient | null = null;
  /** The public invite endpoints. */
  @property({ attribute: false }) api: InviteApi = new InviteApi();
  /** What survives the round trip to Microsoft. */
  @property({ attribute: false }) session: InviteSession = new InviteSession();

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
   * back/forward cache as it was left: "Opening Microsoft sign-in…" with the button disabled.
   * (MSAL resets its own request state on the same event.)
   */
  private readonly onPageShow = (e: PageTransitionEvent): void => {
    if (e.persisted && this.view.kind === 'invite' && this.view.busy) this.view = { ...this.view, busy: false };
  };

  private client(): SignInClient {
    if (!this.signInClient) throw new Error('so-invite-accept needs a signInClient');
    return this.signInClient;
  }

  private async start(): Promise<void> {
    // A fresh link first: its secret leaves the address bar before anything else runs.
    const fragment = takeInviteFromFragment();
    if (fragment.kind === 'malformed') {
      this.session.clear();
      this.view = { kind: 'missing', malformed: true };
      return;
    }
    if (fragment.kind === 'token') {
      this.session.token = fragment.token;
      await this.open();
      return;
    }
    if (!this.session.token) {
      this.view = { kind: 'missing', malformed: false };
      return;
    }
    // Back from Microsoft: the settings the sign-in started with are kept (the nonce must match).
    const opened = this.session.opened;
    if (opened) {
      try {
        const account = await this.client().handleRedirect(opened.signIn);
        if (account) {
          this.view = { kind: 'signed-in', opened, account, busy: false, problem: null };
          return;
        }
      } catch (err) {
        await this.open(signInFailure(this.s, err));
        return;
      }
    }
    await this.open();
  }

  /** `POST open`: shows the invite with its sign-in button; null when it can't be used. */
  private async open(signInError: string | null = null): Promise<InviteOpened | null> {
    const token = this.session.token;
    if (!token) {
      this.view = { kind: 'missing', malformed: false };
      return null;
    }
    this.view = { kind: 'loading' };
    try {
      const opened = await this.api.open(token);
      this.view = { kind: 'invite', opened, busy: false, signInError };
      return opened;
    } catch (err) {
      const problem = problemOf(err);
      const final = FINAL.has(problem.code);
      if (final) this.session.clear();
      this.view = { kind: 'closed', problem, retry: !final };
      return null;
    }
  }

  private async signIn(opened: InviteOpened, pickAccount = false): Promise<void> {
    this.view = { kind: 'invite', opened, busy: true, signInError: null };
    // The page reloads on the way back; these settings (and their nonce) come with it.
    this.session.opened = opened;
    try {
      await this.client().signIn(opened.signIn, { pickAccount });
    } catch (err) {
      this.view = { kind: 'invite', opened, busy: false, signInError: signInFailure(this.s, err) };
    }
  }

  /** Another account, or the same one again: a fresh open (new nonce), then Microsoft. */
  private async signInAgain(): Promise<void> {
    const opened = await this.open();
    if (opened) await this.signIn(opened, true);
  }

  private async accept(): Promise<void> {
    const view = this.view;
    const token = this.session.token;
    if (view.kind !== 'signed-in' || view.busy) return;
    if (!token) {
      this.view = { kind: 'missing', malformed: false };
      return;
    }
    this.view = { ...view, busy: true, problem: null };
    try {
      const result = await this.api.accept(token, view.account.idToken);
      await this.forget(view.opened);
      this.view = { kind: 'accepted', result };
    } catch (err) {
      const problem = problemOf(err);
      if (FINAL.has(problem.code)) {
        await this.forget(view.opened);
        this.view = { kind: 'closed', problem, retry: false };
      } else {
        this.view = { ...view, busy: false, problem };
      }
    }
  }

  /** The invite is done with: its token and Microsoft's tokens leave this tab. */
  private async forget(opened: InviteOpened): Promise<void> {
    this.session.clear();
    await this.client()
      .clear(opened.signIn)
      .catch(() => undefined);
  }

  private message(problem: Problem, account?: SignedIn, opened?: InviteOpened): string {
    if (problem.code === 'MailboxMismatch' && account && opened) return this.s.mailboxMismatch(account.username, opened.email);
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
      case 'signed-in':
        return v.busy ? s.accepting : html`<strong>${s.signedInAs(v.account.name || v.account.username, v.account.username)}</strong>`;
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
        return html`${this.details(v.opened)}
          ${v.signInError ? html`<p role="alert" class="error">${v.signInError}</p>` : nothing}
          <div class="actions">
            <button type="button" class="primary" data-action="sign-in" ?disabled=${v.busy} @click=${() => void this.signIn(v.opened)}>${s.signIn}</button>
          </div>`;
      case 'signed-in':
        return this.signedIn(v);
      case 'accepted':
        return v.result.account && v.result.account.toLowerCase() !== v.result.mailboxAddress.toLowerCase()
          ? html`<p class="dim">${s.acceptedAccount(v.result.account)}</p>`
          : nothing;
    }
  }

  private signedIn(v: Extract<View, { kind: 'signed-in' }>): TemplateResult {
    const s = this.s;
    const again = v.problem !== null && SIGN_IN_AGAIN.has(v.problem.code);
    return html`${this.summary(v.opened)}
      ${v.problem
        ? html`<p role="alert" class="error" data-code=${v.problem.code}>${this.message(v.problem, v.account, v.opened)}</p>`
        : nothing}
      <div class="actions">
        ${again
          ? html`<button type="button" class="primary" data-action="sign-in-again" ?disabled=${v.busy} @click=${() => void this.signInAgain()}>
              ${s.signInAnother}
            </button>`
          : html`<button type="button" class="primary" data-action="accept" ?disabled=${v.busy} @click=${() => void this.accept()}>${s.accept}</button>
              <button type="button" data-action="use-another" ?disabled=${v.busy} @click=${() => void this.signInAgain()}>${s.useAnother}</button>`}
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
