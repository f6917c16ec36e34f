import { DataList } from './internal/data-list.js';
import { SelectionChangeEvent } from './internal/selection-change-event.js';

export { DataList, SelectionChangeEvent };
export type { CellContext, Column, SortDirection, SortState } from './internal/types.js';

customElements.define('so-data-list', DataList);

declare global {
  interface HTMLElementTagNameMap {
    'so-data-list': DataList;
  }
  interface GlobalEventHandlersEventMap {
    'selection-change': SelectionChangeEvent;
  }
}
