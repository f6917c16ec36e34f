import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 10rem;
  }
  :host([hidden]) {
    display: none;
  }
`;
