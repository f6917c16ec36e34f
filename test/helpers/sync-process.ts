import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ENTRA_APP } from '../../backend/demo/demo-environment.js';
import { SaveLinksBody } from '../../backend/links/link.schemas.js';
import { saveAddedLinks } from '../../backend/links/link.service.js';
import { stopProcess } from './process.js';
import type { IntegrationHarness } from './integration.js';

/**
 * The diary sync run as its own process beside a test or the bench: the tenant made ready in the
 * harness's database (a file), and `scripts/sync.js` (or a test's child script) started on it with
 * the configuration that points it at the harness's simulators.
 */

export const SYNC_SCRIPT = fileURLToPath(new URL('../../scripts/sync.js', import.meta.url));

export interface LinkedUser {
  associateId: number;
  mailboxId: string;
  rank: number;
}

/**
 * The administrator's SuperOffice sign-in (the sync's identity), Microsoft 365 consent with
 * calendar access, and `count` active associates linked to user mailboxes with Diary on, on ranks
 * 1, 2, … 99, 1, 2, ….
 */
export async function linkDiaryUsers(h: IntegrationHarness, count: number): Promise<LinkedUser[]> {
  const env = h.env;
  const tenantId = env.tenant.contextId;
  env.entra.control.grantConsent(env.tenant.entraTenantId, DEMO_ENTRA_APP.clientId, [...new Set([...DEMO_ENTRA_APP.permissions, 'Calendars.ReadWrite'])]);
  // Through the panel's own flows: the administrator's sign-in is stored, then admin consent recorded.
  const admin = env.tenant.associates.find((a) => a.functionRights.includes('admin-all'))!;
  const token = (await h.signIn(admin.associateId)).message.token;
  if (!token) throw new Error(`the administrator ${admin.associateId} could not sign in`);
  const consent = (await h.consent(token)).message;
  if (consent.type !== 'mailbox-link:consented') throw new Error(`admin consent failed: ${JSON.stringify(consent)}`);
  const associates = env.tenant.associates.filter((a) => a.isActive && a.associateId !== admin.associateId);
  const mailboxes = env.tenant.mailboxes.filter((m) => m.userType === 'Member' && m.userPurpose === 'user' && m.accountEnabled);
  const links = Array.from({ length: count }, (_, i) => ({
    associateId: associates[i]!.associateId,
    associateName: associates[i]!.fullName,
    mailboxId: mailboxes[i]!.id,
    mailboxAddress: mailboxes[i]!.mail!,
    rank: 1 + (i % 99),
    diary: true,
    task: false,
    contact: false,
  }));
  const actor = { tenantId, associateId: admin.associateId, associateName: admin.fullName, requestId: 'sync-process' };
  await saveAddedLinks(h.store, actor, SaveLinksBody.parse({ links }).links, new Date());
  return links.map((l) => ({ associateId: l.associateId, mailboxId: l.mailboxId, rank: l.rank }));
}

/**
 * The environment that points a worker process (`npm run sync`) at the harness's database file and
 * simulators: their URLs and app credentials, the token key, and their CA (written to `dir`).
 */
export function syncProcessEnv(h: IntegrationHarness, databaseFile: string, dir: string): Record<string, string> {
  const c = h.env.config;
  const ca = join(dir, 'simulators-ca.pem');
  writeFileSync(ca, h.env.extraCa);
  return {
    DATABASE_URL: `sqlite:${databaseFile}`,
    DEMO: 'false',
    PUBLIC_URL: h.config.publicUrl,
    SUPEROFFICE_URL: c.superoffice!.url,
    SUPEROFFICE_CLIENT_ID: c.superoffice!.clientId,
    SUPEROFFICE_CLIENT_SECRET: c.superoffice!.clientSecret,
    ENTRA_AUTHORITY_URL: c.microsoft!.authorityUrl,
    GRAPH_URL: c.microsoft!.graphUrl,
    ENTRA_CLIENT_ID: c.microsoft!.clientId,
    ENTRA_CLIENT_SECRET: c.microsoft!.clientSecret!,
    TOKEN_ENCRYPTION_KEY: c.tokenEncryptionKey!,
    EXTRA_CA_FILE: ca,
  };
}

export interface SyncProcess {
  child: ChildProcess;
  /** The last 20,000 characters it wrote (stdout and stderr). */
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM and wait (it finishes its passes); SIGKILL if it has not gone after 20 s. */
  stop(): Promise<void>;
}

/**
 * Starts `script` (the product's `scripts/sync.js` by default) on the harness's database file with
 * the simulators' configuration and `env` on top (SYNC_INTERVAL_SECONDS, …); `nodeArgs` go
 * before the script (`--import`, `--cpu-prof`).
 */
export function startSyncProcess(
  h: IntegrationHarness,
  o: { databaseFile: string; dir: string; ranks: string; env?: Record<string, string>; script?: string; nodeArgs?: string[] },
): SyncProcess {
  // A developer's shell must not configure anything here.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(SYNC_|SUPEROFFICE_|ENTRA_|GRAPH_|DEMO|DATABASE_URL|TOKEN_ENCRYPTION_KEY|EXTRA_CA_FILE)/.test(k)));
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), o.script ?? SYNC_SCRIPT, '--ranks', o.ranks], {
    env: { ...inherited, ...syncProcessEnv(h, o.databaseFile, o.dir), LOG_LEVEL: 'warn', SYNC_POLL_SECONDS: '0.2', ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out = (out + String(d)).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => out,
    exit,
    stop: () => stopProcess(child, exit, 20_000),
  };
}

/** Polls `check` every 100 ms; fails with `what` (and the process's output) after `timeoutMs`, or when the process exits. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, process?: SyncProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (process && (process.child.exitCode !== null || process.child.signalCode !== null)) throw new Error(`the sync process exited while waiting for ${what}:\n${process.output().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${process ? `\n${process.output().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
