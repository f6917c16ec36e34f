import { css } from 'lit';
import { controlStyles } from '../controls/controls.styles.js';

/** Light and compact like SuperOffice; fits a 1024×700 web panel (lists share the height). */
export const styles = [
  controlStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 6px;
      box-sizing: border-box;
      height: 100vh;
      padding: 8px 10px;
      overflow: auto;
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px 12px;
    }
    h1 {
      margin: 0;
      font-size: 15px;
      font-weight: 600;
    }
    .view {
      display: flex;
      flex: 1 1 auto;
      flex-direction: column;
      gap: 6px;
      min-height: 0;
    }
    .view[hidden] {
      display: none;
    }
    .mode h2 {
      margin: 0;
      font-size: 13px;
      font-weight: 600;
    }
    .mode label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }
    .mode input[type='number'] {
      width: 4.5rem;
    }
    .lists {
      flex: 1 1 auto;
      min-height: 22rem;
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
      grid-template-rows: minmax(9rem, 1fr) minmax(9rem, 1fr);
      gap: 6px;
    }
    .lists > * {
      min-height: 0;
    }
    so-linked-user-list {
      grid-column: 1 / -1;
    }
    so-invite-manager {
      flex: 1 1 auto;
      min-height: 26rem;
    }
    @media (max-width: 720px) {
      .lists {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: repeat(3, minmax(9rem, 1fr));
      }
    }
  `,
];
