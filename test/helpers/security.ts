import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { NewInviteRow } from '../../backend/db/database.js';
import { newInviteToken } from '../../backend/invites/invite.repository.js';
import { dumpDatabase, newLink, seedHistory, type Harness, type Reply } from './harness.js';

/**
 * Shared by the security suites (test/security): a realistic tenant to attack, and the checks
 * every refused request must pass.
 */

export type InviteKind = 'open' | 'revoked' | 'expired' | 'accepted' | 'failed';

export interface SeededLink {
  id: string;
  associateId: number;
  mailboxId: string;
  version: number;
}

export interface TenantSeed {
  tenantId: string;
  /** Links saved through the API, some with options changed (version > 1) and sync history. */
  links: SeededLink[];
  /** A link that was removed again (so the audit log has a removal). */
  removedLinkId: string;
  /** One invite in each state, with the secret of its link. */
  invites: Record<InviteKind, { id: string; token: string; associateId: number }>;
  /** Mailboxes whose owners accepted (active) and one whose authorization was revoked. */
  authorizedMailboxIds: string[];
  revokedMailboxId: string;
}

const DAY = 24 * 3600_000;

/**
 * Seeds one tenant the way it looks after some use: links saved through the API (so the audit
 * log is real), options changed, sync history, one link removed, invites in every state and
 * authorized mailboxes. `base` keeps associate and mailbox ids of different tenants apart.
 */
export async function seedTenant(h: Harness, adminToken: string, tenantId: string, base: number, now: Date): Promise<TenantSeed> {
  const fresh = Array.from({ length: 8 }, (_, i) => newLink(base + i, i % 3 === 1 ? { diary: false, rank: 7 } : {}));
  const saved = await h.request('POST', '/api/v1/links', { token: adminToken, body: { links: fresh } });
  assert.equal(saved.status, 201, saved.text);
  const created = saved.body.created as { id: string; associateId: number; mailboxId: string; version: number }[];
  // Options changed twice on some links: versions above 1.
  for (let round = 0; round < 2; round++) {
    const changes = created.slice(0, 3).map((l, i) => ({ id: l.id, diary: round === 0, task: true, contact: i !== 1, rank: 10 + round + i, expectedVersion: 1 + round }));
    const res = await h.request('PATCH', '/api/v1/links', { token: adminToken, body: { changes } });
    assert.equal(res.status, 200, res.text);
  }
  const removed = created.at(-1)!;
  const gone = await h.request('POST', '/api/v1/links/removal', { token: adminToken, body: { ids: [removed.id] } });
  assert.equal(gone.status, 200, gone.text);
  const listed = await h.request('GET', '/api/v1/links', { token: adminToken });
  assert.equal(listed.status, 200, listed.text);
  const links: SeededLink[] = (listed.body.links as SeededLink[]).map(({ id, associateId, mailboxId, version }) => ({ id, associateId, mailboxId, version }));
  for (const [i, l] of links.slice(0, 4).entries()) await seedHistory(h.store, tenantId, l.id, 5 + i * 7);

  const t = (d: Date) => h.store.dialect.time(d);
  const kinds: InviteKind[] = ['open', 'revoked', 'expired', 'accepted', 'failed'];
  const invites = {} as TenantSeed['invites'];
  const rows: NewInviteRow[] = kinds.map((kind, i) => {
    const { token, hash } = newInviteToken();
    const id = randomUUID();
    const associateId = base + 100 + i;
    invites[kind] = { id, token, associateId };
    return {
      id,
      tenant_id: tenantId,
      associate_id: associateId,
      associate_name: `Invited ${associateId}`,
      email: `invited${associateId}@contoso.example`,
      token_hash: hash,
      created_by: 5,
      created_by_name: 'Seeder',
      created_at: t(new Date(now.getTime() - 2 * DAY)),
      expires_at: t(new Date(now.getTime() + (kind === 'expired' ? -DAY : 12 * DAY))),
      sent_at: kind === 'failed' ? null : t(new Date(now.getTime() - 2 * DAY)),
      accepted_at: kind === 'accepted' ? t(new Date(now.getTime() - DAY)) : null,
      accepted_mailbox_id: null,
      revoked_at: kind === 'revoked' ? t(new Date(now.getTime() - DAY)) : null,
      delivery: 'email',
      allow_other_mailbox: h.store.dialect.bool(false),
      send_error: kind === 'failed' ? 'ErrorSendAsDenied: refused' : null,
      accept_nonce: kind === 'open' ? 'seeded-nonce' : null,
    };
  });
  const mailbox = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;
  const authorizedMailboxIds = [mailbox(base + 200), mailbox(base + 201)];
  const revokedMailboxId = mailbox(base + 202);
  rows[3]!.accepted_mailbox_id = authorizedMailboxIds[0]!;
  await h.store.db.insertInto('invite').values(rows).execute();
  await h.store.db
    .insertInto('authorized_mailbox')
    .values(
      [...authorizedMailboxIds, revokedMailboxId].map((id, i) => ({
        tenant_id: tenantId,
        mailbox_id: id,
        mailbox_address: `owner${base + i}@contoso.example`,
        account_upn: `owner${base + i}@contoso.example`,
        invite_id: i === 0 ? invites.accepted.id : null,
        display_name: `Owner ${base + i}`,
        addresses_json: JSON.stringify([`owner${base + i}@contoso.example`]),
        authorized_at: t(new Date(now.getTime() - DAY)),
        revoked_at: id === revokedMailboxId ? t(new Date(now.getTime() - DAY / 2)) : null,
        revoked_by: id === revokedMailboxId ? 5 : null,
      })),
    )
    .execute();
  return { tenantId, links, removedLinkId: removed.id, invites, authorizedMailboxIds, revokedMailboxId };
}

