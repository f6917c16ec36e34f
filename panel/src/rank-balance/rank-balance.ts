import { RankBalance } from './internal/rank-balance.js';

export { RankBalance };

customElements.define('so-rank-balance', RankBalance);

declare global {
  interface HTMLElementTagNameMap {
    'so-rank-balance': RankBalance;
  }
}
