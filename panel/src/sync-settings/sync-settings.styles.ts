import { css } from 'lit';
import { controlStyles } from '../controls/controls.styles.js';

/**
 * Light and compact like SuperOffice; fits a 1024×700 web panel: the workspace (toolbar, feedback,
 * lists) takes the height, the sections below it take one line each until opened.
 */
export const styles = [
  controlStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      gap: var(--so-gap);
      box-sizing: border-box;
      height: 100vh;
      padding: 8px 10px;
      overflow: auto;
      background: var(--so-bg);
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
      gap: var(--so-gap);
      min-height: 0;
    }
    .workspace {
      display: flex;
      flex: 1 1 auto;
      flex-direction: column;
      gap: var(--so-gap);
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
      gap: var(--so-gap);
    }
    /* Read only: the linked users alone. */
    .lists.single {
      grid-template-rows: minmax(9rem, 1fr);
    }
    section.list {
      display: flex;
      flex-direction: column;
      gap: 2px;
      min-width: 0;
      min-height: 0;
    }
    section.list > :last-child {
      flex: 1 1 auto;
      min-height: 0;
    }
    section.list[data-section='linked'] {
      grid-column: 1 / -1;
    }
    h2 {
      margin: 0;
      font-size: 13px;
      font-weight: 600;
    }
    .count {
      margin-inline-start: 4px;
      padding: 0 6px;
      border-radius: 8px;
      background: var(--so-head-bg);
      color: var(--so-dim);
      font-size: 11.5px;
      font-weight: 400;
    }
    .section {
      flex: none;
    }
    details.tenant {
      border: 1px solid var(--so-border);
      border-radius: 2px;
    }
    details.tenant > summary {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 2px 10px;
      padding: 3px 8px;
      background: var(--so-head-bg);
      cursor: pointer;
    }
    details.tenant > summary::before {
      content: '▸';
      color: var(--so-dim);
    }
    details.tenant[open] > summary::before {
      content: '▾';
    }
    details.tenant > summary::-webkit-details-marker {
      display: none;
    }
    details.tenant > summary:focus-visible {
      outline: 2px solid var(--so-accent);
      outline-offset: -2px;
    }
    .settings {
      display: flex;
      flex-direction: column;
      gap: var(--so-gap);
      padding: 6px 8px;
    }
    section[data-oauth] {
      display: flex;
      flex-direction: column;
      gap: 2px;
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
      .lists.single {
        grid-template-rows: minmax(9rem, 1fr);
      }
    }
  `,
];
