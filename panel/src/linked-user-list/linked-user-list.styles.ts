import { css } from 'lit';
import { listHostStyles } from '../data-list/list-host.styles.js';

/** The list host, with the Status filter in a line above the list. */
export const styles = [
  listHostStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    so-data-list {
      flex: 1 1 auto;
      min-height: 0;
    }
    .filter {
      display: flex;
      align-items: center;
      gap: 6px;
      font-size: 12px;
    }
    select {
      font: inherit;
      min-height: 24px;
    }
  `,
];
