import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import '../../associate-list/associate-list.js';
import '../../mailbox-list/mailbox-list.js';
import '../../linked-user-list/linked-user-list.js';
import '../../invite-manager/invite-manager.js';
import '../../invite-proposals/invite-proposals.js';
import type { LinkProposalsEvent } from '../../invite-proposals/invite-proposals.js';
import type { SelectionChangeEvent } from '../../data-list/data-list.js';
import { PanelApi, errorText, type PanelClient } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { runPopup, type PopupMessage } from '../../api/popup.js';
import { SessionStore } from '../../api/session-store.js';
import { runSilentSignIn } from '../../api/silent-signin.js';
import { ActionRunner } from '../../controls/action-runner.js';
import { controlStrings } from '../../controls/controls.strings.js';
import { formatCount, langFromLani, pick, type Lang } from '../../i18n/locale.js';
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

/** The administrator tools' bundle, once (a failed load is tried again on the next open). */
let adminTools: Promise<unknown> | null = null;
function loadAdminTools(): Promise<unknown> {
  adminTools ??= import('../../admin-tools/admin-tools.js').catch((err: unknown) => {
    adminTools = null;
    console.error('the administrator tools could not be loaded', err);
  });
  return adminTools;
}

/** The actions a message can belong to: each controller's own. */
export type Action = 'tools' | SessionAction | TenantAction | LoadAction | LinkAction | RemoveAction | SyncAction | SyncSettingsAction;

/** What the panel shows below its header: the lists and actions, or the Token Authentication Manager. */
type View = 'main' | 'invites' | 'tools';

