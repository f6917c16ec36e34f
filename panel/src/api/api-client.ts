import type {
  AuthorizationRevokeResult,
  CheckRequest,
  ErrorCode,
  ErrorDetail,
  Invite,
  InviteRequest,
  InviteResult,
  LinkedUser,
  Associate,
  Authorization,
  MailboxKind,
  MailboxPage,
  NewLink,
  OptionsChange,
  RemovalAnswer,
  RemovalCounts,
  RemoveRequest,
  SaveLinksAnswer,
  SaveLinksRequest,
  SaveOptionsAnswer,
  SaveOptionsRequest,
  SessionInfo,
  SyncLinksRequest,
  SyncReleaseAnswer,
  SyncRunAnswer,
  SyncSettingsChange,
  TenantInfo,
  TenantSettingsChange,
  TicketRequest,
  TicketSignIn,
} from '../../../backend/contract.js';
import type { Lang } from '../i18n/locale.js';
import { apiErrorText, httpErrorText } from './api-errors.strings.js';

export type { MailboxPage, OptionsChange, RemovalCounts, SessionInfo, TenantInfo };

/** Sync now and Resume take at most this many linked users per request (the API's limit). */
export const SYNC_CHUNK = 1000;

/**
 * The code of a {@link PanelApiError}: one the API sends, or the client's own: `NetworkError`
 * (no answer at all) and `HttpError` (an answer without our error body, e.g. a proxy's page, or
 * a code this panel does not know yet).
 */
export type PanelErrorCode = ErrorCode | 'NetworkError' | 'HttpError';

/** An error the backend answered with: `{"error":{"code","message","details"}}`, or a network failure. */
export class PanelApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: PanelErrorCode,
    /** As the server said it (English), for diagnostics. */
    message: string,
    readonly details: (ErrorDetail & { linkId?: string })[] = [],
    /** What the panel shows: the client puts the translation of `code` here; the message otherwise. */
    readonly text: string = message,
  ) {
    super(message);
    this.name = 'PanelApiError';
  }
}

