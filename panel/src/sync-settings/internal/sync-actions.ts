import { SYNC_CHUNK } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import { PanelController } from '../../controls/panel-controller.js';
import { reinviteOf, resumeOf, settledSince, syncNowOf } from '../../logic/sync-status.js';
import type { LinkSync } from '../../logic/types.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import type { LinkActions } from './link-actions.js';

export type SyncAction = 'syncNow' | 'resume' | 'reinvite';

/** After Sync now or Resume, the links are read again this often until every user asked for has moved on, for at most this long. */
export const FOLLOW = { everyMs: 2000, forMs: 120_000 };

export interface SyncActionsOptions extends HostDeps<SyncSettingsStrings, SyncAction> {
  /** The links and their selection. */
  links: LinkActions;
  /** Opens the Token Authentication Manager with these associates selected (OAuth mode). */
  openInvitesFor: (associateIds: readonly number[]) => void;
}

/**
 * Sync now and Resume synchronization for the selected linked users (administrators only). Each
 * asks the API, reads the links again, then keeps reading them (every {@link FOLLOW}.everyMs) until
 * a worker has taken every user asked for and left another state, so the Status column shows
 * the outcome without a reload; its message then says so.
 */
export class SyncActions extends PanelController<SyncActionsOptions> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Bumped whenever following stops: a read in flight for an older one is dropped. */
  private generation = 0;

  private rows() {
    return this.o.links.links.rows();
  }

  override hostDisconnected(): void {
    this.stopFollowing();
  }

  syncNow = (): Promise<void> =>
    this.o.runner.run('syncNow', async () => {
      this.stopFollowing();
      const s = this.o.strings();
      const selection = this.o.links.selection;
      if (selection.size === 0) return this.o.runner.say('syncNow', s.selectSyncLinks, true);
      const { ids, disabled, waiting, unsaved } = syncNowOf(this.rows(), selection);
      if (ids.length === 0) return this.o.runner.say('syncNow', s.syncNothing(disabled, waiting, unsaved), true);
      let requested = 0;
      for (let i = 0; i < ids.length; i += SYNC_CHUNK) requested += (await this.o.api().syncNow(ids.slice(i, i + SYNC_CHUNK))).requested;
      this.o.links.refreshed(await this.o.api().links());
      const said = s.syncRequested(requested, disabled, waiting, unsaved);
      this.o.runner.say('syncNow', said);
      this.follow('syncNow', ids, said);
    });

  resume = (): Promise<void> =>
    this.o.runner.run('resume', async () => {
      this.stopFollowing();
      const s = this.o.strings();
      const ids = resumeOf(this.rows(), this.o.links.selection);
      if (ids.length === 0) return this.o.runner.say('resume', s.selectStopped, true);
      let released = 0;
      for (let i = 0; i < ids.length; i += SYNC_CHUNK) released += (await this.o.api().resumeSync(ids.slice(i, i + SYNC_CHUNK))).released;
      this.o.links.refreshed(await this.o.api().links());
      const said = s.resumed(released);
      this.o.runner.say('resume', said);
      this.follow('resume', ids, said);
    });

  /**
   * Invite again (OAuth mode): the selected users whose mailbox waits for its owner's
   * authorization (never given, expired, revoked) go to the Token Authentication Manager,
   * selected, where the administrator sends them a new invite. Their mapping is kept meanwhile.
   */
  reinvite = (): void => {
    const ids = reinviteOf(this.rows(), this.o.links.selection);
    if (ids.length === 0) {
      this.o.runner.say('reinvite', this.o.strings().selectWaiting, true);
      return;
    }
    this.o.runner.clear('reinvite');
    this.o.openInvitesFor(ids);
  };

  /** Reads the links again until the users asked for have moved on from their status right after the request. */
  private follow(action: SyncAction, ids: readonly string[], said: string): void {
    const wanted = new Set(ids);
    const asked = new Map<string, LinkSync>();
    for (const r of this.rows()) if (r.id !== null && r.sync && wanted.has(r.id)) asked.set(r.id, r.sync);
    const until = Date.now() + FOLLOW.forMs;
    const generation = this.generation;
    const tick = async () => {
      this.timer = null;
      let links;
      try {
        links = await this.o.api().links();
      } catch {
        return; // The next action says what is wrong; the list keeps what it last showed.
      }
      if (generation !== this.generation || asked.size === 0) return;
      this.o.links.refreshed(links);
      const settled = settledSince(asked, links).size;
      const s = this.o.strings();
      if (settled === asked.size) this.o.runner.say(action, `${said} ${s.syncSettled(settled)}`);
      else if (Date.now() > until) this.o.runner.say(action, `${said} ${s.syncNotYet(asked.size - settled)}`);
      else this.timer = setTimeout(() => void tick(), FOLLOW.everyMs);
    };
    this.timer = setTimeout(() => void tick(), FOLLOW.everyMs);
  }

  private stopFollowing(): void {
    this.generation++;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
