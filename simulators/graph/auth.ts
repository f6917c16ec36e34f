import { createLocalJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import type { TokenAuthority } from '../entra/entra.types.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE } from '../entra/tokens.js';
import { graphErrors } from './graph-errors.js';

/** Who is calling, from a verified token. */
export interface Principal {
  tenantId: string;
  appId: string;
  /** Application (client credentials) or delegated (a signed-in user). */
  kind: 'app' | 'user';
  /** `roles` for app tokens, `scp` for user tokens. */
  permissions: ReadonlySet<string>;
  userId?: string;
}

const DIRECTORY_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const MAILBOX_SETTINGS_READ = ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'];
const MAIL_SEND = ['Mail.Send'];
/** Graph docs: api/organization-get, Permissions table (least privileged first). */
const ORGANIZATION_READ = ['Organization.Read.All', 'Directory.Read.All', 'Organization.ReadWrite.All', 'Directory.ReadWrite.All'];
/** Graph docs: api/user-list-events and api/user-post-events, Permissions tables. */
const CALENDARS_READ = ['Calendars.Read', 'Calendars.ReadWrite'];
const CALENDARS_WRITE = ['Calendars.ReadWrite'];
/** Graph docs: api/contactfolder-post-contacts and api/contact-delta, Permissions tables. */
const CONTACTS_READ = ['Contacts.Read', 'Contacts.ReadWrite'];
const CONTACTS_WRITE = ['Contacts.ReadWrite'];
/** Graph docs: api/todo-list-lists, api/todotasklist-post-tasks, Permissions tables (application: any mailbox; delegated: one's own). */
const TASKS_READ = ['Tasks.Read.All', 'Tasks.ReadWrite.All', 'Tasks.Read', 'Tasks.ReadWrite'];
const TASKS_WRITE = ['Tasks.ReadWrite.All', 'Tasks.ReadWrite'];

/** Verifies bearer tokens against the authority's published keys: signature, audience, lifetime, issuer. */
export class TokenVerifier {
  private cachedFor = '';
  private keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  /**
   * Tokens already verified against the current keys. Their signature, audience and issuer cannot
   * change, only whether they have expired, so a client's thousands of calls (and `$batch` items)
   * with one token cost one RS256 verification. Cleared when the keys change; bounded.
   */
  private readonly verified = new Map<string, JWTPayload>();

  constructor(
    private readonly authority: TokenAuthority,
    private readonly knownTenant: (tenantId: string) => boolean,
  ) {}

  /** Where a 401's `WWW-Authenticate` sends clients. */
  get authorizationUri(): string {
    return `${this.authority.url}/common/oauth2/authorize`;
  }

  private keys(): ReturnType<typeof createLocalJWKSet> {
    const jwks: JSONWebKeySet = this.authority.jwks();
    const fingerprint = JSON.stringify(jwks);
    if (!this.keySet || fingerprint !== this.cachedFor) {
      this.keySet = createLocalJWKSet(jwks);
      this.cachedFor = fingerprint;
      this.verified.clear();
    }
    return this.keySet;
  }

  async verify(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer\s+(.*)$/i.exec(authorization ?? '');
    const token = match?.[1]?.trim();
    if (!token) throw graphErrors.noToken();
    if (!token.includes('.')) throw graphErrors.malformedToken();
    const keys = this.keys();
    let payload = this.verified.get(token);
    // jose's own expiry rule: expired once `exp` <= now, in whole seconds.
    if (payload && typeof payload.exp === 'number' && payload.exp <= Math.floor(Date.now() / 1000)) throw graphErrors.expiredToken();
    if (!payload) {
      try {
        ({ payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], audience: [GRAPH_RESOURCE, GRAPH_APP_ID] }));
      } catch (err) {
        if (err instanceof errors.JWTExpired) throw graphErrors.expiredToken();
        if (err instanceof errors.JWTClaimValidationFailed && err.claim === 'aud') throw graphErrors.invalidAudience();
        throw graphErrors.invalidToken();
      }
      if (this.verified.size >= 10_000) this.verified.clear();
      this.verified.set(token, payload);
    }
    const tenantId = typeof payload.tid === 'string' ? payload.tid : '';
    if (!this.knownTenant(tenantId) || payload.iss !== this.authority.accessTokenIssuer(tenantId)) throw graphErrors.invalidToken();
    const appId = typeof payload.appid === 'string' ? payload.appid : typeof payload.azp === 'string' ? payload.azp : '';
    if (typeof payload.scp === 'string') {
      return {
        tenantId,
        appId,
        kind: 'user',
        permissions: new Set(payload.scp.split(' ').filter(Boolean)),
        ...(typeof payload.oid === 'string' ? { userId: payload.oid } : {}),
      };
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    return { tenantId, appId, kind: 'app', permissions: new Set(roles) };
  }
}

const hasAny = (p: Principal, names: readonly string[]): boolean => names.some((n) => p.permissions.has(n));

/** Directory reads. Returns true when the caller only has the basic profile (`User.ReadBasic.All`). */
export function requireDirectoryRead(p: Principal): { basicOnly: boolean } {
  if (hasAny(p, DIRECTORY_READ)) return { basicOnly: false };
  if (p.kind === 'user' && p.permissions.has('User.ReadBasic.All')) return { basicOnly: true };
  throw graphErrors.insufficientPrivileges();
}

/** `GET /organization`: any of its permissions, application or delegated (then also `User.Read`). */
export function requireOrganizationRead(p: Principal): void {
  if (!hasAny(p, ORGANIZATION_READ) && !(p.kind === 'user' && p.permissions.has('User.Read'))) throw graphErrors.insufficientPrivileges();
}

/** Outlook data: application permission for anyone's mailbox, delegated only for one's own. */
function requireMailbox(p: Principal, targetUserId: string, names: readonly string[]): void {
  if (!hasAny(p, names)) throw graphErrors.accessDenied();
  if (p.kind === 'user' && p.userId !== targetUserId) throw graphErrors.accessDenied();
}

export const requireMailboxSettingsRead = (p: Principal, target: string): void => requireMailbox(p, target, MAILBOX_SETTINGS_READ);
export const requireMailSend = (p: Principal, target: string): void => requireMailbox(p, target, MAIL_SEND);
export const requireCalendarsRead = (p: Principal, target: string): void => requireMailbox(p, target, CALENDARS_READ);
export const requireCalendarsWrite = (p: Principal, target: string): void => requireMailbox(p, target, CALENDARS_WRITE);
export const requireContactsRead = (p: Principal, target: string): void => requireMailbox(p, target, CONTACTS_READ);
export const requireContactsWrite = (p: Principal, target: string): void => requireMailbox(p, target, CONTACTS_WRITE);
export const requireTasksRead = (p: Principal, target: string): void => requireMailbox(p, target, TASKS_READ);
export const requireTasksWrite = (p: Principal, target: string): void => requireMailbox(p, target, TASKS_WRITE);