/** A readable message for anything thrown: the error's text in the panel language (with the details), else its message. */
export function errorText(err: unknown): string {
  if (err instanceof PanelApiError) {
    const details = err.details.map((d) => d.message).filter((m) => m && m !== err.text);
    return details.length > 0 ? `${err.text} ${details.slice(0, 5).join(' ')}` : err.text;
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** POST /api/v1/invites takes at most this many associates per request. */
export const INVITE_CHUNK = 100;

/** What the panel's elements use of the API client; test stand-ins implement it too. */
export interface PanelClient {
  readonly signedIn: boolean;
  /** The language error texts are given in (the panel's, from SuperOffice's `<lani>`). */
  lang: Lang;
  useToken(token: string | null): void;
  session(): Promise<SessionInfo>;
  signOut(): Promise<void>;
  tenant(signal?: AbortSignal): Promise<TenantInfo>;
  /** Mode and/or invite lifetime (administrators); 409 VersionConflict when `expectedVersion` is stale. */
  updateTenant(change: TenantSettingsChange): Promise<TenantInfo>;
  links(signal?: AbortSignal): Promise<LinkedUser[]>;
  associates(signal?: AbortSignal): Promise<Associate[]>;
  mailboxPage(cursor: string | null, signal?: AbortSignal): Promise<MailboxPage>;
  checkMailboxes(ids: string[]): Promise<Map<string, MailboxKind>>;
  saveAddedUsers(links: NewLink[]): Promise<SaveLinksAnswer>;
  saveUsersOptions(changes: OptionsChange[]): Promise<SaveOptionsAnswer>;
  removalPreview(ids: string[]): Promise<RemovalCounts>;
  removeUsers(ids: string[]): Promise<RemovalCounts>;
  /** Sync now: the linked users are due at once (at most {@link SYNC_CHUNK} per request). */
  syncNow(linkIds: string[]): Promise<SyncRunAnswer>;
  /** Resume synchronization of linked users the circuit breaker stopped (at most {@link SYNC_CHUNK}). */
  resumeSync(linkIds: string[]): Promise<SyncReleaseAnswer>;
  /** The synchronizer's settings of the tenant (409 VersionConflict when stale). */
  saveSyncSettings(change: SyncSettingsChange): Promise<TenantInfo>;
  /** The newest invite of each invited associate. */
  invites(signal?: AbortSignal): Promise<Invite[]>;
  /** At most {@link INVITE_CHUNK} associates per request. */
  sendInvites(req: InviteRequest): Promise<InviteResult>;
  revokeInvites(ids: string[]): Promise<Invite[]>;
  authorizations(signal?: AbortSignal): Promise<Authorization[]>;
  revokeAuthorizations(mailboxIds: string[]): Promise<AuthorizationRevokeResult>;
  consentUrl(): Promise<string>;
  /**
   * Any other API call (JSON in, JSON out), for the administrator tools' own calls: `path` is
   * below /api/v1. Refusals are {@link PanelApiError}s like every other call's.
   */
  send<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T>;
  /** A file the API answers (below /api/v1), with the name the server gave it. */
  download(path: string, signal?: AbortSignal): Promise<{ blob: Blob; filename: string }>;
  /** An API call whose body is a file of `type` (e.g. text/csv); JSON answers, refusals as {@link send}. */
  sendFile<T>(method: string, path: string, file: Blob, type: string, signal?: AbortSignal): Promise<T>;
  /** Onsite: trade the ticket SuperOffice put in the panel URL (`<usec>`) for a session. */
  signInWithTicket(ticket: string, tenant?: string): Promise<TicketSignIn>;
}

/** What the Token Authentication Manager uses of the client. */
export type InviteClient = Pick<PanelClient, 'invites' | 'authorizations' | 'sendInvites' | 'revokeInvites' | 'revokeAuthorizations' | 'session'>;

interface Envelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/**
 * The panel's only way to the backend. The session token lives in memory here (the panel is a
 * cross-site iframe: no cookies; the tab keeps a copy in session-store.ts), and every call
 * carries it as a bearer token.
 * Request and answer types are the API's own (backend/contract.ts).
 */
export class PanelApi implements PanelClient {
  private token: string | null = null;
  lang: Lang = 'en';

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

  /** The error body (or its absence) as a PanelApiError whose text is in the panel language. */
  private refused(status: number, data: Envelope | null): PanelApiError {
    const e = data?.error;
    const sent = typeof e?.code === 'string' ? e.code : null;
    const text = sent === null ? undefined : apiErrorText(sent, this.lang);
    const message = typeof e?.message === 'string' ? e.message : httpErrorText[this.lang](status);
    const details = Array.isArray(e?.details) ? (e.details as PanelApiError['details']) : [];
    // A code this panel has no text for is shown with the server's message.
    return new PanelApiError(status, text === undefined ? 'HttpError' : (sent as ErrorCode), message, details, text ?? message);
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
      const message = 'The server could not be reached. Check the connection and try again.';
      throw new PanelApiError(0, 'NetworkError', message, [], apiErrorText('NetworkError', this.lang));
    }
    if (res.status === 204) return undefined as T;
    const data = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) throw this.refused(res.status, data as Envelope | null);
    return data as T;
  }

  send = <T>(method: string, path: string, body?: unknown, signal?: AbortSignal) => this.call<T>(method, path, body, signal);
  download = async (path: string, signal?: AbortSignal): Promise<{ blob: Blob; filename: string }> => {
    const res = await this.fetchRaw('GET', path, undefined, undefined, signal);
    const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'download';
    return { blob: await res.blob(), filename: name };
  };
  sendFile = async <T>(method: string, path: string, file: Blob, type: string, signal?: AbortSignal): Promise<T> =>
    (await (await this.fetchRaw(method, path, file, type, signal)).json()) as T;

  /** A call whose body or answer is not JSON; refusals are read as every other call's. */
  private async fetchRaw(method: string, path: string, body: Blob | undefined, type: string | undefined, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.base + path, {
        method,
        signal,
        headers: { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...(type ? { 'content-type': type } : {}) },
        body,
      });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new PanelApiError(0, 'NetworkError', 'The server could not be reached. Check the connection and try again.', [], apiErrorText('NetworkError', this.lang));
    }
    if (!res.ok) throw this.refused(res.status, (await res.json().catch(() => null)) as Envelope | null);
    return res;
  }
  session = () => this.call<SessionInfo>('GET', '/session');
  signOut = () => this.call<void>('DELETE', '/session');
  tenant = (signal?: AbortSignal) => this.call<TenantInfo>('GET', '/tenant', undefined, signal);
  updateTenant = (change: TenantSettingsChange) => this.call<TenantInfo>('PATCH', '/tenant', change);
  /** Every linked user: the API answers a page at a time (keyset, `nextCursor`), followed here to the end. */
  links = async (signal?: AbortSignal): Promise<LinkedUser[]> => {
    const links: LinkedUser[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
      const page: { links: LinkedUser[]; nextCursor: string | null } = await this.call('GET', `/links${query}`, undefined, signal);
      links.push(...page.links);
      cursor = page.nextCursor ?? null;
    } while (cursor !== null);
    return links;
  };
  associates = (signal?: AbortSignal) =>
    this.call<{ associates: Associate[] }>('GET', '/associates', undefined, signal).then((r) => r.associates);
  mailboxPage = (cursor: string | null, signal?: AbortSignal) =>
    this.call<MailboxPage>('GET', `/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, signal);
  checkMailboxes = (ids: string[]) =>
    this.call<{ results: { id: string; kind: MailboxKind }[] }>('POST', '/mailboxes/check', { ids } satisfies CheckRequest).then(
      (r) => new Map(r.results.map((x) => [x.id, x.kind])),
    );
  saveAddedUsers = (links: NewLink[]) => this.call<SaveLinksAnswer>('POST', '/links', { links } satisfies SaveLinksRequest);
  saveUsersOptions = (changes: OptionsChange[]) => this.call<SaveOptionsAnswer>('PATCH', '/links', { changes } satisfies SaveOptionsRequest);
  removalPreview = (ids: string[]) => this.call<RemovalCounts>('POST', '/links/removal-preview', { ids } satisfies RemoveRequest);
  removeUsers = (ids: string[]) => this.call<RemovalAnswer>('POST', '/links/removal', { ids } satisfies RemoveRequest).then((r) => r.removed);
  syncNow = (linkIds: string[]) => this.call<SyncRunAnswer>('POST', '/sync/run', { linkIds } satisfies SyncLinksRequest);
  resumeSync = (linkIds: string[]) => this.call<SyncReleaseAnswer>('POST', '/sync/release', { linkIds } satisfies SyncLinksRequest);
  saveSyncSettings = (change: SyncSettingsChange) => this.call<TenantInfo>('PUT', '/tenant/sync-settings', change);
  invites = (signal?: AbortSignal) => this.call<{ invites: Invite[] }>('GET', '/invites', undefined, signal).then((r) => r.invites);
  sendInvites = (req: InviteRequest) => this.call<InviteResult>('POST', '/invites', req);
  revokeInvites = (ids: string[]) => this.call<{ revoked: Invite[] }>('POST', '/invites/revoke', { ids }).then((r) => r.revoked);
  authorizations = (signal?: AbortSignal) =>
    this.call<{ authorizations: Authorization[] }>('GET', '/authorizations', undefined, signal).then((r) => r.authorizations);
  revokeAuthorizations = (mailboxIds: string[]) => this.call<AuthorizationRevokeResult>('POST', '/authorizations/revoke', { mailboxIds });
  consentUrl = () => this.call<{ url: string }>('POST', '/microsoft/consent', {}).then((r) => r.url);

  async signInWithTicket(ticket: string, tenant?: string): Promise<TicketSignIn> {
    const res = await this.fetchImpl('/auth/superoffice/ticket', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify((tenant ? { ticket, tenant } : { ticket }) satisfies TicketRequest),
    });
    const data = (await res.json().catch(() => null)) as unknown;
    if (!res.ok) throw this.refused(res.status, data as Envelope | null);
    const signedIn = data as TicketSignIn;
    this.token = signedIn.token;
    return signedIn;
  }
}
