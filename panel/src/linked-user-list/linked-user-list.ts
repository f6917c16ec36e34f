import { LinkedUserList, LinkOptionsChangeEvent } from './internal/linked-user-list.js';

export { LinkedUserList, LinkOptionsChangeEvent };
export {
  addedLinkRow,
  isDisabled,
  isUnauthorized,
  linkChange,
  newLinkKey,
  parseRank,
  savedLinkRow,
  type LinkChange,
  type LinkOption,
  type LinkOptions,
  type LinkedUserRow,
} from '../logic/linked-user-row.js';

customElements.define('so-linked-user-list', LinkedUserList);

declare global {
  interface HTMLElementTagNameMap {
    'so-linked-user-list': LinkedUserList;
  }
  interface GlobalEventHandlersEventMap {
    'link-options-change': LinkOptionsChangeEvent;
  }
}
