import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../backend/config.js';
import { openStore } from '../backend/db/store.js';
import { DeployFailed, describeStep } from '../backend/deploy/deploy.js';
import { ManifestError } from '../backend/deploy/manifest.js';
import { runDeploy, type DeployAuth } from '../backend/deploy/run.js';
import { SuperOfficeDeployError } from '../backend/deploy/superoffice-panels.js';
import { createFetch } from '../backend/http/outbound.js';
import { SUPEROFFICE_CALLBACK } from '../backend/http/paths.js';
import { SecretBox } from '../backend/security/secret-box.js';
import { SuperOfficeOidc } from '../backend/superoffice/oidc.js';

const USAGE = `usage: npm run deploy -- --tenant <ctx> [--dry-run] [--uninstall] [options]

  --tenant <ctx>        SuperOffice context identifier, e.g. Cust12345 (required)
  --dry-run             print the plan (create / update / restore / unchanged / visibility); change nothing
  --uninstall           remove the manifest's panels (marked deleted) and nothing else
  --base-url <url>      the app's public URL for \${baseUrl} (default: PUBLIC_URL)
  --manifest <file>     default: manifest/app.manifest.json
  --auth system|admin   system: the tenant's system user (SUPEROFFICE_SYSTEM_TOKEN, SUPEROFFICE_PRIVATE_KEY_FILE);
                        admin: an administrator's stored panel sign-in (DATABASE_URL, TOKEN_ENCRYPTION_KEY).
                        Default: system when SUPEROFFICE_SYSTEM_TOKEN is set, else admin.
  --associate <id>      with --auth admin: whose sign-in (default: the most recent administrator's)
  --development         allow an http://localhost base URL (production requires https)`;

let values;
try {
  ({ values } = parseArgs({
    options: {
      tenant: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      uninstall: { type: 'boolean', default: false },
      'base-url': { type: 'string' },
      manifest: { type: 'string' },
      auth: { type: 'string' },
      associate: { type: 'string' },
      development: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.tenant || !/^[A-Za-z0-9_-]{1,64}$/.test(values.tenant) || (values.auth && !['system', 'admin'].includes(values.auth))) {
  console.error(USAGE);
  process.exit(2);
}

const config = loadConfig();
const env = process.env;
const fetchImpl = createFetch({ extraCa: config.extraCaFile ? readFileSync(config.extraCaFile, 'utf8') : undefined });
const kind = values.auth ?? (env.SUPEROFFICE_SYSTEM_TOKEN ? 'system' : 'admin');
let store: ReturnType<typeof openStore> | null = null;
let auth: DeployAuth;
if (kind === 'system') {
  if (!env.SUPEROFFICE_SYSTEM_TOKEN || !env.SUPEROFFICE_PRIVATE_KEY_FILE || !env.SUPEROFFICE_CLIENT_SECRET) {
    console.error('--auth system needs SUPEROFFICE_SYSTEM_TOKEN, SUPEROFFICE_PRIVATE_KEY_FILE and SUPEROFFICE_CLIENT_SECRET.');
    process.exit(2);
  }
  auth = {
    kind: 'system',
    settings: {
      superofficeUrl: env.SUPEROFFICE_URL ?? 'https://online.superoffice.com',
      contextId: values.tenant,
      systemToken: env.SUPEROFFICE_SYSTEM_TOKEN,
      privateKeyPem: readFileSync(env.SUPEROFFICE_PRIVATE_KEY_FILE, 'utf8'),
      appToken: env.SUPEROFFICE_CLIENT_SECRET,
    },
  };
} else {
  if (!config.tokenEncryptionKey) {
    console.error('--auth admin reads the stored sign-in from the database: set DATABASE_URL and TOKEN_ENCRYPTION_KEY as for the backend.');
    process.exit(2);
  }
  store = openStore(config.databaseUrl);
  auth = {
    kind: 'admin',
    store,
    box: SecretBox.fromSetting(config.tokenEncryptionKey),
    oidc: config.superoffice ? new SuperOfficeOidc({ ...config.superoffice, redirectUri: config.publicUrl + SUPEROFFICE_CALLBACK }, fetchImpl) : null,
    appToken: env.SUPEROFFICE_CLIENT_SECRET,
    ...(values.associate ? { associateId: Number(values.associate) } : {}),
  };
}

try {
  await runDeploy(
    {
      tenant: values.tenant,
      dryRun: values['dry-run'],
      uninstall: values.uninstall,
      manifestFile: values.manifest,
      baseUrl: values['base-url'] ?? config.publicUrl,
      production: !values.development,
      auth,
      fetch: fetchImpl,
    },
    (line) => console.log(line),
  );
} catch (err) {
  if (err instanceof ManifestError) {
    console.error(err.message);
    process.exitCode = 2;
  } else if (err instanceof DeployFailed) {
    for (const step of err.applied) console.error(`  done      ${describeStep(step)}`);
    console.error(`Stopped: ${err.message}\nRun the same command again to finish; steps already done are skipped.`);
    process.exitCode = 1;
  } else if (err instanceof SuperOfficeDeployError) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  }
} finally {
  await store?.destroy();
}
