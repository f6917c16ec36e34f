import type { Kysely, Migration } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * The audit view's user filter as an index: GET /audit?actor= reads one administrator's entries
 * of a tenant newest first, a page at a time before an id, and GET /audit/actors groups the
 * tenant's entries by actor. Without it both scan every entry of the tenant. Frozen in time.
 */
export function auditActor(_dialect: DialectName): Migration {
  return {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('ix_audit_log_actor').on('audit_log').columns(['tenant_id', 'actor_associate_id', 'id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('ix_audit_log_actor').on('audit_log').execute();
    },
  };
}