/** What an action's success makes untrue: those actions' messages are cleared. */
const STALES: Partial<Record<Action, readonly Action[]>> = {
  // "Linked X to Y (unsaved until Save Added Users)", and any refusal before it.
  saveAdded: ['linkUser', 'autoLink'],
  // "Switched to OAuth mode. Load External Users again…"
  load: ['mode'],
};

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
 *
 * Layout: the workspace first (the toolbar, one feedback area of fixed height, and the three
 * lists, each under its title with its count), then (OAuth mode) the Token Authentication
 * Manager's section, then the tenant settings, closed once Microsoft 365 is connected. A
 * non-administrator sees only the linked users. The look follows the `--so-panel-*` custom
 * properties (inherited by every element inside), each with a SuperOffice-like fallback.
 *
 * @cssproperty --so-panel-accent - Primary buttons, focus rings, sort arrows, checkboxes (#0b5fa5).
 * @cssproperty --so-panel-text - Text colour (#1f2933).
 * @cssproperty --so-panel-dim - Secondary text: counts, statuses, hints (#56606b).
 * @cssproperty --so-panel-border - Borders of lists, sections and dialogs (#d0d7de).
 * @cssproperty --so-panel-error - Errors and danger buttons (#a3191f).
 * @cssproperty --so-panel-bg - Background of the panel and its lists (#fff).
 * @cssproperty --so-panel-head-bg - List headers and section titles (#f3f5f7).
 * @cssproperty --so-panel-selected-bg - Selected rows (#d7e7f6).
 * @cssproperty --so-panel-hover-bg - Hovered rows (#f0f5fa).
 * @cssproperty --so-panel-feedback-bg - The message area below the toolbar (#fafbfc).
 * @cssproperty --so-panel-warn-bg - Notes (#fff4d6).
 * @cssproperty --so-panel-font - Font family ('Segoe UI', Roboto, Arial, sans-serif).
 * @cssproperty --so-panel-font-size - Base font size (13px).
 * @cssproperty --so-panel-gap - Space between the panel's blocks (6px).
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
  /** The tenant settings' disclosure as the user left it; null follows the default (open until Microsoft 365 is connected). */
  @state() private settingsOpen: boolean | null = null;

  /** Where focus goes after the next render (switching views). */
  private focusNext: string | null = null;
  /** A tool changed links while the tools were open: the lists are loaded again on the way back. */
  private toolsChanged = false;
  private started = false;

  private readonly runner: ActionRunner<Action> = new ActionRunner<Action>(this, {
    clears: 'passing',
    stales: STALES,
    dismissLabel: () => pick(controlStrings, this.uiLang).dismiss,
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
    signedOut: (): number => {
      this.loader.clear();
      return this.linking.forgetAll();
    },
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
    // "Switched to OAuth mode. Load External Users again…" is done once they are loaded.
    loaded: () => this.runner.clear('mode'),
    runner: this.runner,
  });

  private readonly linking = new LinkActions(this, {
    api: () => this.api,
    isAdmin: () => this.session.isAdmin,
    lang: () => this.uiLang,
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
    openInvitesFor: (associateIds) => {
      this.selAssociates = new Set(associateIds.map(String));
      this.openInvites();
    },
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

  private openTools = (): void => {
    if (this.runner.busy) return;
    this.runner.clear('tools');
    this.toolsChanged = false;
    // The tools are their own bundle, loaded the first time they open (the lists' bundle stays
    // within its budget); <so-admin-tools> upgrades in place when it arrives.
    void loadAdminTools();
    this.view = 'tools';
    this.focusNext = 'button[data-action="back"]';
  };

  /** Back to the lists; loaded again when a tool changed links (restore, import, rebalance, a health fix). */
  private closeTools = (): Promise<void> | void => {
    this.view = 'main';
    this.focusNext = 'button[data-action="tools"]';
    if (!this.toolsChanged) return;
    this.toolsChanged = false;
    return this.runner.run('tools', async () => {
      const [tenant, links] = await Promise.all([this.api.tenant(), this.api.links()]);
      this.settings.show(tenant);
      this.linking.refreshed(links);
    });
  };

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
    const inTools = this.view === 'tools' && admin;
    const rows = links.rows();
    return html`
      <div class="view" data-view="main" ?hidden=${inInvites || inTools}>
        <main class="workspace">
          ${admin ? nothing : html`<p class="note" data-readonly>${s.readOnly}</p>`}
          ${this.data.render({
            pending: () => html`<p class="status" role="status">${s.loading}</p>`,
            error: (err) => html`<p role="alert" data-for="data">${errorText(err)}</p>`,
            // Nothing works before Microsoft 365 is connected: its Approve comes first.
            complete: () => (admin && !this.settings.connected ? html`<div class="note">${this.settings.renderConnection()}</div>` : nothing),
          })}
          ${admin ? this.renderActions() : nothing}
          <so-invite-proposals
            lang=${this.uiLang}
            ?active=${admin && this.settings.oauth && !inInvites && this.data.status === TaskStatus.COMPLETE}
            .existing=${links.existing()}
            @link-proposals=${(e: LinkProposalsEvent) => this.linking.addUnsaved(e.links)}
          ></so-invite-proposals>
          <div class="lists ${admin ? '' : 'single'}" role="group" aria-label=${s.lists}>
            ${admin
              ? html`${this.renderSection(
                  'associates',
                  this.associates.length,
                  html`<so-associate-list
                    lang=${this.uiLang}
                    .associates=${this.associates}
                    .linkedTo=${linkedAssociates}
                    .selection=${this.selAssociates}
                    ?busy=${this.data.status === TaskStatus.PENDING}
                    @selection-change=${(e: SelectionChangeEvent) => (this.selAssociates = e.selection)}
                  ></so-associate-list>`,
                )}
                ${this.renderSection(
                  'mailboxes',
                  this.loader.mailboxes.length,
                  html`<so-mailbox-list
                    lang=${this.uiLang}
                    .mailboxes=${this.loader.mailboxes}
                    .kinds=${this.loader.kinds}
                    .linkedTo=${linkedMailboxes}
                    .selection=${this.loader.selection}
                    ?busy=${this.loader.loading}
                    @selection-change=${(e: SelectionChangeEvent) => this.loader.select(e.selection)}
                  ></so-mailbox-list>`,
                )}`
              : nothing}
            ${this.renderSection(
              'linked',
              rows.length,
              html`<so-linked-user-list
                lang=${this.uiLang}
                .links=${rows}
                .selection=${this.linking.selection}
                ?oauth=${this.settings.oauth}
                ?readonly=${!admin}
                ?busy=${busy === 'saveAdded' || busy === 'saveOptions' || busy === 'remove' || busy === 'syncNow' || busy === 'resume'}
                @selection-change=${(e: SelectionChangeEvent) => this.linking.select(e.selection)}
                @link-options-change=${this.linking.onOptionsChange}
                @link-rank-edit=${this.linking.onRankEdit}
              ></so-linked-user-list>`,
            )}
          </div>
        </main>
        ${this.settings.renderOAuth()} ${this.renderTenantSettings(admin)}
        ${this.removal.renderDialog()} ${this.settings.renderDialog()}
      </div>
      ${inInvites
        ? html`<main class="view" data-view="invites">
            <div class="bar">
              <button type="button" data-action="back" @click=${this.closeInvites}>${s.backToSettings}</button>
            </div>
            <so-invite-manager
              lang=${this.uiLang}
              .associates=${this.associates}
              .tenant=${this.settings.tenant}
              .selection=${this.selAssociates}
            ></so-invite-manager>
          </main>`
        : nothing}
      ${inTools
        ? html`<main class="view" data-view="tools" @links-changed=${() => (this.toolsChanged = true)}>
            <div class="bar">
              <button type="button" data-action="back" @click=${this.closeTools}>${s.backToSettings}</button>
            </div>
            <so-admin-tools lang=${this.uiLang}></so-admin-tools>
          </main>`
        : nothing}
    `;
  }

  /** One list under its title and count. */
  private renderSection(id: 'associates' | 'mailboxes' | 'linked', count: number, list: TemplateResult): TemplateResult {
    const n = formatCount(count, this.uiLang);
    return html`<section class="list" aria-labelledby="${id}-heading" data-section=${id}>
      <h2 id="${id}-heading"><span class="title">${this.s.sections[id]}</span> <span class="count" data-count aria-label=${this.s.count(n)}>${n}</span></h2>
      ${list}
    </section>`;
  }

  /** The tenant's settings below the workspace: open until Microsoft 365 is connected, then closed unless the user opens them. */
  private renderTenantSettings(admin: boolean): TemplateResult | typeof nothing {
    const t = this.settings.tenant;
    if (!t) return nothing;
    const s = this.s;
    const auto = !this.settings.connected;
    const onToggle = (e: Event) => {
      const open = (e.target as HTMLDetailsElement).open;
      this.settingsOpen = open === auto ? null : open;
    };
    return html`<section class="section" aria-labelledby="tenant-heading">
      <details class="tenant" data-tenant-settings .open=${live(this.settingsOpen ?? auto)} @toggle=${onToggle}>
        <summary>
          <h2 id="tenant-heading">${s.tenantSettings}</h2>
          <span class="status" data-tenant-summary>${s.tenantSummary(t.mode, t.microsoft.connected, t.sync.windowPastDays, t.sync.windowFutureDays)}</span>
        </summary>
        <div class="settings">
          ${admin && !this.settings.connected ? nothing : this.settings.renderConnection()} ${this.settings.render()} ${this.syncSettings.render()}
        </div>
      </details>
    </section>`;
  }

  /** The administrator's toolbar and, below it, the one feedback area of its actions (fixed height: the lists do not move). */
  private renderActions(): TemplateResult {
    const s = this.s;
    const m = (action: Action) => this.runner.message(action);
    const idle = this.runner.idle;
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
        <button type="button" data-action="syncNow" ?disabled=${!idle} @click=${this.sync.syncNow}>${s.syncNow}</button>
        <button type="button" data-action="resume" ?disabled=${!idle} @click=${this.sync.resume}>${s.resume}</button>
        ${this.settings.oauth ? html`<button type="button" data-action="reinvite" ?disabled=${!idle} @click=${this.sync.reinvite}>${s.reinvite}</button>` : nothing}
        <button type="button" data-action="tools" ?disabled=${!idle} @click=${this.openTools}>${s.adminTools}</button>
        <span class="status" role="status" data-unsaved>${s.unsaved(unsaved, edits)}</span>
      </div>
      <div class="feedback" data-feedback aria-label=${s.feedback} role="group">
        ${this.linking.renderSummary()} ${m('load')} ${m('autoLink')} ${m('linkUser')} ${m('saveAdded')} ${m('saveOptions')} ${this.linking.renderReload()} ${m('remove')} ${m('syncNow')} ${m('resume')} ${m('reinvite')} ${m('tools')}
      </div>`;
  }
}
