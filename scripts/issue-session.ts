import { parseArgs } from 'node:util';
import { issueSession } from '../backend/auth/session.service.js';
import { ConfigError, loadConfig } from '../backend/config.js';
import { migrateToLatest } from '../backend/db/migrate.js';
import { openStore } from '../backend/db/store.js';
import { findTenant } from '../backend/tenants/tenant.repository.js';

/**
 * `npm run session:issue -- --tenant Cust12345 --associate 5 --name "Ada" [--admin] [--minutes 60] [--create-tenant]`
 * Prints a session token for calling the API by hand (curl) before SuperOffice sign-in is set
 * up. It needs direct access to the database, so it grants nothing a database owner lacks.
 * The tenant must exist (someone of it signed in once) unless --create-tenant says to add it:
 * a mistyped tenant id would otherwise quietly become a new, empty tenant.
 */
const USAGE =
  'usage: npm run session:issue -- --tenant <ctx> --associate <id> [--name <name>] [--admin] [--minutes <1-10080>] [--create-tenant]';
const MAX_MINUTES = 7 * 24 * 60;

/** A one-line complaint and the usage, exit code 2: a mistake in the command, not a failure. */
function refuse(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        tenant: { type: 'string' },
        associate: { type: 'string' },
        name: { type: 'string', default: 'Command line' },
        admin: { type: 'boolean', default: false },
        minutes: { type: 'string' },
        'create-tenant': { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    // parseArgs explains itself (unknown option, missing value, `--minutes -5`); no stack.
    return refuse(err instanceof Error ? err.message : String(err));
  }
}

const values = readArgs();
if (!values.tenant || !values.associate) refuse('--tenant and --associate are required.');
if (!/^[A-Za-z0-9_-]{1,64}$/.test(values.tenant)) refuse('--tenant must be a SuperOffice context identifier such as Cust12345.');
if (!/^[1-9]\d{0,9}$/.test(values.associate) || Number(values.associate) > 2_147_483_647) refuse('--associate must be a positive whole number.');
if (values.minutes !== undefined && (!/^[1-9]\d*$/.test(values.minutes) || Number(values.minutes) > MAX_MINUTES)) {
  refuse(`--minutes must be a whole number from 1 to ${MAX_MINUTES}.`);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) refuse(err.message);
  throw err;
}
const store = openStore(config.databaseUrl);
try {
  await migrateToLatest(store);
  if (!values['create-tenant'] && !(await findTenant(store, values.tenant))) {
    console.error(`There is no tenant ${values.tenant} in this database; check the id, or add --create-tenant to add it.`);
    process.exitCode = 2;
  } else {
    const { token, session } = await issueSession(
      store,
      { tenantId: values.tenant, associateId: Number(values.associate), associateName: values.name, isAdmin: values.admin },
      values.minutes ? Number(values.minutes) : config.sessionTtlMinutes,
    );
    console.error(`session for associate ${session.associateId} in ${session.tenantId}${session.isAdmin ? ' (administrator)' : ''}, valid until ${session.expiresAt}`);
    console.log(token);
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await store.destroy();
}
