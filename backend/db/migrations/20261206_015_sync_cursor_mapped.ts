import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * How many mappings a kind had at the end of its last good pass (null: a cursor written before
 * this column). A pass reads "a cursor but no mapping" as a lost mapping table and takes a full
 * pass; a kind whose list is simply empty (it mapped nothing last time) would otherwise take one
 * every pass. With the count kept beside the cursor, only a cursor that mapped some items and now
 * finds none is a lost table. Frozen in time.
 */
export function syncCursorMapped(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('sync_cursor').addColumn('mapped_items', sql`integer`).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('sync_cursor').dropColumn('mapped_items').execute();
    },
  };
}
