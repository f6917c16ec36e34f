import { UndoView } from './internal/undo-view.js';

export { UndoView };
export type { UndoClient } from './internal/undo-view.js';

customElements.define('so-undo-view', UndoView);

declare global {
  interface HTMLElementTagNameMap {
    'so-undo-view': UndoView;
  }
}
