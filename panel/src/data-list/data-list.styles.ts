import { css } from 'lit';

/**
 * Light and compact, like SuperOffice's own lists: system UI fonts at 12–13px, hairline borders,
 * a pale blue selection. Colours are custom properties so the panel can follow a theme; every
 * text colour keeps WCAG AA contrast on the backgrounds it appears on.
 */
export const styles = css`
  :host {
    /* Its own properties first, then the panel's theme (inherited from the panel), then the fallback. */
    --so-accent: var(--so-data-list-accent, var(--so-panel-accent, #0b5fa5));
    --so-border: var(--so-data-list-border, var(--so-panel-border, #d0d7de));
    --so-text: var(--so-panel-text, #1f2933);
    --so-dim: var(--so-panel-dim, #56606b);
    --so-head-bg: var(--so-panel-head-bg, #f3f5f7);
    --so-hover-bg: var(--so-panel-hover-bg, #f0f5fa);
    --so-selected-bg: var(--so-panel-selected-bg, #d7e7f6);
    --so-error: var(--so-panel-error, #a3191f);

    position: relative;
    display: flex;
    flex-direction: column;
    box-sizing: border-box;
    height: 100%;
    min-height: 10rem;
    border: 1px solid var(--so-border);
    background: var(--so-panel-bg, #fff);
    color: var(--so-text);
    font-family: var(--so-panel-font, 'Segoe UI', Roboto, Arial, sans-serif);
    font-size: var(--so-panel-font-size, 13px);
    line-height: 1.35;
  }
  :host([hidden]) {
    display: none;
  }

  .toolbar {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 4px 6px;
    border-bottom: 1px solid var(--so-border);
    background: #fafbfc;
  }
  .search {
    flex: 0 1 16rem;
    min-width: 7rem;
    box-sizing: border-box;
    padding: 2px 6px;
    border: 1px solid #aab4bf;
    border-radius: 2px;
    font: inherit;
    color: inherit;
    background: #fff;
  }
  .search:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: -1px;
  }
  .status {
    margin-left: auto;
    overflow: hidden;
    color: var(--so-dim);
    font-size: 12px;
    white-space: nowrap;
    text-overflow: ellipsis;
  }

  .grid {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-height: 0;
  }
  .row {
    display: grid;
    grid-template-columns: var(--so-columns, minmax(0, 1fr));
    align-items: center;
    box-sizing: border-box;
    width: 100%;
    border-bottom: 1px solid #eceff2;
  }
  .head {
    overflow: hidden;
    /* Reserve the body's scrollbar width so header and cells line up. */
    scrollbar-gutter: stable;
    border-bottom: 1px solid var(--so-border);
    background: var(--so-head-bg);
  }
  .head .row {
    border-bottom: none;
  }
  .body {
    flex: 1;
    min-height: 0;
    overflow: auto;
    scrollbar-gutter: stable;
  }
  .body:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: -2px;
  }

  [role='columnheader'] {
    min-width: 0;
    font-size: 12px;
    font-weight: 600;
  }
  .sort,
  .label {
    display: flex;
    align-items: center;
    gap: 4px;
    box-sizing: border-box;
    width: 100%;
    padding: 4px 8px;
    border: 0;
    background: none;
    color: inherit;
    font: inherit;
    text-align: start;
    white-space: nowrap;
    overflow: hidden;
  }
  /* A header too narrow for its label ends in an ellipsis (its title has the whole label); the arrow stays. */
  .sort .text,
  .label .text {
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .sort {
    cursor: pointer;
  }
  .sort:hover {
    background: #e7ecf1;
  }
  .sort:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: -2px;
  }
  .arrow {
    flex: none;
    color: var(--so-accent);
    font-size: 9px;
  }
  .align-center .sort,
  .align-center .label {
    justify-content: center;
  }
  .align-end .sort,
  .align-end .label {
    justify-content: flex-end;
  }

  [role='gridcell'] {
    min-width: 0;
    padding: 3px 8px;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
  [role='gridcell'].align-center {
    text-align: center;
  }
  [role='gridcell'].align-end {
    text-align: end;
  }
  .body .row {
    min-height: 24px;
    cursor: default;
  }
  .body .row:hover {
    background: var(--so-hover-bg);
  }
  .body .row[aria-selected='true'] {
    background: var(--so-selected-bg);
  }
  .body .row:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: -2px;
  }
  .body .row.muted {
    color: var(--so-dim);
  }
  .body .row.added {
    box-shadow: inset 3px 0 0 #1f7a44;
  }
  .body .row.modified {
    box-shadow: inset 3px 0 0 #b06f00;
  }

  .empty {
    position: absolute;
    inset: 4.5rem 0 auto;
    margin: 0;
    padding: 0 1rem;
    color: var(--so-dim);
    text-align: center;
  }

  /* The cell vocabulary column templates may use (they render inside this shadow root). */
  .dim {
    color: var(--so-dim);
  }
  .badge {
    display: inline-block;
    box-sizing: border-box;
    max-width: 100%;
    overflow: hidden;
    vertical-align: middle;
    text-overflow: ellipsis;
    padding: 0 6px;
    border-radius: 8px;
    background: #eceff2;
    color: #3d4650;
    font-size: 11.5px;
    line-height: 16px;
    white-space: nowrap;
  }
  .badge + .badge {
    margin-inline-start: 4px;
  }
  .badge[data-tone='ok'] {
    background: #e1f2e6;
    color: #17602f;
  }
  .badge[data-tone='warn'] {
    background: #fdf0d2;
    color: #6e4700;
  }
  .badge[data-tone='info'] {
    background: #e0ecf8;
    color: #0a4a80;
  }
  .badge[data-tone='danger'] {
    background: #fbe4e4;
    color: #8f1419;
  }
  input[type='checkbox'] {
    width: 14px;
    height: 14px;
    margin: 0;
    vertical-align: middle;
    accent-color: var(--so-accent);
  }
  input.rank {
    box-sizing: border-box;
    width: 3.75rem;
    padding: 1px 4px;
    border: 1px solid #aab4bf;
    border-radius: 2px;
    font: inherit;
    color: inherit;
    background: #fff;
  }
  /* Read only: the rank reads as text, not as a field to type in. */
  input.rank:disabled {
    border-color: transparent;
    background: transparent;
    color: inherit;
    appearance: textfield;
  }
  input.rank:disabled::-webkit-inner-spin-button,
  input.rank:disabled::-webkit-outer-spin-button {
    appearance: none;
    margin: 0;
  }
  input.rank[aria-invalid='true'] {
    border-color: var(--so-error);
    background: #fff5f5;
  }
  input:focus-visible {
    outline: 2px solid var(--so-accent);
    outline-offset: 1px;
  }
  .field-error {
    display: block;
    color: var(--so-error);
    font-size: 11.5px;
    white-space: normal;
  }
`;
