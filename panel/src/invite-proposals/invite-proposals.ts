import { InviteProposals, LinkProposalsEvent, pendingProposals } from './internal/invite-proposals.js';

export { InviteProposals, LinkProposalsEvent, pendingProposals };

customElements.define('so-invite-proposals', InviteProposals);

declare global {
  interface HTMLElementTagNameMap {
    'so-invite-proposals': InviteProposals;
  }
}
