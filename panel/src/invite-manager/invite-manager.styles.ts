import { css } from 'lit';
import { controlStyles } from '../controls/controls.styles.js';

/** The list on the left, the invite email on the right; fits the 1024×700 web panel under the shell's header. */
export const styles = [
  controlStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      gap: 6px;
      min-height: 0;
    }
    h2 {
      margin: 0;
      font-size: 14px;
      font-weight: 600;
    }
    h3 {
      margin: 0 0 2px;
      font-size: 13px;
      font-weight: 600;
    }
    /* Never squeezed by the list below: a message is read whole (it scrolls past 9rem). */
    .messages {
      flex: none;
      max-height: 9rem;
    }
    .link {
      display: flex;
      flex-direction: column;
      gap: 2px;
      padding: 4px 8px;
      border: 1px solid var(--so-border);
    }
    .link input {
      width: 100%;
      font-family: Consolas, 'Courier New', monospace;
    }
    .content {
      flex: 1 1 auto;
      min-height: 16rem;
      display: grid;
      grid-template-columns: minmax(0, 1fr) minmax(15rem, 19rem);
      gap: 6px;
    }
    .content > * {
      min-height: 0;
    }
    .form {
      display: flex;
      flex-direction: column;
      gap: 2px;
      overflow: auto;
      padding: 6px 8px;
      border: 1px solid var(--so-border);
    }
    .form label:not(.check) {
      margin-top: 4px;
      font-weight: 600;
    }
    .form input:not([type='checkbox']),
    .form textarea {
      width: 100%;
    }
    .form textarea {
      resize: vertical;
      min-height: 7rem;
    }
    .form .hint {
      font-size: 12px;
    }
    .check {
      display: flex;
      align-items: flex-start;
      gap: 6px;
      margin-top: 6px;
    }
    @media (max-width: 720px) {
      .content {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: minmax(12rem, 1fr) auto;
      }
    }
  `,
];
