/** The selection and keyboard arithmetic of a {@link DataList}: pure, on row keys and positions. */

/** The keys of `selection`, in the order of `rows`. */
export function orderedKeys<T>(rows: readonly T[], rowKey: (row: T) => string, selection: ReadonlySet<string>): string[] {
  if (selection.size === 0) return [];
  const keys: string[] = [];
  for (const row of rows) {
    const key = rowKey(row);
    if (selection.has(key)) keys.push(key);
  }
  return keys;
}

export function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}

/** The selection with `key` added, or removed when it was in. */
export function toggled(selection: ReadonlySet<string>, key: string): Set<string> {
  const next = new Set(selection);
  if (!next.delete(key)) next.add(key);
  return next;
}

/** The rows shown from position `from` to `to` (either way round), added to `base` when given. */
export function withRange<T>(shown: readonly T[], rowKey: (row: T) => string, from: number, to: number, base: ReadonlySet<string> | null): Set<string> {
  const next = new Set(base ?? []);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) next.add(rowKey(shown[i]!));
  return next;
}

/**
 * Where a navigation key moves the focus from `index` among `count` rows on show (clamped to
 * them), or null when the key does not move it. `page` is how many rows PageUp/PageDown skip.
 */
export function moveTarget(key: string, index: number, count: number, page: () => number): number | null {
  let target: number;
  switch (key) {
    case 'ArrowDown':
      target = index + 1;
      break;
    case 'ArrowUp':
      target = index - 1;
      break;
    case 'Home':
      target = 0;
      break;
    case 'End':
      target = count - 1;
      break;
    case 'PageDown':
      target = index + page();
      break;
    case 'PageUp':
      target = index - page();
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(count - 1, target));
}
