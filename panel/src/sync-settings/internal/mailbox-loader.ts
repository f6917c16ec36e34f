import { html, nothing, type TemplateResult } from 'lit';
import type { HostDeps } from '../../controls/action-runner.js';
import { formatCount, type Lang } from '../../i18n/locale.js';
import type { Mailbox, MailboxKind } from '../../logic/types.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import { PanelController } from '../../controls/panel-controller.js';

export type LoadAction = 'load';

export interface MailboxLoaderOptions extends HostDeps<SyncSettingsStrings, LoadAction> {
  lang: () => Lang;
  /** The mailboxes arrived to the end (a "load them again" request elsewhere is done). */
  loaded?: () => void;
}

/** Mailboxes per mailbox check request. */
const CHECK_CHUNK = 1000;

const isAbort = (err: unknown) => (err as Error | null)?.name === 'AbortError';

/**
 * Load External Users: pages through the Microsoft 365 mailboxes to the end, then checks them in
 * chunks (mailbox, shared, room, no mailbox…), saying how far it got; Cancel keeps what arrived.
 * Holds the loaded mailboxes, their kinds and which of them the user selected.
 */
export class MailboxLoader extends PanelController<MailboxLoaderOptions> {
  mailboxes: readonly Mailbox[] = [];
  kinds: ReadonlyMap<string, MailboxKind> = new Map();
  /** Ids of the selected mailboxes. */
  selection: ReadonlySet<string> = new Set();
  /** What the running load says about its progress; null when none runs. */
  private progress: string | null = null;
  private abort: AbortController | null = null;

  override hostDisconnected(): void {
    this.abort?.abort();
  }

  get loading(): boolean {
    return this.o.runner.busy === 'load';
  }

  private set(change: { mailboxes?: readonly Mailbox[]; kinds?: ReadonlyMap<string, MailboxKind>; selection?: ReadonlySet<string>; progress?: string | null }): void {
    Object.assign(this, change);
    this.host.requestUpdate();
  }

  select(selection: ReadonlySet<string>): void {
    this.set({ selection });
  }

  /** The selected mailboxes, in list order. */
  selected(): Mailbox[] {
    return this.mailboxes.filter((m) => this.selection.has(m.id));
  }

  /** Forgets the loaded mailboxes (they were listed for another mode); true when there were some. */
  clear(): boolean {
    const had = this.mailboxes.length > 0;
    this.set({ mailboxes: [], kinds: new Map(), selection: new Set() });
    return had;
  }

  load = (): Promise<void> =>
    this.o.runner.run('load', async () => {
      const abort = new AbortController();
      this.abort = abort;
      const api = this.o.api();
      const s = this.o.strings();
      const n = (x: number) => formatCount(x, this.o.lang());
      let all: Mailbox[] = [];
      let cursor: string | null = null;
      let total: number | null = null;
      this.set({ progress: s.loadProgress(n(0), null) });
      try {
        do {
          const page = await api.mailboxPage(cursor, abort.signal);
          total ??= page.total;
          all = all.concat(page.mailboxes);
          cursor = page.next;
          this.set({ progress: s.loadProgress(n(all.length), total === null ? null : n(total)) });
        } while (cursor);
        this.set({ mailboxes: all, selection: new Set() });
        // The mailbox check fills the state column (mailbox, shared, room, no mailbox…).
        let kinds = new Map<string, MailboxKind>();
        const ids = all.map((m) => m.id);
        for (let i = 0; i < ids.length && !abort.signal.aborted; i += CHECK_CHUNK) {
          this.set({ progress: s.checking(n(i), n(ids.length)) });
          const found = await api.checkMailboxes(ids.slice(i, i + CHECK_CHUNK));
          kinds = new Map([...kinds, ...found]);
          this.set({ kinds });
        }
        this.o.loaded?.();
        this.o.runner.say('load', abort.signal.aborted ? s.loadCancelled(n(all.length)) : s.loaded(n(all.length)));
      } catch (err) {
        if (!isAbort(err)) throw err;
        this.set({ mailboxes: all });
        this.o.runner.say('load', s.loadCancelled(n(all.length)));
      } finally {
        this.set({ progress: null });
        this.abort = null;
      }
    });

  private cancel = (): void => this.abort?.abort();

  /** While loading: how far it got, and Cancel. */
  renderProgress(): TemplateResult | typeof nothing {
    if (!this.loading) return nothing;
    return html`<span class="status" role="status" data-progress>${this.progress ?? ''}</span>
      <button type="button" data-action="cancel-load" @click=${this.cancel}>${this.o.strings().cancel}</button>`;
  }
}
