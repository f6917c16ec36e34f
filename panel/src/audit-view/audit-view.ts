import { AuditView } from './internal/audit-view.js';

export { AuditView };
export type { AuditClient } from './internal/audit-view.js';

customElements.define('so-audit-view', AuditView);

declare global {
  interface HTMLElementTagNameMap {
    'so-audit-view': AuditView;
  }
}
