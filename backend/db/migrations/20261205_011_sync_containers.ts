import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * Where a kind's items live in the mailbox: the Microsoft To Do list and the contact folder of
 * ours (the diary uses the primary calendar and leaves it null). Kept with the kind's cursor, so a
 * pass reads its delta without first looking the list or folder up; a list or folder the user
 * deleted is found again (or made again) by name. Frozen in time.
 */
export function syncContainers(dialect: DialectName): Migration {
  const code = dialect === 'mssql' ? sql`varchar(512)` : sql`text`;
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sync_cursor').addColumn('container_id', code).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('sync_cursor').dropColumn('container_id').execute();
    },
  };
}
