import { Alerts } from './internal/alerts.js';

export { Alerts };
export type { AlertsClient } from './internal/alerts.js';

customElements.define('so-alerts', Alerts);

declare global {
  interface HTMLElementTagNameMap {
    'so-alerts': Alerts;
  }
}
