import { LinkedUserList, LinkOptionsChangeEvent, LinkRankEditEvent } from './internal/linked-user-list.js';

export { LinkedUserList, LinkOptionsChangeEvent, LinkRankEditEvent };
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
  type RankDraft,
} from '../logic/linked-user-row.js';

customElements.define('so-linked-user-list', LinkedUserList);

declare global {
  interface HTMLElementTagNameMap {
    'so-linked-user-list': LinkedUserList;
  }
  interface GlobalEventHandlersEventMap {
    'link-options-change': LinkOptionsChangeEvent;
    'link-rank-edit': LinkRankEditEvent;
  }
}
