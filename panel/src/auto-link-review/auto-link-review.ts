import { AutoLinkAddEvent, AutoLinkCancelEvent, AutoLinkReview } from './internal/auto-link-review.js';

export { AutoLinkAddEvent, AutoLinkCancelEvent, AutoLinkReview };

customElements.define('so-auto-link-review', AutoLinkReview);

declare global {
  interface HTMLElementTagNameMap {
    'so-auto-link-review': AutoLinkReview;
  }
  interface GlobalEventHandlersEventMap {
    'auto-link-add': AutoLinkAddEvent;
    'auto-link-cancel': AutoLinkCancelEvent;
  }
}
