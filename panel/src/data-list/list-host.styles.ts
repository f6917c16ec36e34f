import { css } from 'lit';

/** The host of a list that wraps `so-data-list`: a block that fills its slot, at least 10rem high. */
export const listHostStyles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 10rem;
  }
  :host([hidden]) {
    display: none;
  }
`;
