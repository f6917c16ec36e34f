import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { provide } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import '../../associate-list/associate-list.js';
import '../../mailbox-list/mailbox-list.js';
import '../../linked-user-list/linked-user-list.js';
import '../../invite-manager/invite-manager.js';
import type { SelectionChangeEvent } from '../../data-list/data-list.js';
import type { LinkOptionsChangeEvent, LinkRankEditEvent, LinkedUserRow } from '../../linked-user-list/linked-user-list.js';
import { PanelApi, PanelApiError, errorText, type PanelClient, type RemovalCounts, type TenantInfo } from '../../api/api-client.js';
import { panelApiContext } from '../../api/context.js';
import { runPopup, type PopupMessage } from '../../api/popup.js';
import { alertDialog, syncModal } from '../../controls/modal.js';
import { formatCount, langFromLani, pick, type Lang } from '../../i18n/locale.js';
import { autoLink, linkOne, REPORT_CATEGORIES, type AutoLinkReport } from '../../logic/auto-link.js';
import { LinkState } from '../../logic/link-state.js';
import { newLinkKey } from '../../logic/linked-user-row.js';
import type { Associate, Mailbox, MailboxKind, NewLink, LinkRef, TenantMode } from '../../logic/types.js';
import { syncSettingsStrings, type SyncSettingsStrings } from '../sync-settings.strings.js';
import { styles } from '../sync-settings.styles.js';

/** The actions a message can belong to: each is shown next to its button. */
export type Action =
  | 'signIn'
  | 'consent'
  | 'data'
  | 'mode'
  | 'ttl'
  | 'tam'
  | 'load'
  | 'autoLink'
  | 'linkUser'
  | 'saveAdded'
  | 'saveOptions'
  | 'remove';

/** What the panel shows below its header: the lists and actions, or the Token Authentication Manager. */
type View = 'main' | 'invites';

interface Message {
  text: string;
  error: boolean;
}

interface User {
  name: string;
  isAdmin: boolean;
}

interface Removal {
  counts: RemovalCounts;
  ids: string[];
  /** Associate ids of selected unsaved links, discarded on confirm. */
  discard: number[];
}

const CHECK_CHUNK = 1000;
/** Constructed, not inline, so the panel's CSP (style-src 'self') allows it. */
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync('html, body { margin: 0; height: 100%; background: #fff; }');
const DEFAULT_OPTIONS = { diary: true, task: true, contact: true, rank: 1 };

/** An invite lifetime typed by the administrator, or null unless it is a whole number of days from 1 to 365. */
export function parseTtlDays(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= 1 && days <= 365 ? days : null;
}

const isVersionConflict = (err: unknown) => err instanceof PanelApiError && err.code === 'VersionConflict';

const isAbort = (err: unknown) => (err as Error | null)?.name === 'AbortError';

/** The backend no longer knows our session (expired, or ended elsewhere). */
const sessionEnded = (err: unknown) =>
  err instanceof PanelApiError && err.status === 401 && (err.code === 'InvalidSession' || err.code === 'Unauthenticated');

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
 */
export class SyncSettings extends LitElement {
  static override styles = styles;

  /** The API client; provided to descendants. Replace it (e.g. in tests) before connecting. */
  @provide({ context: panelApiContext })
  @property({ attribute: false })
  api: PanelClient = new PanelApi();

  /** Opens a sign-in or consent popup and resolves with its message (replaceable in tests). */
  @property({ attribute: false }) popup: (url: string | Promise<string>) => Promise<PopupMessage> = (url) => runPopup(url);

  /** The query string SuperOffice opened the panel with; `location.search` when not set. */
  @property({ attribute: false }) search: string | null = null;

  @state() private ctx = '';
  @state() private uiLang: Lang = 'en';
  @state() private user: User | null = null;
  @state() private tenant: TenantInfo | null = null;
  @state() private associates: readonly Associate[] = [];
  @state() private mailboxes: readonly Mailbox[] = [];
  @state() private kinds: ReadonlyMap<string, MailboxKind> = new Map();
  @state() private links: LinkState = LinkState.from([]);
  @state() private selAssociates: ReadonlySet<string> = new Set();
  @state() private selMailboxes: ReadonlySet<string> = new Set();
  @state() private selLinks: ReadonlySet<string> = new Set();
  @state() private busy: Action | null = null;
  @state() private progress: string | null = null;
  @state() private messages: Readonly<Partial<Record<Action, Message>>> = {};
  @state() private summary: AutoLinkReport | null = null;
  @state() private conflict = false;
  @state() private removal: Removal | null = null;
  /** The mode the administrator asked to switch to, while the confirmation dialog is open. */
  @state() private modeChange: TenantMode | null = null;
  /** The invite lifetime as typed; null while it shows the saved value. */
  @state() private ttlDraft: string | null = null;
  @state() private view: View = 'main';

