/**
 * Shared by the reliability suites (and bench/load.ts): the real server process on a SQLite file,
 * plain HTTP calls, bulk fixtures, and a checker that the audit log agrees with the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { issueSession, type NewSession } from '../../backend/auth/session.service.js';
import { followLinkPages } from '../helpers/link-pages.js';
import { stopProcess } from '../helpers/process.js';
import { migrateToLatest } from '../../backend/db/migrate.js';
import { openStore, type Store } from '../../backend/db/store.js';

export const MAIN = fileURLToPath(new URL('../../backend/main.js', import.meta.url));
export const TENANT = 'Cust12345';
/** A second administrator of the same tenant (ADMIN in the harness is associate 5). */
export const SECOND_ADMIN: NewSession = { tenantId: TENANT, associateId: 7, associateName: 'Bea Admin', isAdmin: true };

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A migrated SQLite file (WAL) at `file`, closed again (so its WAL is checkpointed away). */
export async function migratedFile(file: string): Promise<void> {
  const store = openStore(`sqlite:${file}`);
  await migrateToLatest(store);
  await store.destroy();
}

/** Session tokens issued straight into the database, as `npm run session:issue` does. */
export async function issueTokens(file: string, sessions: NewSession[], ttlMinutes = 240): Promise<string[]> {
  const store = openStore(`sqlite:${file}`);
  try {
    const out: string[] = [];
    for (const s of sessions) out.push((await issueSession(store, s, ttlMinutes)).token);
    return out;
  } finally {
    await store.destroy();
  }
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  /** Everything it wrote (stdout and stderr), unless `logFile` was given. */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait (graceful); SIGKILL if it has not gone after 10 s. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
/** SIGKILLs every server process a suite started and did not stop (call from `after`). */
export function killAll(): void {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  running.clear();
}

/**
 * `node backend/main.js` as `npm start` runs it, without demo (DEMO=false, nothing configured:
 * it serves stored data only), on 127.0.0.1 and a free port. With `logFile` its output goes
 * straight to that file (nothing to drain in this process, for load runs).
 */
export async function startServer(
  databaseFile: string,
  options: { env?: Record<string, string>; logFile?: string; logLevel?: string } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const fd = options.logFile ? openSync(options.logFile, 'a') : null;
  // A developer's shell must not configure SuperOffice or Microsoft 365 here.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(SUPEROFFICE_|ENTRA_|GRAPH_URL|TOKEN_ENCRYPTION_KEY|EXTRA_CA_FILE|PUBLIC_URL|BODY_LIMIT)/.test(k)),
  );
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: 'false',
      DATABASE_URL: `sqlite:${databaseFile}`,
      LOG_LEVEL: options.logLevel ?? 'info',
      ...options.env,
    },
    stdio: fd === null ? ['ignore', 'pipe', 'pipe'] : ['ignore', fd, fd],
  });
  if (fd !== null) closeSync(fd);
  running.add(child);
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const output = () => (options.logFile ? readFileSync(options.logFile, 'utf8') : out);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close': exited and its output read to the end.
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (/Mailbox link backend is running/.test(output())) break;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited while starting:\n${output()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output,
    exit,
    stop: () => stopProcess(child, exit, 10_000),
  };
}


export interface JsonReply {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** One JSON call over real HTTP. */
/** Every linked user of the token's tenant, page by page (GET /api/v1/links follows `nextCursor`). */
export function listAllLinks(base: string, token: string): Promise<any[]> {
  return followLinkPages((query) => call(base, 'GET', `/api/v1/links${query}`, token), 500);
}

export async function call(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonReply> {
  const res = await fetch(base + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/**
 * Sends `body` with node:http and resolves `sent` once the last byte is handed to the socket;
 * `reply` settles with the response or with the connection's error (e.g. the server was killed).
 */
export function sendRaw(
  base: string,
  method: string,
  path: string,
  token: string,
  body: string,
): { sent: Promise<number>; reply: Promise<{ status: number; text: string } | { error: string }> } {
  let onSent!: (at: number) => void;
  const sent = new Promise<number>((r) => (onSent = r));
  const reply = new Promise<{ status: number; text: string } | { error: string }>((resolve) => {
    const url = new URL(path, base);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname,
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', (err) => resolve({ error: err.message }));
      },
    );
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }));
    req.end(body, () => onSent(performance.now()));
  });
  return { sent, reply };
}

