/**
 * `npm run sql:generate`: writes the reviewed DDL scripts `sql/<dialect>/NNN_name.sql` from the
 * migrations, for DBAs who create the schema themselves. test/backend/db/ddl.test.ts fails when
 * they are out of date.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationScripts } from '../backend/db/ddl-script.js';
import type { DialectName } from '../backend/db/dialect.js';

// Runs as dist/scripts/generate-sql.js: the repository is two levels up.
const root = fileURLToPath(new URL('../../', import.meta.url));

for (const dialect of ['sqlite', 'mssql'] satisfies DialectName[]) {
  const dir = join(root, 'sql', dialect);
  mkdirSync(dir, { recursive: true });
  const scripts = await migrationScripts(dialect);
  // A renamed or removed migration must not leave its old script behind.
  const keep = new Set(scripts.map((s) => s.file));
  for (const stale of readdirSync(dir).filter((f) => f.endsWith('.sql') && !keep.has(f))) rmSync(join(dir, stale));
  for (const script of scripts) {
    writeFileSync(join(dir, script.file), script.text);
    console.log(`wrote sql/${dialect}/${script.file}`);
  }
}
