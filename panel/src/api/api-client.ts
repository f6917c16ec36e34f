import type { Associate, LinkedUser, Mailbox, MailboxKind, NewLink, OptionsChange } from '../logic/types.js';

export type { OptionsChange };

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

export interface SessionInfo {
  tenantId: string;
  associateId: number;
  associateName: string;
  isAdmin: boolean;
  expiresAt: string;
}

export interface TenantInfo {
  id: string;
  mode: 'application' | 'oauth';
  inviteTtlDays: number;
  version: number;
  microsoft: { configured: boolean; connected: boolean; entraTenantId: string | null; consentedAt: string | null };
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
  tenant = () => this.call<TenantInfo>('GET', '/tenant');
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