/** A valid new link: associate `a` ↔ mailbox `m` (both numbers; the mailbox id is a GUID made from `m`). */
export function pair(a: number, m: number, extra: Record<string, unknown> = {}) {
  return {
    associateId: a,
    associateName: `Associate ${a}`,
    mailboxId: mailboxGuid(m),
    mailboxAddress: `user${m}@contoso.example`,
    ...extra,
  };
}

export const mailboxGuid = (m: number): string => `10000000-0000-4000-8000-${m.toString(16).padStart(12, '0')}`;

export { seedHistoryBulk } from '../helpers/harness.js';

export async function count(store: Store, table: 'link' | 'sync_item' | 'audit_log' | 'invite' | 'authorized_mailbox', action?: string): Promise<number> {
  let q = store.db.selectFrom(table as 'audit_log').select((eb) => eb.fn.countAll<number>().as('n'));
  if (action) q = q.where('action', '=', action);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** `pragma integrity_check` and `pragma foreign_key_check` of a SQLite store: `['ok']` when sound. */
export async function integrity(store: Store): Promise<string[]> {
  const rows = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(store.db);
  const fk = await sql<Record<string, unknown>>`pragma foreign_key_check`.execute(store.db);
  return [...rows.rows.map((r) => r.integrity_check), ...fk.rows.map((r) => `foreign key: ${JSON.stringify(r)}`)];
}

export const fileSize = (file: string): number => (existsSync(file) ? statSync(file).size : 0);

const parse = (json: string | null): any => (json === null ? null : JSON.parse(json));

/**
 * Problems where the audit log and the data disagree (empty when they agree):
 * - every link has exactly one `link.created` row, and its last row (created / options changed)
 *   shows its current associate, mailbox, options, rank and version; a link whose last row is
 *   `link.removed` does not exist;
 * - tenant settings: one mode / lifetime / consent row per version bump, the last mode/lifetime
 *   row shows the current mode and lifetime, the last consent row the Entra tenant;
 * - invites: one `invite.created` each; revoked ones exactly one `invite.revoked`/`invite.replaced`;
 *   a send error exactly one `invite.send_failed`; accepted ones a `mailbox.authorized` naming them;
 * - authorized mailboxes: the last `mailbox.*` row says authorized or revoked, as the row is.
 */
export async function auditDisagreements(store: Store): Promise<string[]> {
  const problems: string[] = [];
  const audit = await store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  const byEntity = new Map<string, typeof audit>();
  for (const row of audit) {
    const key = `${row.tenant_id}|${row.entity_type}|${row.entity_id}`;
    (byEntity.get(key) ?? byEntity.set(key, []).get(key)!).push(row);
  }
  const rowsOf = (tenant: string, type: string, id: string) => byEntity.get(`${tenant}|${type}|${id}`) ?? [];

  const links = await store.db.selectFrom('link').selectAll().execute();
  const linkKeys = new Set(links.map((l) => `${l.tenant_id}|link|${l.id}`));
  for (const l of links) {
    const rows = rowsOf(l.tenant_id, 'link', l.id);
    const created = rows.filter((r) => r.action === 'link.created').length;
    if (created !== 1) problems.push(`link ${l.id}: ${created} link.created rows`);
    const last = rows.at(-1);
    if (!last || last.action === 'link.removed') {
      problems.push(`link ${l.id} exists but its last audit row is ${last?.action ?? 'missing'}`);
      continue;
    }
    const after = parse(last.after_json);
    const want = {
      associateId: l.associate_id,
      mailboxId: l.mailbox_id,
      diary: Boolean(l.sync_diary),
      task: Boolean(l.sync_task),
      contact: Boolean(l.sync_contact),
      rank: l.rank,
      version: l.version,
    };
    const got = after && {
      associateId: after.associateId,
      mailboxId: after.mailboxId,
      diary: after.diary,
      task: after.task,
      contact: after.contact,
      rank: after.rank,
      version: after.version,
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`link ${l.id}: data ${JSON.stringify(want)} but audit says ${JSON.stringify(got)}`);
  }
  for (const [key, rows] of byEntity) {
    if (!key.includes('|link|') || linkKeys.has(key)) continue;
    const last = rows.at(-1)!;
    if (last.action !== 'link.removed') problems.push(`link ${key} is gone but its last audit row is ${last.action}`);
    if (rows.filter((r) => r.action === 'link.removed').length !== 1) problems.push(`link ${key}: not exactly one link.removed row`);
  }

  for (const t of await store.db.selectFrom('tenant').selectAll().execute()) {
    // The changes that bump the tenant's version (other tenant-level rows, e.g. web panel provisioning, do not).
    const rows = rowsOf(t.id, 'tenant', t.id).filter((r) => ['tenant.mode_changed', 'tenant.settings_changed', 'tenant.microsoft_consent'].includes(r.action));
    if (rows.length !== t.version - 1) problems.push(`tenant ${t.id}: version ${t.version} but ${rows.length} tenant audit rows`);
    const settings = rows.filter((r) => r.action === 'tenant.mode_changed' || r.action === 'tenant.settings_changed').at(-1);
    const now = { mode: t.mode, inviteTtlDays: t.invite_ttl_days };
    const shown = settings ? parse(settings.after_json) : { mode: 'application', inviteTtlDays: 14 };
    if (JSON.stringify(shown) !== JSON.stringify(now)) problems.push(`tenant ${t.id}: settings ${JSON.stringify(now)} but audit says ${JSON.stringify(shown)}`);
    const consent = rows.filter((r) => r.action === 'tenant.microsoft_consent').at(-1);
    const entra = consent ? parse(consent.after_json).entraTenantId : null;
    if (entra !== t.entra_tenant_id) problems.push(`tenant ${t.id}: Entra tenant ${t.entra_tenant_id} but audit says ${entra}`);
  }

  const authorizedBy = new Map<string, unknown[]>();
  for (const r of audit) {
    if (r.action !== 'mailbox.authorized') continue;
    const inviteId = parse(r.after_json)?.inviteId;
    (authorizedBy.get(inviteId) ?? authorizedBy.set(inviteId, []).get(inviteId)!).push(r);
  }
  for (const i of await store.db.selectFrom('invite').selectAll().execute()) {
    const rows = rowsOf(i.tenant_id, 'invite', i.id);
    const n = (...actions: string[]) => rows.filter((r) => actions.includes(r.action)).length;
    if (n('invite.created') !== 1) problems.push(`invite ${i.id}: ${n('invite.created')} invite.created rows`);
    const revokedRows = n('invite.revoked', 'invite.replaced');
    if (revokedRows !== (i.revoked_at === null ? 0 : 1)) problems.push(`invite ${i.id}: revoked_at ${String(i.revoked_at)} but ${revokedRows} revoke rows`);
    if (n('invite.send_failed') !== (i.send_error === null ? 0 : 1)) problems.push(`invite ${i.id}: send_error ${String(i.send_error)} but ${n('invite.send_failed')} send_failed rows`);
    const accepted = authorizedBy.get(i.id)?.length ?? 0;
    if (accepted !== (i.accepted_at === null ? 0 : 1)) problems.push(`invite ${i.id}: accepted_at ${String(i.accepted_at)} but ${accepted} mailbox.authorized rows`);
  }
  for (const a of await store.db.selectFrom('authorized_mailbox').selectAll().execute()) {
    const last = rowsOf(a.tenant_id, 'authorized_mailbox', a.mailbox_id).at(-1);
    const want = a.revoked_at === null ? 'mailbox.authorized' : 'mailbox.authorization_revoked';
    if (last?.action !== want) problems.push(`authorized mailbox ${a.mailbox_id}: revoked_at ${String(a.revoked_at)} but last audit row ${last?.action ?? 'missing'}`);
    if (a.revoked_at === null && parse(last?.after_json ?? null)?.inviteId !== a.invite_id) problems.push(`authorized mailbox ${a.mailbox_id}: invite ${a.invite_id} not the audited one`);
  }
  return problems;
}

/** Seconds from an env variable, or the default. */
export function seconds(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}
