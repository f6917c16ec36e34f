import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ApplySqlError, mssqlConfig, pendingFiles, readSqlFiles } from '../../../backend/db/apply-sql.js';
import { migrations } from '../../../backend/db/migrate.js';

// Runs as dist/test/backend/db/apply-sql.test.js: the repository is four levels up.
const dir = fileURLToPath(new URL('../../../../sql/mssql/', import.meta.url));
const names = Object.keys(migrations('mssql')).sort();

/** What `npm run db:apply-sql` decides before it sends anything; the live run is in mssql-live.test.ts. */
describe('db:apply-sql: which scripts to apply', () => {
  const files = readSqlFiles(dir);

  test('every committed script, in file order, names the migration it records', () => {
    assert.deepEqual(files.map((f) => f.migration), names);
    assert.deepEqual(files.map((f) => f.file), [...files.map((f) => f.file)].sort());
    for (const f of files) assert.ok(f.batches.length > 3, f.file);
  });

  test('an empty database gets every script; a migrated one none; a half-done one the rest', () => {
    assert.deepEqual(pendingFiles(files, new Set()), files);
    assert.deepEqual(pendingFiles(files, new Set(names)), []);
    assert.deepEqual(pendingFiles(files, new Set(names.slice(0, 2))).map((f) => f.migration), names.slice(2));
  });

  test('a database newer than the scripts, or with a gap, is refused as the Migrator refuses it', () => {
    assert.throws(() => pendingFiles(files, new Set([...names, '20301231_099_future'])), (err) => err instanceof ApplySqlError && /20301231_099_future/.test(err.message));
    assert.throws(
      () => pendingFiles(files, new Set([names[0]!, names[2]!])),
      (err) => err instanceof ApplySqlError && err.message.includes(files[2]!.file) && err.message.includes(files[1]!.file),
    );
  });

  test('a file that is not a generated script, or whose GO lines are wrong, is refused by name before anything runs', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'apply-sql-'));
    try {
      writeFileSync(join(scratch, '001_initial.sql'), readFileSync(join(dir, '001_initial.sql')));
      writeFileSync(join(scratch, '002_hand.sql'), 'create table x (id int);\nGO\n');
      assert.throws(() => readSqlFiles(scratch), (err) => err instanceof ApplySqlError && err.message.startsWith('002_hand.sql is not a generated script'));
      writeFileSync(join(scratch, '002_hand.sql'), `${readFileSync(join(dir, '002_superoffice_signin.sql'), 'utf8')}GO;\n`);
      assert.throws(() => readSqlFiles(scratch), (err) => err instanceof ApplySqlError && /^002_hand\.sql: line \d+: GO takes only a count/.test(err.message));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  test('the connection is the one the app would open for the same URL', () => {
    assert.deepEqual(mssqlConfig('mssql://dba:p%40ss@db.example:1444/MailboxLink?encrypt=true&trustServerCertificate=false'), {
      server: 'db.example',
      port: 1444,
      database: 'MailboxLink',
      user: 'dba',
      password: 'p@ss',
      options: { encrypt: true, trustServerCertificate: false, instanceName: undefined },
      pool: { min: 0, max: 1 },
    });
    // A named instance is found by the SQL Browser, not by port.
    assert.equal(mssqlConfig('mssql://dba:x@db.example/MailboxLink?instanceName=CRM').port, undefined);
  });
});
