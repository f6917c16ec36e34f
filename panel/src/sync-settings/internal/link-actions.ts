import { html, nothing, type TemplateResult } from 'lit';
import { PanelApiError } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import type { LinkOptionsChangeEvent, LinkRankEditEvent, LinkedUserRow } from '../../linked-user-list/linked-user-list.js';
import '../../auto-link-review/auto-link-review.js';
import type { AutoLinkAddEvent } from '../../auto-link-review/auto-link-review.js';
import type { Lang } from '../../i18n/locale.js';
import { autoLink, linkOne, type AutoLinkResult, type LinkOneResult } from '../../logic/auto-link.js';
import { LinkState } from '../../logic/link-state.js';
import { newLinkKey } from '../../logic/linked-user-row.js';
import type { Associate, LinkRef, LinkedUser, Mailbox, MailboxKind, NewLink } from '../../logic/types.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import { PanelController } from '../../controls/panel-controller.js';

export type LinkAction = 'autoLink' | 'linkUser' | 'saveAdded' | 'saveOptions';

export interface LinkActionsOptions extends HostDeps<SyncSettingsStrings, LinkAction> {
  isAdmin: () => boolean;
  lang: () => Lang;
  /** The associates selected in the associate list, in list order. */
  selectedAssociates: () => Associate[];
  /** The loaded mailboxes, the selected ones and their kinds. */
  mailboxes: () => { all: readonly Mailbox[]; selected: Mailbox[]; kinds: ReadonlyMap<string, MailboxKind> };
}

const DEFAULT_OPTIONS = { diary: true, task: true, contact: true, rank: 1 };
const toNewLink = (link: LinkRef): NewLink => ({ ...link, ...DEFAULT_OPTIONS });
/** Rows named when a save is refused for invalid ranks. */
const NAMED = 5;

/** Why Link User refused, in words. */
function refusalText(s: SyncSettingsStrings, a: Associate, m: Mailbox, r: Exclude<LinkOneResult, { ok: true }>): string {
  const mailboxName = m.primaryAddress ?? m.displayName;
  const why = s.refusal;
  if (r.reason === 'associateAlreadyLinked') return why.associateAlreadyLinked(a.name, r.link.mailboxAddress);
  if (r.reason === 'mailboxAlreadyLinked') return why.mailboxAlreadyLinked(mailboxName, r.link.associateName);
  if (r.reason === 'retired') return why.retired(a.name);
  return why[r.reason](mailboxName);
}

/**
 * The linked users and what the administrator does to them before saving: Auto Link Users (its
 * proposals reviewed in `so-auto-link-review`, the ticked ones added), Link User, option and Server Rank edits, Save Added Users, Save Users Options
 * (with Reload after a version conflict). Holds the links ({@link LinkState}) and their selection.
 */
export class LinkActions extends PanelController<LinkActionsOptions> {
  links: LinkState = LinkState.from([]);
  /** Keys of the selected linked-user rows. */
  selection: ReadonlySet<string> = new Set();
  /** What Auto Link Users found, under review until the administrator adds or cancels. */
  private summary: AutoLinkResult | null = null;
  /** Save Users Options met a version conflict: Reload is offered. */
  private conflict = false;

  private set(change: { links?: LinkState; selection?: ReadonlySet<string>; summary?: AutoLinkResult | null; conflict?: boolean }): void {
    Object.assign(this, change);
    if (change.links) this.selection = this.links.keptKeys(this.selection);
    this.host.requestUpdate();
  }

  /** Takes new links state; selected rows that are no longer rows drop out of the selection. */
  update(links: LinkState): void {
    this.set({ links });
  }

  select(selection: ReadonlySet<string>): void {
    this.set({ selection });
  }

  /** The links as just loaded; unsaved work is kept. */
  reloaded(links: LinkedUser[]): void {
    this.set({ links: this.links.reloaded(links) });
  }

  /** Saved links read again (their authorization follows the tenant's mode); edits are kept. */
  refreshed(links: LinkedUser[]): void {
    this.set({ links: this.links.refreshed(links) });
  }

  /** Sign out: forgets every link and unsaved change (the next sign-in reads them again); how many unsaved changes went. */
  forgetAll(): number {
    const discarded = this.links.unsavedCount + this.links.editedCount;
    this.set({ links: LinkState.from([]), summary: null, selection: new Set() });
    return discarded;
  }

  /** Adds links as unsaved (e.g. the proposals of accepted invites), with the default options. */
  addUnsaved(refs: LinkRef[]): void {
    this.set({ links: this.links.add(refs.map(toNewLink)) });
  }

  /** Closes the Auto Link review, adding nothing (the mailboxes it spoke of are gone). */
  forgetSummary(): void {
    this.set({ summary: null });
  }

