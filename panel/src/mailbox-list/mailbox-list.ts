import { MailboxList, mailboxKey } from './internal/mailbox-list.js';

export { MailboxList, mailboxKey };
export type { MailboxState } from './mailbox-list.strings.js';

customElements.define('so-mailbox-list', MailboxList);

declare global {
  interface HTMLElementTagNameMap {
    'so-mailbox-list': MailboxList;
  }
}
