import { css } from 'lit';

/** A plain, centred card: the page is opened from an email, on any screen size. */
export const styles = css`
  :host {
    --so-accent: #0b5fa5;
    --so-border: #d0d7de;
    --so-text: #1f2933;
    --so-dim: #56606b;
    --so-error: #a3191f;
    --so-error-bg: #fdecec;
    --so-ok: #1e6b34;
    display: block;
    box-sizing: border-box;
    min-height: 100vh;
    padding: 32px 16px;
    background: #f3f5f7;
    color: var(--so-text);
    font-family: 'Segoe UI', Roboto, Arial, sans-serif;
    font-size: 15px;
    line-height: 1.45;
  }
  :host([hidden]) {
    display: none;
  }
  main {
    box-sizing: border-box;
    max-width: 36rem;
    margin: 0 auto;
    padding: 24px 28px;
    background: #fff;
    border: 1px solid var(--so-border);
    border-radius: 6px;
  }
  h1 {
    margin: 0 0 12px;
    font-size: 20px;
    font-weight: 600;
  }
  h2 {
    margin: 16px 0 4px;
    font-size: 15px;
    font-weight: 600;
  }
  p {
    margin: 8px 0;
  }
  .status strong {
    font-weight: 600;
  }
  .status:empty {
    margin: 0;
  }
  .label {
    color: var(--so-dim);
  }
  .dim {
    color: var(--so-dim);
  }
  .sync {
    margin: 4px 0 8px;
    padding-left: 20px;
  }
  .state {
    display: inline-block;
    margin-left: 6px;
    padding: 0 6px;
    border-radius: 3px;
    font-size: 13px;
    border: 1px solid var(--so-border);
    color: var(--so-dim);
  }
  .state[data-on='true'] {
    border-color: var(--so-ok);
    color: var(--so-ok);
  }
  .error {
    padding: 8px 10px;
    border-left: 4px solid var(--so-error);
    background: var(--so-error-bg);
    color: var(--so-error);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-top: 16px;
  }
  button {
    font: inherit;
    padding: 6px 16px;
    border: 1px solid #8a96a3;
    border-radius: 3px;
    background: #f7f9fb;
    color: var(--so-text);
    cursor: pointer;
  }
  button:hover:not(:disabled) {
    background: #e8eef4;
  }
  button:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: 2px;
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
  button.primary:hover:not(:disabled) {
    background: #094d86;
  }
  button.primary:disabled {
    background: #7fa6c8;
    border-color: #7fa6c8;
    color: #fff;
  }
`;