  autoLink = (): Promise<void> =>
    this.o.runner.run('autoLink', () => {
      const selected = this.o.selectedAssociates();
      const { all, kinds } = this.o.mailboxes();
      this.set({ summary: null });
      if (selected.length === 0) return this.o.runner.say('autoLink', this.o.strings().selectAssociates, true);
      if (all.length === 0) return this.o.runner.say('autoLink', this.o.strings().loadMailboxesFirst, true);
      this.set({ summary: autoLink(selected, all, this.links.existing(), kinds) });
    });

  /** Add in the review: the ticked proposals become unsaved links. */
  private onReviewAdd = (e: AutoLinkAddEvent): void => {
    const total = this.summary?.proposals.length ?? e.proposals.length;
    this.set({ links: this.links.add(e.proposals.map((p) => toNewLink(p.link))), summary: null });
    this.o.runner.say('autoLink', this.o.strings().autoLinkAdded(e.proposals.length, total - e.proposals.length));
  };

  linkUser = (): Promise<void> =>
    this.o.runner.run('linkUser', () => {
      const associates = this.o.selectedAssociates();
      const { selected: mailboxes, kinds } = this.o.mailboxes();
      const s = this.o.strings();
      if (associates.length !== 1 || mailboxes.length !== 1) return this.o.runner.say('linkUser', s.selectOnePair, true);
      const a = associates[0]!;
      const m = mailboxes[0]!;
      const r = linkOne(a, m, this.links.existing(), kinds);
      if (!r.ok) return this.o.runner.say('linkUser', refusalText(s, a, m, r), true);
      this.set({ links: this.links.add([toNewLink(r.link)]) });
      this.o.runner.say('linkUser', s.linkedOne(a.name, r.link.mailboxAddress));
    });

  onOptionsChange = (e: LinkOptionsChangeEvent): void => {
    if (!this.o.isAdmin()) return;
    this.set({ links: this.links.setOptions(e.key, e.options) });
  };

  onRankEdit = (e: LinkRankEditEvent): void => {
    if (!this.o.isAdmin()) return;
    this.set({ links: e.commit ? this.links.commitRank(e.key, e.text) : this.links.typeRank(e.key, e.text) });
  };

  /** Stops a save while a row's Server Rank field holds no valid rank: saving would keep the old rank unseen. */
  private refuseInvalidRanks(action: LinkAction, rows: LinkedUserRow[]): boolean {
    if (rows.length === 0) return false;
    const s = this.o.strings();
    const names = rows.slice(0, NAMED).map((r) => r.associateName);
    if (rows.length > NAMED) names.push(s.andMore(rows.length - NAMED));
    this.o.runner.say(action, s.fixRanks(names.join(', '), rows.length), true);
    return true;
  }

  saveAdded = (): Promise<void> =>
    this.o.runner.run('saveAdded', async () => {
      const s = this.o.strings();
      const payload = this.links.addedPayload();
      if (payload.length === 0) return this.o.runner.say('saveAdded', s.nothingToSave);
      if (this.refuseInvalidRanks('saveAdded', this.links.invalidRanks(payload.map((l) => newLinkKey(l.associateId))))) return;
      const result = await this.o.api().saveAddedUsers(payload);
      // The Auto Link summary spoke of links "unsaved until Save Added Users": no longer true.
      this.set({ links: this.links.afterSaveAdded(result), summary: null });
      this.o.runner.say('saveAdded', s.savedAdded(result.created.length + result.unchanged.length));
    });

  saveOptions = (): Promise<void> =>
    this.o.runner.run('saveOptions', async () => {
      const s = this.o.strings();
      this.set({ conflict: false });
      const changes = this.links.optionsPayload(this.selection);
      if (changes.length === 0) return this.o.runner.say('saveOptions', s.selectSavedLinks, true);
      if (this.refuseInvalidRanks('saveOptions', this.links.invalidRanks(changes.map((c) => c.id)))) return;
      try {
        const result = await this.o.api().saveUsersOptions(changes);
        this.set({ links: this.links.afterSaveOptions(result) });
        this.o.runner.say('saveOptions', s.savedOptions(changes.length));
      } catch (err) {
        this.set({ conflict: err instanceof PanelApiError && err.code === 'VersionConflict' });
        throw err;
      }
    });

  private reloadLinks = (): Promise<void> =>
    this.o.runner.run('saveOptions', async () => {
      this.set({ links: this.links.reloaded(await this.o.api().links()), conflict: false });
      this.o.runner.say('saveOptions', this.o.strings().reloaded);
    });

  /** Reload, after Save Users Options met a version conflict. */
  renderReload(): TemplateResult | typeof nothing {
    if (!this.conflict) return nothing;
    return html`<span class="action"
      ><button type="button" data-action="reload" ?disabled=${this.o.runner.busy !== null} @click=${this.reloadLinks}>${this.o.strings().reload}</button></span
    >`;
  }

  /** The Auto Link review dialog (open while there is something to review). */
  renderSummary(): TemplateResult {
    return html`<so-auto-link-review
      lang=${this.o.lang()}
      .result=${this.summary}
      @auto-link-add=${this.onReviewAdd}
      @auto-link-cancel=${() => this.set({ summary: null })}
    ></so-auto-link-review>`;
  }
}
