import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import mssql from 'mssql';
import { ApplySqlError, applySqlFiles, mssqlConfig, readSqlFiles, type SqlFile } from '../backend/db/apply-sql.js';
import { parseMssqlUrl } from '../backend/db/store.js';

/**
 * `npm run db:apply-sql [-- --dir <folder>]`: applies the reviewed SQL Server scripts (default
 * `sql/mssql/`) to the database named by MSSQL_URL, or DATABASE_URL when it is an `mssql://` URL.
 * Scripts already applied (by this command or by the app's migrations) are skipped. Exit 0 when
 * the schema is up to date, 1 when a batch failed (the file and batch are named), 2 for a usage
 * or configuration mistake.
 */
const USAGE = 'usage: MSSQL_URL=mssql://user:password@host:1433/database npm run db:apply-sql [-- --dir <folder of NNN_name.sql>]';

function refuse(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

let files: SqlFile[];
try {
  const { values } = parseArgs({ options: { dir: { type: 'string' } }, strict: true });
  // Runs as dist/scripts/apply-sql.js: the repository is two levels up.
  const dir = values.dir ? resolve(values.dir) : fileURLToPath(new URL('../../sql/mssql/', import.meta.url));
  files = readSqlFiles(dir);
  if (files.length === 0) refuse(`${dir} holds no .sql script`);
} catch (err) {
  refuse((err as Error).message);
}

const url = process.env.MSSQL_URL || (/^(mssql|sqlserver):/.test(process.env.DATABASE_URL ?? '') ? process.env.DATABASE_URL! : '');
if (!url) refuse('Set MSSQL_URL (or DATABASE_URL) to the SQL Server database, as mssql://user:password@host:1433/database?encrypt=true');
let config: mssql.config;
let where: string;
try {
  config = mssqlConfig(url);
  const o = parseMssqlUrl(url);
  where = `mssql://${o.server}:${o.port}/${o.database}`;
} catch (err) {
  // Never the URL itself: it carries the password.
  refuse(`The database URL is not a valid mssql:// URL (${(err as Error).message})`);
}

const pool = new mssql.ConnectionPool(config);
try {
  await pool.connect();
  const { applied } = await applySqlFiles(pool, files, (line) => console.log(line));
  console.log(`${where}: ${applied.length ? `applied ${applied.join(', ')}` : 'every script already applied'}`);
} catch (err) {
  console.error(err instanceof ApplySqlError ? err.message : `${where}: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.close();
}
