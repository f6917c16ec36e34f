import { css } from 'lit';
import { listHostStyles } from '../data-list/list-host.styles.js';

/** The list host; the Status filter sits in the list's toolbar, beside the search box. */
export const styles = [
  listHostStyles,
  css`
    .filter {
      display: flex;
      align-items: center;
      gap: 4px;
      font-size: 12px;
    }
    select {
      font: inherit;
      min-height: 24px;
      max-width: 14rem;
    }
  `,
];
