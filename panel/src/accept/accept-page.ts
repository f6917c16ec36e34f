import { InviteAccept } from './internal/accept-page.js';

export { InviteAccept };
export { InviteApi, InviteApiError, type InviteErrorCode } from './invite-api.js';
export { InviteSession } from './invite-session.js';

customElements.define('so-invite-accept', InviteAccept);

declare global {
  interface HTMLElementTagNameMap {
    'so-invite-accept': InviteAccept;
  }
}
