import { InviteManager } from './internal/invite-manager.js';

export { InviteManager };
export { activeAuthorization, authorizedMailbox, inviteRows, type InviteRow, type InviteRowState } from './internal/invite-rows.js';

customElements.define('so-invite-manager', InviteManager);

declare global {
  interface HTMLElementTagNameMap {
    'so-invite-manager': InviteManager;
  }
}
