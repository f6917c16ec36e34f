import type { NewAuditRow } from '../db/database.js';
import { chunk, readInt, readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import type { AuditEntry } from './audit.schemas.js';

/** Who acts, for the audit trail. */
export interface Actor {
  tenantId: string;
  associateId: number;
  associateName: string;
  requestId: string | null;
}

export interface AuditChange {
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

const AUDIT_COLUMNS = 11;

/** Appends audit rows; call it inside the transaction that makes the change. */
export async function appendAudit(tx: Tx, actor: Actor, changes: AuditChange[], now: Date): Promise<void> {
  const at = tx.dialect.time(now);
  const rows: NewAuditRow[] = changes.map((c) => ({
    tenant_id: actor.tenantId,
    actor_associate_id: actor.associateId,
    actor_name: actor.associateName,
    action: c.action,
    entity_type: c.entityType,
    entity_id: c.entityId,
    before_json: c.before === null || c.before === undefined ? null : JSON.stringify(c.before),
    after_json: c.after === null || c.after === undefined ? null : JSON.stringify(c.after),
    request_id: actor.requestId,
    created_at: at,
  }));
  for (const part of chunk(rows, tx.dialect.rowsPerStatement(AUDIT_COLUMNS))) {
    await tx.db.insertInto('audit_log').values(part).execute();
  }
}

export type { AuditEntry };

/** Newest first, `limit` entries older than `before` (an entry id), optionally for one entity. */
export async function pageAudit(
  tx: Tx,
  tenantId: string,
  opts: { limit: number; before?: number; entityId?: string },
): Promise<AuditEntry[]> {
  let q = tx.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId);
  if (opts.before !== undefined) q = q.where('id', '<', opts.before);
  if (opts.entityId !== undefined) q = q.where('entity_id', '=', opts.entityId);
  const rows = await tx.dialect.limit(q.orderBy('id', 'desc'), opts.limit).execute();
  return rows.map((r) => ({
    id: readInt(r.id),
    at: readTime(r.created_at),
    actor: { associateId: r.actor_associate_id, name: r.actor_name },
    action: r.action,
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
    requestId: r.request_id,
  }));
}
