import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateToLatest } from '../backend/db/migrate.js';
import { openStore, type Store } from '../backend/db/store.js';
import { newLink } from '../test/helpers/harness.js';
export { seedHistoryBulk } from '../test/helpers/harness.js';

/** A scratch directory for the run's database files; `cleanup` removes it. */
export function scratchDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-bench-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

let files = 0;
/** A migrated, file-backed SQLite database (WAL, as in production) in `dir` (named `name`, else numbered). */
export async function fileStore(dir: string, name = `bench-${++files}.db`): Promise<Store> {
  const store = openStore(`sqlite:${join(dir, name)}`);
  await migrateToLatest(store);
  return store;
}

/** `count` new links for one Save Added Users request: associates and mailboxes `from`…`from+count-1`. */
export function newLinks(count: number, from = 1) {
  return Array.from({ length: count }, (_, i) => newLink(from + i));
}

