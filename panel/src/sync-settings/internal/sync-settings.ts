import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import '../../associate-list/associate-list.js';
import '../../mailbox-list/mailbox-list.js';
import '../../linked-user-list/linked-user-list.js';
import '../../invite-manager/invite-manager.js';
import type { SelectionChangeEvent } from '../../data-list/data-list.js';
import { PanelApi, errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { runPopup, type PopupMessage } from '../../api/popup.js';
import { SessionStore } from '../../api/session-store.js';
import { runSilentSignIn } from '../../api/silent-signin.js';
import { ActionRunner } from '../../controls/action-runner.js';
import { langFromLani, pick, type Lang } from '../../i18n/locale.js';
import type { Associate } from '../../logic/types.js';
import { syncSettingsStrings, type SyncSettingsStrings } from '../sync-settings.strings.js';
import { styles } from '../sync-settings.styles.js';
import { LinkActions, type LinkAction } from './link-actions.js';
import { LinkRemoval, type RemoveAction } from './link-removal.js';
import { MailboxLoader, type LoadAction } from './mailbox-loader.js';
import { Session, type SessionAction } from './session.js';
import { SyncActions, type SyncAction } from './sync-actions.js';
import { SyncWindow, type SyncSettingsAction } from './sync-window.js';
import { TenantSettings, type TenantAction } from './tenant-settings.js';

/** The actions a message can belong to: each controller's own. */
export type Action = SessionAction | TenantAction | LoadAction | LinkAction | RemoveAction | SyncAction | SyncSettingsAction;

/** What the panel shows below its header: the lists and actions, or the Token Authentication Manager. */
type View = 'main' | 'invites';

/** Constructed, not inline, so the panel's CSP (style-src 'self') allows it. */
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync('html, body { margin: 0; height: 100%; background: #fff; }');

/**
 * The User Synchronization Settings panel: signs the user in through the SuperOffice popup (or
 * the onsite ticket in the URL), then shows the associates, the Microsoft 365 mailboxes and the
 * linked users, with the panel's actions (Load External Users, Auto Link Users, Link User, Save
 * Added Users, Save Users Options, Remove Selected Users). It owns the data and is the only
 * element that calls the API for them; the lists below it only render and report intents.
 *
 * Mailbox authorization: shows the tenant mode (Application or OAuth) and the invite lifetime;
 * administrators change them (the mode after a confirmation dialog that says what changes). In
 * OAuth mode administrators open the Token Authentication Manager (`so-invite-manager`, which
 * manages invites and authorizations through the same API client) in place of the lists, and the
 * linked users show their authorization.
 *
 * Reads `ctx` (tenant), `uid`, `lang` and `usec` (onsite ticket) from `search` once, when first
 * connected. Provides {@link PanelApi} to descendants through {@link panelApiContext}.
 *
 * The shell composes one controller per job: {@link Session} (sign-in), {@link TenantSettings}
 * (connection, mode, invite lifetime), {@link MailboxLoader} (Load External Users),
 * {@link LinkActions} (linking and saving), {@link LinkRemoval} (Remove Selected Users),
 * {@link SyncActions} (Sync now, Resume synchronization after the circuit breaker),
 * {@link SyncWindow} (the synchronizer's date window, conflict winner and time zone), all
 * running their buttons through one {@link ActionRunner}.
 */
export class SyncSettings extends LitElement {
  static override styles = styles;

  /** The API client; provided to descendants. Replace it (e.g. in tests) before connecting. */
  @provide({ context: panelApiContext })
  @property({ attribute: false })
  api: PanelClient = new PanelApi();

  /** Opens a sign-in or consent popup and resolves with its message (replaceable in tests). */
  @property({ attribute: false }) popup: (url: string | Promise<string>) => Promise<PopupMessage> = (url) => runPopup(url);

  /** Signs in in a hidden frame when SuperOffice's sign-in session is alive (replaceable in tests). */
  @property({ attribute: false }) silent: (url: string) => Promise<PopupMessage> = (url) => runSilentSignIn(url);

  /** Where the tab keeps the panel session across reloads (replaceable in tests). */
  @property({ attribute: false }) sessionStore = new SessionStore();

  /** The query string SuperOffice opened the panel with; `location.search` when not set. */
  @property({ attribute: false }) search: string | null = null;

  @state() private ctx = '';
  @state() private uiLang: Lang = 'en';
  @state() private associates: readonly Associate[] = [];
  @state() private selAssociates: ReadonlySet<string> = new Set();
  @state() private view: View = 'main';

  /** Where focus goes after the next render (switching views). */
  private focusNext: string | null = null;
  private started = false;

  private readonly runner: ActionRunner<Action> = new ActionRunner<Action>(this, {
    clears: 'own',
    fail: (action, err) => {
      // Our session ended (expired, or signed out elsewhere): back to "Sign in", keeping unsaved links.
      if (!this.session.endedBy(err)) this.runner.say(action, errorText(err), true);
    },
  });

  private readonly session = new Session(this, {
    api: () => this.api,
    popup: () => this.popup,
    silent: () => this.silent,
    store: () => this.sessionStore,
    tenant: () => this.ctx,
    runner: this.runner,
    strings: () => this.s,
  });

  private readonly settings = new TenantSettings(this, {
    api: () => this.api,
    popup: () => this.popup,
    isAdmin: () => this.session.isAdmin,
    strings: () => this.s,
    runner: this.runner,
    openInvites: () => this.openInvites(),
    afterModeChange: async () => {
      // The links' authorization follows the mode, and the loaded mailboxes were listed for the
      // other mode: load them again rather than link from a stale list.
      this.linking.refreshed(await this.api.links());
      this.linking.forgetSummary();
      return this.loader.clear();
    },
    renderRoot: () => this.renderRoot,
  });

  private readonly loader = new MailboxLoader(this, {
    api: () => this.api,
    strings: () => this.s,
    lang: () => this.uiLang,
    runner: this.runner,
  });

  private readonly linking = new LinkActions(this, {
    api: () => this.api,
    isAdmin: () => this.session.isAdmin,
    strings: () => this.s,
    runner: this.runner,
    selectedAssociates: () => this.associates.filter((a) => this.selAssociates.has(String(a.associateId))),
    mailboxes: () => ({ all: this.loader.mailboxes, selected: this.loader.selected(), kinds: this.loader.kinds }),
  });

  private readonly removal = new LinkRemoval(this, {
    api: () => this.api,
    strings: () => this.s,
    runner: this.runner,
    links: this.linking,
    renderRoot: () => this.renderRoot,
  });

  private readonly sync = new SyncActions(this, {
    api: () => this.api,
    strings: () => this.s,
    runner: this.runner,
    links: this.linking,
  });

  private readonly syncSettings = new SyncWindow(this, {
    api: () => this.api,
    strings: () => this.s,
    runner: this.runner,
    isAdmin: () => this.session.isAdmin,
    tenant: () => this.settings.tenant,
    saved: (tenant) => this.settings.show(tenant),
  });

  /** Loads the tenant, the linked users and (for administrators) the associates after each sign-in. */
  private data = new Task(this, {
    args: () => [this.session.user] as const,
    task: async ([user], { signal }) => {
      if (!user) return null;
      let loaded;
      try {
        loaded = await Promise.all([
          this.api.tenant(),
          this.api.links(signal),
          user.isAdmin ? this.api.associates(signal) : Promise.resolve([] as Associate[]),
        ]);
      } catch (err) {
        if (!this.session.endedBy(err)) throw err;
        return null;
      }
      const [tenant, links, associates] = loaded;
      this.settings.show(tenant);
      this.linking.reloaded(links);
      this.associates = associates;
      return tenant;
    },
  });

  private get s(): SyncSettingsStrings {
    return pick(syncSettingsStrings, this.uiLang);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('beforeunload', this.onBeforeUnload);
    // As the page itself (panel/index.html), fill the web panel's frame without the body's margin.
    if (this.parentNode === document.body && !document.adoptedStyleSheets.includes(pageSheet)) {
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, pageSheet];
    }
    if (this.started) return;
    this.started = true;
    const params = new URLSearchParams(this.search ?? location.search);
    this.ctx = params.get('ctx') ?? '';
    this.uiLang = langFromLani(params.get('lang'));
    this.lang = this.uiLang;
    this.api.lang = this.uiLang;
    const ticket = params.get('usec');
    if (ticket) void this.session.signInWithTicket(ticket);
    else void this.session.restore();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
  }

  /** The browser asks before leaving while added links or option edits are unsaved. */
  private onBeforeUnload = (e: BeforeUnloadEvent): void => {
    if (!this.linking.links.hasUnsavedChanges) return;
    e.preventDefault();
    e.returnValue = '';
  };

  protected override updated(): void {
    if (this.focusNext) {
      this.renderRoot.querySelector<HTMLElement>(this.focusNext)?.focus();
      this.focusNext = null;
    }
  }

  // ---- the Token Authentication Manager -----------------------------------------------------------

  private openInvites(): void {
    if (this.runner.busy) return;
    this.runner.clear('tam');
    this.view = 'invites';
    this.focusNext = 'button[data-action="back"]';
  }

  /** Back to the lists, with the links' authorizations and the tenant as they are now. */
  private closeInvites = (): Promise<void> => {
    this.view = 'main';
    this.focusNext = 'button[data-action="tam"]';
    return this.runner.run('tam', async () => {
      const [tenant, links] = await Promise.all([this.api.tenant(), this.api.links()]);
      this.settings.show(tenant);
      this.linking.refreshed(links);
    });
  };

  // ---- rendering --------------------------------------------------------------------------------

  override render(): TemplateResult {
    return html`
      <header>
        <h1>${this.s.title}</h1>
        ${this.renderWho()}
      </header>
      ${this.session.user ? this.renderMain() : nothing}
    `;
  }

  private renderWho(): TemplateResult {
    const s = this.s;
    const user = this.session.user;
    if (!user) {
      const signingIn = this.runner.busy === 'signIn';
      return html`<p role="status">${signingIn ? s.signingIn : s.notSignedIn}</p>
        <span class="action">
          <button type="button" class="primary" ?disabled=${signingIn} @click=${this.session.signIn}>${s.signIn}</button>
          ${this.runner.message('signIn')}
        </span>`;
    }
    return html`<p role="status" data-who>${user.isAdmin ? s.signedInAdmin(user.name) : s.signedInReadOnly(user.name)}</p>
      <span class="action">
        <button type="button" data-action="signOut" ?disabled=${!this.runner.idle} @click=${this.session.signOut}>${s.signOut}</button>
        ${this.runner.message('signOut')}
      </span>`;
  }

  private renderMain(): TemplateResult {
    const s = this.s;
    const admin = this.session.isAdmin;
    const links = this.linking.links;
    const linkedAssociates = new Map(links.existing().map((l) => [l.associateId, l.mailboxAddress]));
    const linkedMailboxes = new Map(links.existing().map((l) => [l.mailboxId, l.associateName]));
    const busy = this.runner.busy;
    const inInvites = this.view === 'invites' && admin && this.settings.oauth;
    return html`
      <div class="view" data-view="main" ?hidden=${inInvites}>
        ${admin ? nothing : html`<p class="note" data-readonly>${s.readOnly}</p>`}
        ${this.data.render({
          pending: () => html`<p class="status" role="status">${s.loading}</p>`,
          error: (err) => html`<p role="alert" data-for="data">${errorText(err)}</p>`,
          complete: () => html`${this.settings.render()} ${this.syncSettings.render()}`,
        })}
        ${this.renderActions(admin)}
        <div class="messages">${this.linking.renderSummary()}</div>
        <div class="lists" role="group" aria-label=${s.lists}>
          <so-associate-list
            lang=${this.uiLang}
            .associates=${this.associates}
            .linkedTo=${linkedAssociates}
            .selection=${this.selAssociates}
            ?busy=${this.data.status === TaskStatus.PENDING}
            @selection-change=${(e: SelectionChangeEvent) => (this.selAssociates = e.selection)}
          ></so-associate-list>
          <so-mailbox-list
            lang=${this.uiLang}
            .mailboxes=${this.loader.mailboxes}
            .kinds=${this.loader.kinds}
            .linkedTo=${linkedMailboxes}
            .selection=${this.loader.selection}
            ?busy=${this.loader.loading}
            @selection-change=${(e: SelectionChangeEvent) => this.loader.select(e.selection)}
          ></so-mailbox-list>
          <so-linked-user-list
            lang=${this.uiLang}
            .links=${links.rows()}
            .selection=${this.linking.selection}
            ?oauth=${this.settings.oauth}
            ?readonly=${!admin}
            ?busy=${busy === 'saveAdded' || busy === 'saveOptions' || busy === 'remove' || busy === 'syncNow' || busy === 'resume'}
            @selection-change=${(e: SelectionChangeEvent) => this.linking.select(e.selection)}
            @link-options-change=${this.linking.onOptionsChange}
            @link-rank-edit=${this.linking.onRankEdit}
          ></so-linked-user-list>
        </div>
        ${this.removal.renderDialog()} ${this.settings.renderDialog()}
      </div>
      ${inInvites
        ? html`<div class="view" data-view="invites">
            <div class="bar">
              <button type="button" data-action="back" @click=${this.closeInvites}>${s.backToSettings}</button>
            </div>
            <so-invite-manager
              lang=${this.uiLang}
              .associates=${this.associates}
              .tenant=${this.settings.tenant}
              .selection=${this.selAssociates}
            ></so-invite-manager>
          </div>`
        : nothing}
    `;
  }

  private renderActions(admin: boolean): TemplateResult {
    const s = this.s;
    const m = (action: Action) => this.runner.message(action);
    const idle = admin && this.runner.idle;
    const unsaved = this.linking.links.unsavedCount;
    const edits = this.linking.links.editedCount;
    return html`<div class="bar" role="toolbar" aria-label=${s.actions}>
        <span class="action">
          <button type="button" data-action="load" ?disabled=${!idle || !this.settings.connected} @click=${this.loader.load}>${s.loadExternal}</button>
          ${this.loader.renderProgress()}
        </span>
        <button type="button" data-action="autoLink" ?disabled=${!idle} @click=${this.linking.autoLink}>${s.autoLink}</button>
        <button type="button" data-action="linkUser" ?disabled=${!idle} @click=${this.linking.linkUser}>${s.linkUser}</button>
        <button type="button" data-action="saveAdded" class=${unsaved > 0 && idle ? 'primary' : ''} ?disabled=${!idle || unsaved === 0} @click=${this.linking.saveAdded}>
          ${s.saveAdded}
        </button>
        <button type="button" data-action="saveOptions" ?disabled=${!idle} @click=${this.linking.saveOptions}>${s.saveOptions}</button>
        <button type="button" data-action="remove" ?disabled=${!idle} @click=${this.removal.removeSelected}>${s.removeSelected}</button>
        ${admin
          ? html`<button type="button" data-action="syncNow" ?disabled=${!idle} @click=${this.sync.syncNow}>${s.syncNow}</button>
              <button type="button" data-action="resume" ?disabled=${!idle} @click=${this.sync.resume}>${s.resume}</button>`
          : nothing}
        <span class="status" role="status" data-unsaved>${s.unsaved(unsaved, edits)}</span>
      </div>
      <div class="messages">
        ${m('load')} ${m('autoLink')} ${m('linkUser')} ${m('saveAdded')} ${m('saveOptions')} ${this.linking.renderReload()} ${m('remove')} ${m('syncNow')} ${m('resume')}
      </div>`;
  }
}
