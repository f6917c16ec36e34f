import type { TenantMode } from './types.js';

/** An invite lifetime typed by the administrator, or null unless it is a whole number of days from 1 to 365. */
export function parseTtlDays(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d{1,3}$/.test(text)) return null;
  const days = Number(text);
  return days >= 1 && days <= 365 ? days : null;
}

/** The mode the tenant's one mode button switches to. */
export const otherMode = (mode: TenantMode): TenantMode => (mode === 'oauth' ? 'application' : 'oauth');
