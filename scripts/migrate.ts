import { loadConfig } from '../backend/config.js';
import { migrateToLatest } from '../backend/db/migrate.js';
import { openStore } from '../backend/db/store.js';

/** `npm run db:migrate`: brings the database named by DATABASE_URL up to date, then exits. */
const config = loadConfig();
const store = openStore(config.databaseUrl);
try {
  const applied = await migrateToLatest(store);
  console.log(`${store.description}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema already up to date'}`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await store.destroy();
}
