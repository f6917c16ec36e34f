import { css } from 'lit';
import { controlStyles } from '../controls/controls.styles.js';

/**
 * The review dialog: counts fixed at the top, a body that scrolls with a scrollbar that is always
 * drawn (not an overlay that appears only on hover), the buttons fixed at the bottom.
 */
export const styles = [
  controlStyles,
  css`
    dialog {
      box-sizing: border-box;
      width: min(46rem, calc(100vw - 24px));
      max-width: none;
      max-height: calc(100vh - 24px);
      flex-direction: column;
    }
    dialog[open] {
      display: flex;
    }
    .counts ul {
      display: flex;
      flex-wrap: wrap;
      gap: 2px 10px;
      margin: 4px 0 6px;
      padding: 0;
      list-style: none;
    }
    .counts li.attention button {
      font-weight: 600;
    }
    button.link {
      min-height: 24px;
      padding: 0;
      border: none;
      background: none;
      color: var(--so-accent);
      text-decoration: underline;
    }
    button.link:hover:not(:disabled) {
      background: none;
    }
    .body {
      flex: 1 1 auto;
      min-height: 6rem;
      overflow-y: scroll;
      border: 1px solid var(--so-border);
      padding: 4px 8px;
    }
    /* Drawn always, also where the system hides scrollbars until one scrolls (overlay scrollbars). */
    .body::-webkit-scrollbar {
      width: 12px;
    }
    .body::-webkit-scrollbar-track {
      background: #eceff2;
    }
    .body::-webkit-scrollbar-thumb {
      background: #8a96a3;
      border: 2px solid #eceff2;
      border-radius: 6px;
    }
    .body:focus-visible {
      outline: 2px solid var(--so-accent);
    }
    h3 {
      margin: 6px 0 2px;
      font-size: 13px;
    }
    section ul {
      margin: 0 0 4px;
      padding-left: 18px;
    }
    section[data-category='linked'] ul {
      padding-left: 0;
      list-style: none;
    }
    li {
      margin: 1px 0;
      overflow-wrap: anywhere;
    }
    label {
      cursor: pointer;
    }
    input[type='checkbox'] {
      margin: 0 4px 0 0;
      vertical-align: middle;
      accent-color: var(--so-accent);
    }
    .bulk {
      display: flex;
      gap: 6px;
      margin-bottom: 2px;
    }
    .badge {
      display: inline-block;
      margin-inline-start: 6px;
      padding: 0 6px;
      border-radius: 8px;
      font-size: 11.5px;
      font-weight: normal;
      line-height: 16px;
      background: #e1f2e6;
      color: #17602f;
    }
    .badge[data-tone='warn'] {
      background: #fdf0d2;
      color: #6e4700;
    }
  `,
];
