import type { NewAuditRow } from '../db/database.js';
import { sql, type SqlBool } from 'kysely';
import { chunk, readInt, readTime } from '../db/dialect.js';
import type { Tx } from '../db/store.js';
import { categoryOf, categoryPrefixes } from './audit.categories.js';
import type { AuditEntry, AuditFilter } from './audit.schemas.js';

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

/** A `like` pattern matching names that start with `prefix` (`_` and `%` are wildcards, `[` too in SQL Server). */
const startsWith = (prefix: string) => `${prefix.replace(/[\\%_[]/g, '\\$&')}%`;
const like = (prefix: string) => sql<SqlBool>`(${sql.ref('action')} like ${startsWith(prefix)} escape '\\')`;

/** The tenant's entries older than `before` that pass `filter`. */
function filtered(tx: Tx, tenantId: string, filter: AuditFilter & { before?: number }) {
  let q = tx.db.selectFrom('audit_log').where('tenant_id', '=', tenantId);
  if (filter.before !== undefined) q = q.where('id', '<', filter.before);
  if (filter.entityId !== undefined) q = q.where('entity_id', '=', filter.entityId);
  if (filter.actor !== undefined) q = q.where('actor_associate_id', '=', filter.actor);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.since !== undefined) q = q.where('created_at', '>=', tx.dialect.time(new Date(filter.since)));
  if (filter.until !== undefined) q = q.where('created_at', '<', tx.dialect.time(new Date(filter.until)));
  if (filter.category !== undefined) {
    const { include, exclude } = categoryPrefixes(filter.category);
    if (include.length > 0) q = q.where((eb) => eb.or(include.map(like)));
    if (exclude.length > 0) q = q.where((eb) => eb.not(eb.or(exclude.map(like))));
  }
  return q;
}

/** Newest first, `limit` entries older than `before` (an entry id) that pass `filter`. */
export async function pageAudit(tx: Tx, tenantId: string, opts: AuditFilter & { limit: number; before?: number }): Promise<AuditEntry[]> {
  const q = filtered(tx, tenantId, opts).selectAll();
  const rows = await tx.dialect.limit(q.orderBy('id', 'desc'), opts.limit).execute();
  return rows.map((r) => ({
    id: readInt(r.id),
    at: readTime(r.created_at),
    actor: { associateId: r.actor_associate_id, name: r.actor_name },
    action: r.action,
    category: categoryOf(r.action),
    entityType: r.entity_type,
    entityId: r.entity_id,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
    requestId: r.request_id,
  }));
}

/**
 * Everyone who appears in the tenant's log, each once, under the name of their newest entry (a
 * renamed associate is listed as they are called now), ordered by that name.
 */
export async function auditActors(tx: Tx, tenantId: string): Promise<{ associateId: number; name: string }[]> {
  const rows = await tx.db
    .selectFrom('audit_log')
    .where('tenant_id', '=', tenantId)
    .select((eb) => ['actor_associate_id', 'actor_name', eb.fn.max('id').as('last')])
    .groupBy(['actor_associate_id', 'actor_name'])
    .execute();
  const newest = new Map<number, { name: string; last: number }>();
  for (const r of rows) {
    const last = readInt(r.last as number | string);
    const seen = newest.get(r.actor_associate_id);
    if (!seen || last > seen.last) newest.set(r.actor_associate_id, { name: r.actor_name, last });
  }
  return [...newest]
    .map(([associateId, { name }]) => ({ associateId, name }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.associateId - b.associateId);
}
