/** The selection changed by the user's hand (or rows it held left `items`). */
export class SelectionChangeEvent extends Event {
  static readonly eventName = 'selection-change';
  /** The selected row keys, in the order of `items`. */
  readonly ids: readonly string[];
  /** The same keys as a set: the list's new `selection`. */
  readonly selection: ReadonlySet<string>;

  constructor(ids: readonly string[], selection: ReadonlySet<string>) {
    super(SelectionChangeEvent.eventName, { bubbles: true, composed: true });
    this.ids = ids;
    this.selection = selection;
  }
}