/** The database as one string, optionally without some tables (rows a request may legitimately add). */
export async function dumpWithout(h: Harness, ignore: readonly string[] = []): Promise<string> {
  const dump = await dumpDatabase(h.store);
  if (ignore.length === 0) return dump;
  const parsed = JSON.parse(dump) as Record<string, unknown>;
  for (const table of ignore) delete parsed[table];
  return JSON.stringify(parsed);
}

const PASCAL = /^[A-Z][A-Za-z0-9]*$/;

/** `{"error":{"code":"PascalCase","message":"…","details":[…]}}` and nothing else. */
export function assertApiError(res: Reply, what: string): { code: string; message: string; details?: unknown[] } {
  const type = String(res.headers['content-type'] ?? '');
  assert.match(type, /^application\/json/, `${what}: the error is not JSON (${type})`);
  assert.ok(res.body && typeof res.body === 'object' && !Array.isArray(res.body), `${what}: the error body is not a JSON object: ${res.text.slice(0, 200)}`);
  assert.deepEqual(Object.keys(res.body), ['error'], `${what}: unexpected top-level keys`);
  const error = res.body.error;
  assert.ok(error && typeof error === 'object', `${what}: no error object`);
  assert.ok(typeof error.code === 'string' && PASCAL.test(error.code), `${what}: error code ${JSON.stringify(error.code)} is not PascalCase`);
  assert.equal(typeof error.message, 'string', `${what}: error message is not a string`);
  assert.ok(error.message.length > 0, `${what}: empty error message`);
  for (const key of Object.keys(error)) assert.ok(['code', 'message', 'details'].includes(key), `${what}: unexpected error key ${key}`);
  if ('details' in error) assert.ok(Array.isArray(error.details), `${what}: details is not an array`);
  return error;
}

/** What an error must never show: stack frames, file paths, driver or SQL text, secrets. */
const LEAKS: [RegExp, string][] = [
  [/\n\s+at\s/, 'a stack trace'],
  [/\bat (?:async )?[\w$.<>]+ \(/, 'a stack frame'],
  [/file:\/\/|\/work\/|node_modules|\/dist\/|[A-Za-z]:\\\\/, 'a file path'],
  [/\.(?:[cm]?js|ts):\d+/, 'a source position'],
  [/SQLITE_|SqliteError|better-sqlite3|kysely|tedious|RequestError|ConnectionError/i, 'a database driver message'],
  [/\\?"(?:tenant_id|token_hash|state_hash|link_id|associate_id|mailbox_id|accept_nonce|code_verifier_sealed)\\?" (?:=|in|is|<|>)/, 'SQL text'],
  [/\b(?:from|into|update) \\?"(?:link|session|tenant|invite|audit_log|sync_item|sync_cursor|sync_conflict|sync_mailbox|authorized_mailbox|login_state)\\?"/i, 'SQL text'],
  [/TypeError|ReferenceError|SyntaxError|RangeError|Cannot read propert|is not a function|undefined is not/, 'a JavaScript error message'],
];

/** Asserts `text` (a response body) shows nothing internal and none of `secrets`. */
export function assertNoLeak(text: string, secrets: readonly string[], what: string): void {
  for (const [pattern, name] of LEAKS) assert.ok(!pattern.test(text), `${what}: the response shows ${name}: ${text.slice(0, 400)}`);
  for (const secret of secrets) assert.ok(!text.includes(secret), `${what}: the response shows a secret`);
}

/** A prototype-pollution attempt that worked would show up on every plain object. */
export function assertNoPollution(what: string): void {
  const probe = {} as Record<string, unknown>;
  for (const key of ['isAdmin', 'polluted', 'admin', 'tenantId', 'x']) {
    assert.equal(probe[key], undefined, `${what}: Object.prototype.${key} was polluted`);
  }
  assert.equal(Object.keys(Object.prototype).length, 0, `${what}: Object.prototype got enumerable keys`);
}
