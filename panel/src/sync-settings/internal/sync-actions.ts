import { SYNC_CHUNK } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import { PanelController } from '../../controls/panel-controller.js';
import { resumeOf, syncNowOf } from '../../logic/sync-status.js';
import type { SyncSettingsStrings } from '../sync-settings.strings.js';
import type { LinkActions } from './link-actions.js';

export type SyncAction = 'syncNow' | 'resume';

export interface SyncActionsOptions extends HostDeps<SyncSettingsStrings, SyncAction> {
  /** The links and their selection. */
  links: LinkActions;
}

/**
 * Sync now and Resume synchronization for the selected linked users (administrators only). Each
 * asks the API, then reads the links again, so the Status column shows what the server now says.
 */
export class SyncActions extends PanelController<SyncActionsOptions> {
  private rows() {
    return this.o.links.links.rows();
  }

  syncNow = (): Promise<void> =>
    this.o.runner.run('syncNow', async () => {
      const s = this.o.strings();
      const selection = this.o.links.selection;
      if (selection.size === 0) return this.o.runner.say('syncNow', s.selectSyncLinks, true);
      const { ids, disabled, waiting, unsaved } = syncNowOf(this.rows(), selection);
      if (ids.length === 0) return this.o.runner.say('syncNow', s.syncNothing(disabled, waiting, unsaved), true);
      let requested = 0;
      for (let i = 0; i < ids.length; i += SYNC_CHUNK) requested += (await this.o.api().syncNow(ids.slice(i, i + SYNC_CHUNK))).requested;
      this.o.links.refreshed(await this.o.api().links());
      this.o.runner.say('syncNow', s.syncRequested(requested, disabled, waiting, unsaved));
    });

  resume = (): Promise<void> =>
    this.o.runner.run('resume', async () => {
      const s = this.o.strings();
      const ids = resumeOf(this.rows(), this.o.links.selection);
      if (ids.length === 0) return this.o.runner.say('resume', s.selectStopped, true);
      let released = 0;
      for (let i = 0; i < ids.length; i += SYNC_CHUNK) released += (await this.o.api().resumeSync(ids.slice(i, i + SYNC_CHUNK))).released;
      this.o.links.refreshed(await this.o.api().links());
      this.o.runner.say('resume', s.resumed(released));
    });
}
