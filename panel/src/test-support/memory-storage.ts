/** A `Storage` in memory, for tests (a fresh one per test, unlike the page's `sessionStorage`); `broken` makes every call throw, as a storage-blocking browser does. */
export function memoryStorage(broken = false): Storage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  const guard = () => {
    if (broken) throw new DOMException('The operation is insecure.', 'SecurityError');
  };
  return {
    map,
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    key: (i: number) => [...map.keys()][i] ?? null,
    getItem: (k: string) => (guard(), map.get(k) ?? null),
    setItem: (k: string, v: string) => (guard(), void map.set(k, String(v))),
    removeItem: (k: string) => (guard(), void map.delete(k)),
  };
}
