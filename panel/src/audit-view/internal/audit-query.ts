import type { AuditCategory } from '../../../../backend/contract.js';

/** The filters as the administrator set them (dates as `yyyy-mm-dd`, empty when unset). */
export interface AuditFilters {
  actor: string;
  category: AuditCategory | '';
  from: string;
  to: string;
}

export const NO_FILTERS: AuditFilters = { actor: '', category: '', from: '', to: '' };

/**
 * The query string of the filters. Days are the administrator's local days, sent as instants
 * (start of `from`, last millisecond of `to`), so "today" means their today, not UTC's.
 */
export function auditQuery(f: AuditFilters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.actor) q.set('actor', f.actor);
  if (f.category) q.set('category', f.category);
  if (f.from) q.set('from', new Date(`${f.from}T00:00:00`).toISOString());
  if (f.to) q.set('to', new Date(new Date(`${f.to}T00:00:00`).getTime() + 86_399_999).toISOString());
  return q;
}

/** A short, readable account of what changed: the fields whose values differ, `field: before → after`. */
export function changeSummary(before: unknown, after: unknown, words: { before: string; after: string }): string {
  const obj = (v: unknown): Record<string, unknown> | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null);
  const text = (v: unknown) => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const b = obj(before);
  const a = obj(after);
  if (b && a) {
    const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
    return keys.map((k) => `${k}: ${text(b[k])} → ${text(a[k])}`).join('; ');
  }
  const one = a ?? b;
  if (one) return `${a ? words.after : words.before}: ${Object.entries(one).map(([k, v]) => `${k} ${text(v)}`).join(', ')}`;
  return [before, after].filter((v) => v !== null && v !== undefined).map(text).join(' → ');
}
