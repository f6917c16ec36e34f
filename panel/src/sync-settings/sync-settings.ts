import { SyncSettings } from './internal/sync-settings.js';

export { SyncSettings };

customElements.define('so-sync-settings', SyncSettings);

declare global {
  interface HTMLElementTagNameMap {
    'so-sync-settings': SyncSettings;
  }
}
