import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The list's order as an index: GET /links reads a tenant's links by name, then id, a page at a
 * time after a key. Without it every page sorted the tenant's whole list (and counted the items in
 * sync of every link before the sort): 26 ms for the first 1,000 of 10,000 links on SQLite, so a
 * page held the event loop as long as the whole list's share. Frozen in time.
 */
export function linkListOrder(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('ix_link_tenant_name').on('link').columns(['tenant_id', 'associate_name', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('ix_link_tenant_name').on('link').execute();
    },
  };
}
