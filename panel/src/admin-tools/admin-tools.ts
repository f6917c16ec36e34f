import { AdminTools } from './internal/admin-tools.js';

export { AdminTools };
export { ADMIN_TOOLS, LinksChangedEvent, type AdminTool } from './tools.js';

customElements.define('so-admin-tools', AdminTools);

declare global {
  interface HTMLElementTagNameMap {
    'so-admin-tools': AdminTools;
  }
}
