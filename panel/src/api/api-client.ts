import type {
  Associate,
  Authorization,
  AuthorizationRevokeResult,
  Invite,
  InviteRequest,
  InviteResult,
  LinkedUser,
  Mailbox,
  MailboxKind,
  NewLink,
  OptionsChange,
  TenantInfo,
  TenantSettingsChange,
} from '../logic/types.js';

export type { OptionsChange, TenantInfo };

/** An error the backend answered with: `{"error":{"code","message","details"}}`, or a network failure. */
export class PanelApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { path?: string; code?: string; message: string; linkId?: string; [key: string]: unknown }[] = [],
  ) {
    super(message);
    this.name = 'PanelApiError';
  }
}

/** A readable message for anything thrown: the backend's message (with its details), else the error's. */
export function errorText(err: unknown): string {
  if (err instanceof PanelApiError) {
    const details = err.details.map((d) => d.message).filter((m) => m && m !== err.message);
    return details.length > 0 ? `${err.message} ${details.slice(0, 5).join(' ')}` : err.message;
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

export interface SessionInfo {
  tenantId: string;
  associateId: number;
  associateName: string;
  isAdmin: boolean;
  expiresAt: string;
}

export interface MailboxPage {
  mailboxes: Mailbox[];
  next: string | null;
  total: number | null;
}

export interface RemovalCounts {
  links: number;
  historyRows: number;
  users: { id: string; associateName: string; mailboxAddress: string; historyRows: number }[];
}

/** POST /api/v1/invites takes at most this many associates per request. */
export const INVITE_CHUNK = 100;

/**
 * The panel's only way to the backend. The session token lives in memory here (the panel is a
 * cross-site iframe: no cookies, no storage), and every call carries it as a bearer token.
 */
export class PanelApi {
  private token: string | null = null;

  constructor(
    private readonly base = '/api/v1',
    private readonly fetchImpl: typeof fetch = (...args) => fetch(...args),
  ) {}

  get signedIn(): boolean {
    return this.token !== null;
  }

  useToken(token: string | null): void {
    this.token = token;
  }

  private async call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        signal,
        headers: {
          accept: 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new PanelApiError(0, 'NetworkError', 'The server could not be reached. Check the connection and try again.');
    }
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: [] } } | null;
    if (!res.ok) {
      const e = data?.error;
      throw new PanelApiError(res.status, e?.code ?? 'HttpError', e?.message ?? `The server answered ${res.status}.`, e?.details ?? []);
    }
    return data as T;
  }

  session = () => this.call<SessionInfo>('GET', '/session');
  signOut = () => this.call<void>('DELETE', '/session');
  tenant = (signal?: AbortSignal) => this.call<TenantInfo>('GET', '/tenant', undefined, signal);
  /** Mode and/or invite lifetime (administrators); 409 VersionConflict when `expectedVersion` is stale. */
  updateTenant = (change: TenantSettingsChange) => this.call<TenantInfo>('PATCH', '/tenant', change);
  links = (signal?: AbortSignal) => this.call<{ links: LinkedUser[] }>('GET', '/links', undefined, signal).then((r) => r.links);
  associates = (signal?: AbortSignal) =>
    this.call<{ associates: Associate[] }>('GET', '/associates', undefined, signal).then((r) => r.associates);
  mailboxPage = (cursor: string | null, signal?: AbortSignal) =>
    this.call<MailboxPage>('GET', `/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, signal);
  checkMailboxes = (ids: string[]) =>
    this.call<{ results: { id: string; kind: MailboxKind }[] }>('POST', '/mailboxes/check', { ids }).then(
      (r) => new Map(r.results.map((x) => [x.id, x.kind])),
    );
  saveAddedUsers = (links: NewLink[]) => this.call<{ created: LinkedUser[]; unchanged: LinkedUser[] }>('POST', '/links', { links });
  saveUsersOptions = (changes: OptionsChange[]) =>
    this.call<{ updated: LinkedUser[]; unchanged: LinkedUser[] }>('PATCH', '/links', { changes });
  removalPreview = (ids: string[]) => this.call<RemovalCounts>('POST', '/links/removal-preview', { ids });
  removeUsers = (ids: string[]) => this.call<{ removed: RemovalCounts }>('POST', '/links/removal', { ids }).then((r) => r.removed);
  /** The newest invite of each invited associate. */
  invites = (signal?: AbortSignal) => this.call<{ invites: Invite[] }>('GET', '/invites', undefined, signal).then((r) => r.invites);
  /** At most {@link INVITE_CHUNK} associates per request. */
  sendInvites = (req: InviteRequest) => this.call<InviteResult>('POST', '/invites', req);
  revokeInvites = (ids: string[]) => this.call<{ revoked: Invite[] }>('POST', '/invites/revoke', { ids }).then((r) => r.revoked);
  authorizations = (signal?: AbortSignal) =>
    this.call<{ authorizations: Authorization[] }>('GET', '/authorizations', undefined, signal).then((r) => r.authorizations);
  revokeAuthorizations = (mailboxIds: string[]) => this.call<AuthorizationRevokeResult>('POST', '/authorizations/revoke', { mailboxIds });
  consentUrl = () => this.call<{ url: string }>('POST', '/microsoft/consent', {}).then((r) => r.url);

  /** Onsite: trade the ticket SuperOffice put in the panel URL (`<usec>`) for a session. */
  async signInWithTicket(ticket: string, tenant?: string): Promise<{ token: string; isAdmin: boolean; name: string }> {
    const res = await this.fetchImpl('/auth/superoffice/ticket', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(tenant ? { ticket, tenant } : { ticket }),
    });
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new PanelApiError(res.status, data?.error?.code ?? 'HttpError', data?.error?.message ?? 'Sign-in failed.');
    this.token = data.token;
    return data;
  }
}
