import { SoError } from './errors.js';

/** What one archive restriction clause means: a row test, or the `getAllRows` / `getNoRows` switches. */
export type ClauseMeaning<T> = ((row: T) => boolean) | 'all' | 'none';

/**
 * Archive restrictions as `$filter` and the Archive agent take them: `column operator value`
 * clauses joined by `and` (the "OData archives" and ArchiveAgent docs). `pattern` matches one
 * clause at the start of the text with groups name, operator and value; `clause` gives its meaning.
 */
export function conjunction<T>(text: string, pattern: RegExp, clause: (name: string, op: string, value: string) => ClauseMeaning<T>): (row: T) => boolean {
  const predicates: ((row: T) => boolean)[] = [];
  let rest = text.trim();
  let none = false;
  while (rest.length > 0) {
    const m = pattern.exec(rest);
    if (!m) throw new SoError(400, 'ArgumentException', `Cannot parse the restriction '${rest}'.`);
    const [whole, name = '', op = '', value = ''] = m;
    const meaning = clause(name, op, value);
    if (meaning === 'none') none = true;
    else if (meaning !== 'all') predicates.push(meaning);
    rest = rest.slice(whole.length).trim();
  }
  if (none) return () => false;
  return (row) => predicates.every((p) => p(row));
}

/** "fullName asc, associateDbId desc" (agent SortOrder and OData $orderBy share the syntax); `columnOf` resolves a name or refuses it. */
export function parseSortKeys<C>(list: string, columnOf: (name: string) => C): { column: C; descending: boolean }[] {
  return list
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name = '', direction = 'asc', ...rest] = part.split(/\s+/);
      const dir = direction.toLowerCase();
      if (rest.length > 0 || (dir !== 'asc' && dir !== 'desc')) throw new SoError(400, 'ArgumentException', `Cannot sort by '${part}'.`);
      return { column: columnOf(name), descending: dir === 'desc' };
    });
}