  @query('dialog#remove-dialog') private dialog!: HTMLDialogElement | null;
  @query('dialog#mode-dialog') private modeDialog!: HTMLDialogElement | null;

  /** Where focus goes after the next render (switching views). */
  private focusNext: string | null = null;

  private abort: AbortController | null = null;
  private started = false;

  /** Loads the tenant, the linked users and (for administrators) the associates after each sign-in. */
  private data = new Task(this, {
    args: () => [this.user] as const,
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
        if (!sessionEnded(err)) throw err;
        this.fail('signIn', err);
        return null;
      }
      const [tenant, links, associates] = loaded;
      this.tenant = tenant;
      this.links = this.links.reloaded(links);
      this.associates = associates;
      return tenant;
    },
  });

  private get s(): SyncSettingsStrings {
    return pick(syncSettingsStrings, this.uiLang);
  }

  private get isAdmin(): boolean {
    return this.user?.isAdmin === true;
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
    if (ticket) void this.signInWithTicket(ticket);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    this.abort?.abort();
  }

  /** The browser asks before leaving while added links or option edits are unsaved. */
  private onBeforeUnload = (e: BeforeUnloadEvent): void => {
    if (!this.links.hasUnsavedChanges) return;
    e.preventDefault();
    e.returnValue = '';
  };

  protected override updated(): void {
    syncModal(this.dialog, this.removal !== null);
    syncModal(this.modeDialog, this.modeChange !== null);
    if (this.focusNext) {
      this.renderRoot.querySelector<HTMLElement>(this.focusNext)?.focus();
      this.focusNext = null;
    }
  }

  // ---- messages -------------------------------------------------------------------------------

  private say(action: Action, text: string, error = false): void {
    this.messages = { ...this.messages, [action]: { text, error } };
  }

  private fail(action: Action, err: unknown): void {
    // Our session ended (expired, or signed out elsewhere): back to "Sign in", keeping unsaved links.
    if (sessionEnded(err)) {
      this.api.useToken(null);
      this.user = null;
      this.say('signIn', this.s.sessionEnded, true);
      return;
    }
    this.say(action, errorText(err), true);
  }

  private clear(...actions: Action[]): void {
    const next = { ...this.messages };
    for (const a of actions) delete next[a];
    this.messages = next;
  }

  /** Runs one action: marks it busy, clears its old message, shows any error next to it. */
  private async run(action: Action, work: () => Promise<void> | void): Promise<void> {
    if (this.busy) return;
    this.busy = action;
    this.clear(action);
    try {
      await work();
    } catch (err) {
      this.fail(action, err);
    } finally {
      this.busy = null;
    }
  }

  // ---- sign-in and Microsoft 365 ----------------------------------------------------------------

  private signIn = (): Promise<void> =>
    this.run('signIn', async () => {
      const m = await this.popup(`/auth/superoffice/start?tenant=${encodeURIComponent(this.ctx)}`);
      if (m.type !== 'mailbox-link:signed-in') return;
      this.api.useToken(m.token);
      this.user = { name: m.name, isAdmin: m.isAdmin };
    });

  private signInWithTicket(ticket: string): Promise<void> {
    return this.run('signIn', async () => {
      const r = await this.api.signInWithTicket(ticket, this.ctx || undefined);
      this.user = { name: r.name, isAdmin: r.isAdmin };
    });
  }

  private approve = (): Promise<void> =>
    this.run('consent', async () => {
      await this.popup(this.api.consentUrl());
      this.tenant = await this.api.tenant();
    });

  // ---- mailbox authorization: tenant mode and invite lifetime -----------------------------------

  private askModeChange = (): void => {
    const t = this.tenant;
    if (!t || !this.isAdmin || this.busy) return;
    this.clear('mode');
    this.modeChange = t.mode === 'oauth' ? 'application' : 'oauth';
  };

  private cancelModeChange = (): void => {
    this.modeChange = null;
  };

  private confirmModeChange = (): Promise<void> => {
    const mode = this.modeChange;
    const t = this.tenant;
    this.modeChange = null;
    if (!mode || !t) return Promise.resolve();
    return this.run('mode', async () => {
      try {
        this.tenant = await this.api.updateTenant({ expectedVersion: t.version, mode });
      } catch (err) {
        if (!isVersionConflict(err)) throw err;
        this.tenant = await this.api.tenant();
        return this.say('mode', this.s.settingsConflict, true);
      }
      // The links' authorization follows the mode, and the loaded mailboxes were listed for the
      // other mode: load them again rather than link from a stale list.
      this.links = this.links.refreshed(await this.api.links());
      this.keepSelectedLinks();
      const hadMailboxes = this.mailboxes.length > 0;
      this.mailboxes = [];
      this.kinds = new Map();
      this.selMailboxes = new Set();
      this.summary = null;
      this.say('mode', this.s.modeChanged(mode, hadMailboxes));
    });
  };

  private onTtlInput = (e: Event): void => {
    this.ttlDraft = (e.target as HTMLInputElement).value;
  };

  private saveTtl = (): Promise<void> =>
    this.run('ttl', async () => {
      const t = this.tenant;
      if (!t || this.ttlDraft === null) return;
      const days = parseTtlDays(this.ttlDraft);
      if (days === null) return;
      try {
        this.tenant = await this.api.updateTenant({ expectedVersion: t.version, inviteTtlDays: days });
        this.ttlDraft = null;
        this.say('ttl', this.s.ttlSaved(days));
      } catch (err) {
        if (!isVersionConflict(err)) throw err;
        this.tenant = await this.api.tenant();
        this.say('ttl', this.s.settingsConflict, true);
      }
    });

  // ---- the Token Authentication Manager -----------------------------------------------------------

  private openInvites = (): void => {
    if (this.busy) return;
    this.clear('tam');
    this.view = 'invites';
    this.focusNext = 'button[data-action="back"]';
  };

  /** Back to the lists, with the links' authorizations and the tenant as they are now. */
  private closeInvites = (): Promise<void> => {
    this.view = 'main';
    this.focusNext = 'button[data-action="tam"]';
    return this.run('tam', async () => {
      const [tenant, links] = await Promise.all([this.api.tenant(), this.api.links()]);
      this.tenant = tenant;
      this.links = this.links.refreshed(links);
      this.keepSelectedLinks();
    });
  };

  // ---- Load External Users --------------------------------------------------------------------

  private loadExternal = (): Promise<void> =>
    this.run('load', async () => {
      const abort = new AbortController();
      this.abort = abort;
      const s = this.s;
      const n = (x: number) => formatCount(x, this.uiLang);
      let all: Mailbox[] = [];
      let cursor: string | null = null;
      let total: number | null = null;
      this.progress = s.loadProgress(n(0), null);
      try {
        do {
          const page = await this.api.mailboxPage(cursor, abort.signal);
          total ??= page.total;
          all = all.concat(page.mailboxes);
          cursor = page.next;
          this.progress = s.loadProgress(n(all.length), total === null ? null : n(total));
        } while (cursor);
        this.mailboxes = all;
        this.selMailboxes = new Set();
        // The mailbox check fills the state column (mailbox, shared, room, no mailbox…).
        let kinds = new Map<string, MailboxKind>();
        const ids = all.map((m) => m.id);
        for (let i = 0; i < ids.length && !abort.signal.aborted; i += CHECK_CHUNK) {
          this.progress = s.checking(n(i), n(ids.length));
          const found = await this.api.checkMailboxes(ids.slice(i, i + CHECK_CHUNK));
          kinds = new Map([...kinds, ...found]);
          this.kinds = kinds;
        }
        this.say('load', abort.signal.aborted ? s.loadCancelled(n(all.length)) : s.loaded(n(all.length)));
      } catch (err) {
        if (!isAbort(err)) throw err;
        this.mailboxes = all;
        this.say('load', s.loadCancelled(n(all.length)));
      } finally {
        this.progress = null;
        this.abort = null;
      }
    });

  private cancelLoad = (): void => this.abort?.abort();

  // ---- linking ----------------------------------------------------------------------------------

  private selectedAssociates(): Associate[] {
    return this.associates.filter((a) => this.selAssociates.has(String(a.associateId)));
  }

  private selectedMailboxes(): Mailbox[] {
    return this.mailboxes.filter((m) => this.selMailboxes.has(m.id));
  }

  private toNewLink = (link: LinkRef): NewLink => ({ ...link, ...DEFAULT_OPTIONS });

  private autoLink = (): Promise<void> =>
    this.run('autoLink', () => {
      const selected = this.selectedAssociates();
      this.summary = null;
      if (selected.length === 0) return this.say('autoLink', this.s.selectAssociates, true);
      if (this.mailboxes.length === 0) return this.say('autoLink', this.s.loadMailboxesFirst, true);
      const { proposals, report } = autoLink(selected, this.mailboxes, this.links.existing(), this.kinds);
      this.links = this.links.add(proposals.map((p) => this.toNewLink(p.link)));
      this.summary = report;
    });

  private linkUser = (): Promise<void> =>
    this.run('linkUser', () => {
      const associates = this.selectedAssociates();
      const mailboxes = this.selectedMailboxes();
      const s = this.s;
      if (associates.length !== 1 || mailboxes.length !== 1) return this.say('linkUser', s.selectOnePair, true);
      const a = associates[0]!;
      const m = mailboxes[0]!;
      const mailboxName = m.primaryAddress ?? m.displayName;
      const r = linkOne(a, m, this.links.existing(), this.kinds);
      if (r.ok) {
        this.links = this.links.add([this.toNewLink(r.link)]);
        return this.say('linkUser', s.linkedOne(a.name, r.link.mailboxAddress));
      }
      const why = s.refusal;
      const text =
        r.reason === 'associateAlreadyLinked'
          ? why.associateAlreadyLinked(a.name, r.link.mailboxAddress)
          : r.reason === 'mailboxAlreadyLinked'
            ? why.mailboxAlreadyLinked(mailboxName, r.link.associateName)
            : r.reason === 'retired'
              ? why.retired(a.name)
              : why[r.reason](mailboxName);
      this.say('linkUser', text, true);
    });

  private onOptionsChange = (e: LinkOptionsChangeEvent): void => {
    if (!this.isAdmin) return;
    this.links = this.links.setOptions(e.key, e.options);
  };

  private onRankEdit = (e: LinkRankEditEvent): void => {
    if (!this.isAdmin) return;
    this.links = e.commit ? this.links.commitRank(e.key, e.text) : this.links.typeRank(e.key, e.text);
  };

  /** Stops a save while a row's Server Rank field holds no valid rank: saving would keep the old rank unseen. */
  private refuseInvalidRanks(action: Action, rows: LinkedUserRow[]): boolean {
    if (rows.length === 0) return false;
    const shown = 5;
    const names = rows.slice(0, shown).map((r) => r.associateName);
    if (rows.length > shown) names.push(this.s.andMore(rows.length - shown));
    this.say(action, this.s.fixRanks(names.join(', '), rows.length), true);
    return true;
  }

  // ---- saving -----------------------------------------------------------------------------------

  private saveAdded = (): Promise<void> =>
    this.run('saveAdded', async () => {
      const payload = this.links.addedPayload();
      if (payload.length === 0) return this.say('saveAdded', this.s.nothingToSave);
      if (this.refuseInvalidRanks('saveAdded', this.links.invalidRanks(payload.map((l) => newLinkKey(l.associateId))))) return;
      const result = await this.api.saveAddedUsers(payload);
      this.links = this.links.afterSaveAdded(result);
      this.keepSelectedLinks();
      this.say('saveAdded', this.s.savedAdded(result.created.length + result.unchanged.length));
    });

  private saveOptions = (): Promise<void> =>
    this.run('saveOptions', async () => {
      this.conflict = false;
      const changes = this.links.optionsPayload(this.selLinks);
      if (changes.length === 0) return this.say('saveOptions', this.s.selectSavedLinks, true);
      if (this.refuseInvalidRanks('saveOptions', this.links.invalidRanks(changes.map((c) => c.id)))) return;
      try {
        const result = await this.api.saveUsersOptions(changes);
        this.links = this.links.afterSaveOptions(result);
        this.say('saveOptions', this.s.savedOptions(changes.length));
      } catch (err) {
        this.conflict = err instanceof PanelApiError && err.code === 'VersionConflict';
        throw err;
      }
    });

  private reloadLinks = (): Promise<void> =>
    this.run('saveOptions', async () => {
      this.links = this.links.reloaded(await this.api.links());
      this.conflict = false;
      this.keepSelectedLinks();
      this.say('saveOptions', this.s.reloaded);
    });

  /** Drops selected row keys that are no longer rows (saved rows get new keys, removed ones go). */
  private keepSelectedLinks(): void {
    const keys = new Set(this.links.rows().map((r) => r.key));
    this.selLinks = new Set([...this.selLinks].filter((k) => keys.has(k)));
  }

  // ---- removing ---------------------------------------------------------------------------------

  private removeSelected = (): Promise<void> =>
    this.run('remove', async () => {
      const rows = this.links.rows().filter((r) => this.selLinks.has(r.key));
      if (rows.length === 0) return this.say('remove', this.s.selectLinks, true);
      const ids = rows.flatMap((r) => (r.id ? [r.id] : []));
      const discard = rows.filter((r) => !r.id).map((r) => r.associateId);
      if (ids.length === 0) {
        this.links = this.links.discardAdded(discard);
        this.keepSelectedLinks();
        return this.say('remove', this.s.discarded(discard.length));
      }
      const counts = await this.api.removalPreview(ids);
      this.removal = { counts, ids, discard };
    });

  private cancelRemove = (): void => {
    this.removal = null;
  };

  private confirmRemove = (): Promise<void> => {
    const removal = this.removal;
    if (!removal) return Promise.resolve();
    this.removal = null;
    return this.run('remove', async () => {
      const removed = await this.api.removeUsers(removal.ids);
      this.links = this.links.afterRemove(removal.ids).discardAdded(removal.discard);
      this.keepSelectedLinks();
      this.say('remove', this.s.removed(removed.links, removed.historyRows));
    });
  };

  // ---- rendering --------------------------------------------------------------------------------

  private message(action: Action): TemplateResult | typeof nothing {
    const m = this.messages[action];
    if (!m) return nothing;
    return m.error
      ? html`<p role="alert" data-for=${action}>${m.text}</p>`
      : html`<p class="status" role="status" data-for=${action}>${m.text}</p>`;
  }

  override render(): TemplateResult {
    const s = this.s;
    return html`
      <header>
        <h1>${s.title}</h1>
        ${this.renderWho()}
      </header>
      ${this.user ? this.renderMain() : nothing}
    `;
  }

  private renderWho(): TemplateResult {
    const s = this.s;
    if (!this.user) {
      return html`<p role="status">${this.busy === 'signIn' ? s.signingIn : s.notSignedIn}</p>
        <span class="action">
          <button type="button" class="primary" ?disabled=${this.busy === 'signIn'} @click=${this.signIn}>${s.signIn}</button>
          ${this.message('signIn')}
        </span>`;
    }
    return html`<p role="status" data-who>${this.isAdmin ? s.signedInAdmin(this.user.name) : s.signedInReadOnly(this.user.name)}</p>`;
  }

  private renderMain(): TemplateResult {
    const s = this.s;
    const admin = this.isAdmin;
    const oauth = this.tenant?.mode === 'oauth';
    const rows = this.links.rows();
    const linkedAssociates = new Map(this.links.existing().map((l) => [l.associateId, l.mailboxAddress]));
    const linkedMailboxes = new Map(this.links.existing().map((l) => [l.mailboxId, l.associateName]));
    const inInvites = this.view === 'invites' && admin && oauth;
    return html`
      <div class="view" data-view="main" ?hidden=${inInvites}>
        ${admin ? nothing : html`<p class="note" data-readonly>${s.readOnly}</p>`}
        ${this.data.render({
          pending: () => html`<p class="status" role="status">${s.loading}</p>`,
          error: (err) => html`<p role="alert" data-for="data">${errorText(err)}</p>`,
          complete: () => this.renderTenant(),
        })}
        ${this.renderActions(admin)}
        <div class="messages">${this.renderSummary()}</div>
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
            .mailboxes=${this.mailboxes}
            .kinds=${this.kinds}
            .linkedTo=${linkedMailboxes}
            .selection=${this.selMailboxes}
            ?busy=${this.busy === 'load'}
            @selection-change=${(e: SelectionChangeEvent) => (this.selMailboxes = e.selection)}
          ></so-mailbox-list>
          <so-linked-user-list
            lang=${this.uiLang}
            .links=${rows}
            .selection=${this.selLinks}
            ?oauth=${oauth}
            ?readonly=${!admin}
            ?busy=${this.busy === 'saveAdded' || this.busy === 'saveOptions' || this.busy === 'remove'}
            @selection-change=${(e: SelectionChangeEvent) => (this.selLinks = e.selection)}
            @link-options-change=${this.onOptionsChange}
            @link-rank-edit=${this.onRankEdit}
          ></so-linked-user-list>
        </div>
        ${this.renderDialog()} ${this.renderModeDialog()}
      </div>
      ${inInvites
        ? html`<div class="view" data-view="invites">
            <div class="bar">
              <button type="button" data-action="back" @click=${this.closeInvites}>${s.backToSettings}</button>
            </div>
            <so-invite-manager
              lang=${this.uiLang}
              .associates=${this.associates}
              .tenant=${this.tenant}
              .selection=${this.selAssociates}
            ></so-invite-manager>
          </div>`
        : nothing}
    `;
  }

  private renderTenant(): TemplateResult | typeof nothing {
    const s = this.s;
    const t = this.tenant;
    if (!t) return nothing;
    const connected = t.microsoft.connected;
    return html`<div class="bar">
        <p class="status" data-ms>${connected ? s.msConnected(t.microsoft.entraTenantId) : this.isAdmin ? s.msNotConnected : s.msNotConnectedReadOnly}</p>
        ${!connected && this.isAdmin
          ? html`<span class="action"
              ><button type="button" ?disabled=${this.busy !== null} @click=${this.approve}>${s.approve}</button>${this.message('consent')}</span
            >`
          : nothing}
      </div>
      ${this.renderMode(t)}
      ${t.mode === 'oauth'
        ? html`<div class="note bar" data-oauth>
            <p>${s.oauthNote}</p>
            ${this.isAdmin
              ? html`<span class="action"
                  ><button type="button" data-action="tam" ?disabled=${this.busy !== null} @click=${this.openInvites}>${s.openTam}</button>${this.message(
                    'tam',
                  )}</span
                >`
              : nothing}
          </div>`
        : nothing}`;
  }

  /** Mailbox authorization: the mode and the invite lifetime; administrators can change both. */
  private renderMode(t: TenantInfo): TemplateResult {
    const s = this.s;
    const admin = this.isAdmin;
    const other: TenantMode = t.mode === 'oauth' ? 'application' : 'oauth';
    const ttlInvalid = this.ttlDraft !== null && parseTtlDays(this.ttlDraft) === null;
    const idle = this.busy === null;
    return html`<section class="bar mode" aria-labelledby="mode-heading" data-mode>
      <h2 id="mode-heading">${s.modeHeading}</h2>
      <p data-mode-text><strong>${s.modeNames[t.mode]}:</strong> ${s.modeDescriptions[t.mode]}</p>
      ${admin
        ? html`<span class="action"
              ><button type="button" data-action="mode" ?disabled=${!idle} @click=${this.askModeChange}>${s.switchTo[other]}</button>${this.message(
                'mode',
              )}</span
            >
            <span class="action">
              <label for="ttl">${s.ttlLabel}</label>
              <input
                id="ttl"
                type="number"
                inputmode="numeric"
                min="1"
                max="365"
                step="1"
                aria-invalid=${ttlInvalid ? 'true' : 'false'}
                aria-describedby=${ttlInvalid ? 'ttl-error' : nothing}
                .value=${live(this.ttlDraft ?? String(t.inviteTtlDays))}
                @input=${this.onTtlInput}
              />
              ${ttlInvalid ? html`<span class="field-error" id="ttl-error" role="alert">${s.ttlInvalid}</span>` : nothing}
              <button type="button" data-action="ttl" ?disabled=${!idle || this.ttlDraft === null || ttlInvalid} @click=${this.saveTtl}>
                ${s.ttlSave}
              </button>
              ${this.message('ttl')}
            </span>`
        : html`<p data-ttl>${s.ttlReadOnly(t.inviteTtlDays)}</p>`}
    </section>`;
  }

  private renderActions(admin: boolean): TemplateResult {
    const s = this.s;
    const idle = admin && this.busy === null;
    const connected = this.tenant?.microsoft.connected === true;
    const unsaved = this.links.unsavedCount;
    const edits = this.links.editedCount;
    return html`<div class="bar" role="toolbar" aria-label=${s.actions}>
        <span class="action">
          <button type="button" data-action="load" ?disabled=${!idle || !connected} @click=${this.loadExternal}>${s.loadExternal}</button>
          ${this.busy === 'load'
            ? html`<span class="status" role="status" data-progress>${this.progress ?? ''}</span>
                <button type="button" data-action="cancel-load" @click=${this.cancelLoad}>${s.cancel}</button>`
            : nothing}
        </span>
        <button type="button" data-action="autoLink" ?disabled=${!idle} @click=${this.autoLink}>${s.autoLink}</button>
        <button type="button" data-action="linkUser" ?disabled=${!idle} @click=${this.linkUser}>${s.linkUser}</button>
        <button type="button" data-action="saveAdded" class=${unsaved > 0 && idle ? 'primary' : ''} ?disabled=${!idle || unsaved === 0} @click=${this.saveAdded}>
          ${s.saveAdded}
        </button>
        <button type="button" data-action="saveOptions" ?disabled=${!idle} @click=${this.saveOptions}>${s.saveOptions}</button>
        <button type="button" data-action="remove" ?disabled=${!idle} @click=${this.removeSelected}>${s.removeSelected}</button>
        <span class="status" role="status" data-unsaved>${s.unsaved(unsaved, edits)}</span>
      </div>
      <div class="messages">
        ${this.message('load')} ${this.message('autoLink')} ${this.message('linkUser')} ${this.message('saveAdded')}
        ${this.message('saveOptions')}
        ${this.conflict
          ? html`<span class="action"><button type="button" data-action="reload" ?disabled=${this.busy !== null} @click=${this.reloadLinks}>${s.reload}</button></span>`
          : nothing}
        ${this.message('remove')}
      </div>`;
  }

  private renderSummary(): TemplateResult | typeof nothing {
    const report = this.summary;
    if (!report) return nothing;
    const s = this.s;
    const items = REPORT_CATEGORIES.filter((c) => report[c].length > 0).map((c) => {
      const entries = report[c] as { associate: Associate }[];
      const names = entries.map((e) => e.associate.name).join(', ');
      return html`<li data-category=${c}><strong>${s.categories[c]}: ${entries.length}</strong> <span class="names">${names}</span></li>`;
    });
    return html`<section class="summary" role="status" aria-label=${s.autoLink} data-summary>
      <p>${s.autoLinkTitle(report.linked.length)}</p>
      <ul>
        ${items}
      </ul>
    </section>`;
  }

  private renderDialog(): TemplateResult {
    const s = this.s;
    const r = this.removal;
    return alertDialog({
      id: 'remove-dialog',
      name: 'remove',
      open: r !== null,
      title: r ? s.dialogTitle(r.counts.links) : s.removeSelected,
      body: r
        ? html`<p data-counts>${s.dialogBody(r.counts.links, r.counts.historyRows)}</p>
            ${r.counts.users.length > 0
              ? html`<ul class="who" data-users>
                  ${r.counts.users.slice(0, 50).map((u) => html`<li>${u.associateName} — ${u.mailboxAddress}: ${s.historyRows(u.historyRows)}</li>`)}
                  ${r.counts.users.length > 50 ? html`<li>${s.andMore(r.counts.users.length - 50)}</li>` : nothing}
                </ul>`
              : nothing}
            <p class="warning">${s.dialogWarning}</p>
            ${r.discard.length > 0 ? html`<p>${s.dialogDiscard(r.discard.length)}</p>` : nothing}`
        : nothing,
      cancel: { label: s.cancel, onClick: this.cancelRemove },
      confirm: { label: s.dialogConfirm, onClick: this.confirmRemove, kind: 'danger' },
    });
  }

  /** The confirmation of a mode change: what changes, and that nothing is deleted. */
  private renderModeDialog(): TemplateResult {
    const s = this.s;
    const mode = this.modeChange;
    return alertDialog({
      id: 'mode-dialog',
      name: 'mode',
      open: mode !== null,
      title: mode ? s.modeDialogTitle[mode] : s.modeHeading,
      body: mode
        ? html`${s.modeDialogBody[mode].map((line) => html`<p>${line}</p>`)}
            <p class="warning" data-nothing-deleted>${s.modeDialogKept}</p>`
        : nothing,
      cancel: { label: s.cancel, onClick: this.cancelModeChange },
      confirm: { label: mode ? s.modeConfirm[mode] : '', onClick: this.confirmModeChange, kind: 'primary', action: 'confirm-mode' },
    });
  }
}
