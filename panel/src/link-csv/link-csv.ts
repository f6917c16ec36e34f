import { LinkCsv } from './internal/link-csv.js';

export { LinkCsv };

customElements.define('so-link-csv', LinkCsv);

declare global {
  interface HTMLElementTagNameMap {
    'so-link-csv': LinkCsv;
  }
}
