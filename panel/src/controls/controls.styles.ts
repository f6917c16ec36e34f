import { css } from 'lit';

/**
 * The look of the panel's own controls, shared by the app shell and the views it opens: buttons,
 * action bars with their messages, form fields with their validation messages, and modal dialogs.
 * Light and compact like SuperOffice; every text colour keeps WCAG AA contrast.
 */
export const controlStyles = css`
  :host {
    /* The panel's theme: --so-panel-* set on the panel (or any ancestor) win, else these fallbacks. */
    --so-accent: var(--so-panel-accent, #0b5fa5);
    --so-border: var(--so-panel-border, #d0d7de);
    --so-text: var(--so-panel-text, #1f2933);
    --so-dim: var(--so-panel-dim, #56606b);
    --so-error: var(--so-panel-error, #a3191f);
    --so-warn-bg: var(--so-panel-warn-bg, #fff4d6);
    --so-bg: var(--so-panel-bg, #fff);
    --so-head-bg: var(--so-panel-head-bg, #f3f5f7);
    --so-gap: var(--so-panel-gap, 6px);
    color: var(--so-text);
    font-family: var(--so-panel-font, 'Segoe UI', Roboto, Arial, sans-serif);
    font-size: var(--so-panel-font-size, 13px);
  }
  :host([hidden]) {
    display: none;
  }
  p {
    margin: 0;
  }
  button {
    font: inherit;
    padding: 3px 10px;
    border: 1px solid #8a96a3;
    border-radius: 3px;
    background: #f7f9fb;
    color: var(--so-text);
    cursor: pointer;
    white-space: nowrap;
  }
  button:hover:not(:disabled) {
    background: #e8eef4;
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: 1px;
  }
  button:disabled {
    cursor: default;
    color: #6b7580;
    border-color: #c3cad2;
  }
  button.primary {
    background: var(--so-accent);
    border-color: var(--so-accent);
    color: #fff;
  }
  button.danger {
    background: var(--so-error);
    border-color: var(--so-error);
    color: #fff;
  }
  input:not([type='checkbox']):not([type='radio']),
  textarea {
    box-sizing: border-box;
    padding: 2px 6px;
    border: 1px solid #8a96a3;
    border-radius: 2px;
    background: #fff;
    color: inherit;
    font: inherit;
  }
  input[aria-invalid='true'],
  textarea[aria-invalid='true'] {
    border-color: var(--so-error);
  }
  input[readonly] {
    background: #f3f5f7;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 6px;
  }
  .action {
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .note {
    padding: 4px 8px;
    border: 1px solid #e0c36a;
    background: var(--so-warn-bg);
  }
  .status,
  .hint {
    color: var(--so-dim);
  }
  [role='alert'] {
    color: var(--so-error);
    font-weight: 600;
  }
  .field-error {
    color: var(--so-error);
    font-weight: 600;
  }
  .messages:empty {
    display: none;
  }
  .messages {
    display: flex;
    flex-direction: column;
    gap: 2px;
    max-height: 7.5rem;
    overflow: auto;
  }
  /* The toolbar's feedback: a fixed height whatever it holds (a scrollbar shows when it is full), so the lists never move. */
  .feedback {
    flex: none;
    display: flex;
    flex-direction: column;
    gap: 2px;
    box-sizing: border-box;
    height: calc(3 * 1.35em + 8px);
    padding: 3px 6px;
    overflow-y: auto;
    border: 1px solid var(--so-border);
    border-radius: 2px;
    background: var(--so-panel-feedback-bg, #fafbfc);
    line-height: 1.35;
  }
  .message {
    display: flex;
    align-items: baseline;
    gap: 8px;
  }
  .message > p {
    flex: 1 1 auto;
    min-width: 0;
  }
  button.dismiss {
    flex: none;
    padding: 0 6px;
    font-size: 12px;
  }
  .summary ul {
    margin: 2px 0 0;
    padding-left: 18px;
  }
  .summary .names {
    color: var(--so-dim);
  }
  dialog {
    max-width: 30rem;
    border: 1px solid var(--so-border);
    border-radius: 4px;
    padding: 12px 16px;
    color: var(--so-text);
    font: inherit;
  }
  dialog::backdrop {
    background: rgb(0 0 0 / 30%);
  }
  dialog h2 {
    margin: 0 0 8px;
    font-size: 14px;
  }
  dialog p {
    margin: 0 0 6px;
  }
  dialog ul.who {
    max-height: 160px;
    overflow: auto;
    margin: 0 0 8px;
    padding-left: 18px;
  }
  dialog .warning {
    font-weight: 600;
  }
  dialog .buttons {
    display: flex;
    justify-content: flex-end;
    gap: 6px;
    margin-top: 10px;
  }
`;
