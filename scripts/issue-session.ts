import { parseArgs } from 'node:util';
import { issueSession } from '../backend/auth/session.service.js';
import { loadConfig } from '../backend/config.js';
import { migrateToLatest } from '../backend/db/migrate.js';
import { openStore } from '../backend/db/store.js';

/**
 * `npm run session:issue -- --tenant Cust12345 --associate 5 --name "Ada" [--admin]`
 * Prints a session token for calling the API by hand (curl) before SuperOffice sign-in is set
 * up. It needs direct access to the database, so it grants nothing a database owner lacks.
 */
const { values } = parseArgs({
  options: {
    tenant: { type: 'string' },
    associate: { type: 'string' },
    name: { type: 'string', default: 'Command line' },
    admin: { type: 'boolean', default: false },
    minutes: { type: 'string' },
  },
});
if (!values.tenant || !values.associate) {
  console.error('usage: npm run session:issue -- --tenant <ctx> --associate <id> [--name <name>] [--admin] [--minutes <n>]');
  process.exit(2);
}
const config = loadConfig();
const store = openStore(config.databaseUrl);
try {
  await migrateToLatest(store);
  const { token, session } = await issueSession(
    store,
    { tenantId: values.tenant, associateId: Number(values.associate), associateName: values.name, isAdmin: values.admin },
    values.minutes ? Number(values.minutes) : config.sessionTtlMinutes,
  );
  console.error(`session for associate ${session.associateId} in ${session.tenantId}${session.isAdmin ? ' (administrator)' : ''}, valid until ${session.expiresAt}`);
  console.log(token);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await store.destroy();
}
