import { css } from 'lit';

export const styles = css`
  :host { display: block; font: inherit; color: inherit; }
  header { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
  h2 { font-size: 1.1em; margin: 0; }
  h3 { font-size: 1em; margin: 16px 0 2px; }
  .hint, .meta { color: #555; margin: 0 0 6px; }
  ul { list-style: none; margin: 0; padding: 0; }
  li { display: flex; align-items: center; gap: 8px; padding: 4px 0; border-bottom: 1px solid #e4e4e4; flex-wrap: wrap; }
  .who { flex: 1 1 260px; min-width: 0; overflow-wrap: anywhere; }
  .since { color: #555; font-size: 0.9em; }
  button { font: inherit; padding: 2px 10px; }
  [role='alertdialog'] { border: 1px solid #b00; padding: 8px; margin: 4px 0; background: #fff8f8; }
  .error { color: #a00; }
  [role='status'] { min-height: 1.2em; }
`;
