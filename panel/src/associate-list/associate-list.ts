import { AssociateList, associateKey } from './internal/associate-list.js';

export { AssociateList, associateKey };

customElements.define('so-associate-list', AssociateList);

declare global {
  interface HTMLElementTagNameMap {
    'so-associate-list': AssociateList;
  }
}
