import { SelectionChangeEvent } from './selection-change-event.js';
import { moveTarget, orderedKeys, sameKeys, toggled, withRange } from './selection.js';

/** What the selection needs of its list. */
export interface GridSelectionHost<T> extends EventTarget {
  selection: ReadonlySet<string>;
  readonly items: readonly T[];
  readonly rowKey: (row: T) => string;
}

export interface GridSelectionOptions<T> {
  /** The rows on show, in display order, and each key's position among them. */
  shown: () => { rows: readonly T[]; positions: ReadonlyMap<string, number> };
  /** Gives a row the tab stop. */
  activate: (key: string) => void;
  /** Moves the tab stop and the focus to a row on show. */
  focusIndex: (index: number) => Promise<void>;
  /** How many rows PageUp/PageDown skip from this row. */
  pageSize: (row: HTMLElement) => number;
}

/** Elements inside a row that handle their own clicks and keys. */
const CONTROL = 'input, button, select, textarea, a[href], label';

/**
 * A grid's selection by mouse and keyboard: click, Ctrl/Cmd+click, Shift+click ranges; the arrow,
 * Home/End and Page keys with Shift ranges from the anchor row; Space; Ctrl/Cmd+A. Replaces the
 * host's `selection` and fires {@link SelectionChangeEvent} when the user changed it. Listens on
 * the element that holds the rows (bind its handlers there).
 */
export class GridSelection<T> {
  /** Where Shift ranges start: the last row clicked or toggled without Shift. */
  private anchorKey: string | null = null;

  private readonly host: GridSelectionHost<T>;
  private readonly o: GridSelectionOptions<T>;

  constructor(host: GridSelectionHost<T>, options: GridSelectionOptions<T>) {
    this.host = host;
    this.o = options;
  }

  /** Takes a new selection; says so unless it is the same. */
  private commit(next: Set<string>): void {
    if (sameKeys(next, this.host.selection)) return;
    this.host.selection = next;
    this.host.dispatchEvent(new SelectionChangeEvent(orderedKeys(this.host.items, this.host.rowKey, next), next));
  }

  private toggle(key: string): void {
    this.anchorKey = key;
    this.commit(toggled(this.host.selection, key));
  }

  /** Selects the rows between two keys (as displayed), replacing the selection or adding to it. */
  private selectRange(fromKey: string, toKey: string, add: boolean): void {
    const { rows, positions } = this.o.shown();
    const to = positions.get(toKey);
    if (to === undefined) return;
    this.commit(withRange(rows, this.host.rowKey, positions.get(fromKey) ?? to, to, add ? this.host.selection : null));
  }

  /** The row an event happened in, and whether it happened in a control inside the row. */
  private hit(e: Event): { row: HTMLElement; key: string; inControl: boolean } | null {
    let inControl = false;
    for (const node of e.composedPath()) {
      // Listeners sit on the scroll area: look no further out than it.
      if (!(node instanceof HTMLElement) || node === e.currentTarget) break;
      if (node.getAttribute('role') === 'row' && node.dataset['key'] !== undefined) {
        return { row: node, key: node.dataset['key'], inControl };
      }
      if (node.matches(CONTROL)) inControl = true;
    }
    return null;
  }

  onMouseDown = (e: MouseEvent): void => {
    // Shift+click extends the selection; keep the browser from selecting text as well.
    const hit = this.hit(e);
    if (e.shiftKey && hit && !hit.inControl) e.preventDefault();
  };

  /** Focus entering a row, or a control in it, brings the tab stop along. */
  onFocusIn = (e: FocusEvent): void => {
    const hit = this.hit(e);
    if (hit) this.o.activate(hit.key);
  };

  onClick = (e: MouseEvent): void => {
    const hit = this.hit(e);
    // A control's click is its own. (Re-rendering here would also undo a checkbox's toggle
    // before its change event.)
    if (!hit || hit.inControl) return;
    this.o.activate(hit.key);
    const add = e.ctrlKey || e.metaKey;
    if (e.shiftKey) {
      this.selectRange(this.anchorKey ?? hit.key, hit.key, add);
    } else if (add) {
      this.toggle(hit.key);
    } else {
      this.anchorKey = hit.key;
      this.commit(new Set([hit.key]));
    }
    hit.row.focus({ preventScroll: true });
  };

  onKeyDown = (e: KeyboardEvent): void => {
    const hit = this.hit(e);
    if (!hit || hit.inControl) return;
    const { rows, positions } = this.o.shown();
    const index = positions.get(hit.key);
    if (index === undefined) return;
    const add = e.ctrlKey || e.metaKey;
    if (e.key === ' ') {
      e.preventDefault();
      if (e.shiftKey) this.selectRange(this.anchorKey ?? hit.key, hit.key, add);
      else this.toggle(hit.key);
      return;
    }
    if (e.key === 'a' || e.key === 'A') {
      if (add && !e.altKey) {
        e.preventDefault();
        this.commit(new Set(rows.map(this.host.rowKey)));
      }
      return;
    }
    const target = moveTarget(e.key, index, rows.length, () => this.o.pageSize(hit.row));
    if (target === null) return;
    e.preventDefault();
    const targetKey = this.host.rowKey(rows[target]!);
    if (e.shiftKey) {
      this.anchorKey ??= hit.key;
      this.selectRange(this.anchorKey, targetKey, add);
    } else {
      // A plain move takes the anchor along: Shift ranges then start where the user is.
      this.anchorKey = targetKey;
    }
    void this.o.focusIndex(target);
  };
}
