/**
 * The audit view's action categories. An action's category is read from its name's prefix
 * (`link.removed` → links), so an action a feature adds later lands in its category without a
 * change here, as long as it keeps its feature's prefix; an action no prefix claims is `other`.
 * No imports: the panel's type-check reads this file through the contract.
 */
export const AUDIT_CATEGORIES = ['links', 'tenant', 'consent', 'invites', 'authorizations', 'sync', 'health', 'alerts', 'other'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

/**
 * Prefix → category; the longest matching prefix wins, so `tenant.microsoft_consent` is consent
 * while the rest of `tenant.*` (mode, settings, sync settings, panels) is tenant. Singular and
 * plural spellings both count: the links and invites features write `link.*` / `invite.*`, and
 * the undo and CSV tools name theirs after the tool (`links.restored`, `links.imported`).
 */
export const CATEGORY_PREFIXES: readonly { readonly prefix: string; readonly category: Exclude<AuditCategory, 'other'> }[] = [
  { prefix: 'link.', category: 'links' },
  { prefix: 'links.', category: 'links' },
  { prefix: 'tenant.', category: 'tenant' },
  { prefix: 'tenant.microsoft_consent', category: 'consent' },
  { prefix: 'consent.', category: 'consent' },
  { prefix: 'invite.', category: 'invites' },
  { prefix: 'invites.', category: 'invites' },
  { prefix: 'mailbox.', category: 'authorizations' },
  { prefix: 'authorization.', category: 'authorizations' },
  { prefix: 'authorizations.', category: 'authorizations' },
  { prefix: 'sync.', category: 'sync' },
  { prefix: 'health.', category: 'health' },
  { prefix: 'alert.', category: 'alerts' },
  { prefix: 'alerts.', category: 'alerts' },
];

/** The category of one action name. */
export function categoryOf(action: string): AuditCategory {
  let best: (typeof CATEGORY_PREFIXES)[number] | undefined;
  for (const p of CATEGORY_PREFIXES) if (action.startsWith(p.prefix) && (!best || p.prefix.length > best.prefix.length)) best = p;
  return best?.category ?? 'other';
}

/**
 * A category as prefixes a query can test: the action starts with one of `include` and with none
 * of `exclude` (the longer prefixes of other categories inside them; for `other`, every prefix).
 * The same rule as {@link categoryOf}, so a filtered page and the category column always agree.
 */
export function categoryPrefixes(category: AuditCategory): { include: string[]; exclude: string[] } {
  if (category === 'other') return { include: [], exclude: CATEGORY_PREFIXES.map((p) => p.prefix) };
  const include = CATEGORY_PREFIXES.filter((p) => p.category === category).map((p) => p.prefix);
  const exclude = CATEGORY_PREFIXES.filter((p) => p.category !== category && include.some((i) => p.prefix.startsWith(i))).map((p) => p.prefix);
  return { include, exclude };
}
