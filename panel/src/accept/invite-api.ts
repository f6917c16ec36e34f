import type { ErrorCode, InviteOpened } from '../logic/types.js';

/**
 * The code of an accept-page error: one the API sends (`{"error":{"code","message"}}`; `open`
 * answers InviteNotFound, InviteExpired, InviteRevoked, InviteAlreadyUsed, MicrosoftNotConnected
 * and the edge's codes), one the sign-in callback sends back in `#error=` (those, and
 * SignInAgain, SignInCancelled, InvalidCallback, TokenRequestRefused, AdminApprovalRequired,
 * InvalidIdToken, WrongOrganisation, MailboxMismatch, MicrosoftUnavailable, MicrosoftThrottled),
 * or the page's own.
 */
export type InviteErrorCode =
  | ErrorCode
  /** The request never got an answer (offline, blocked). */
  | 'NetworkError'
  /** An answer without the JSON error body (a proxy's page, say). */
  | 'HttpError'
  | (string & {});

export class InviteApiError extends Error {
  override name = 'InviteApiError';
  constructor(
    /** HTTP status; 0 when there was no answer. */
    readonly status: number,
    readonly code: InviteErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface InviteApiOptions {
  fetch?: typeof fetch;
  /** Where `open` lives; by default `../api/public/invites/` from the page (`/accept/`). */
  base?: string | URL;
}

/**
 * The accept page's public endpoint. The invite token is the credential, so it goes in a POST
 * body (never in a URL), and nothing is cached. (Accepting is the sign-in itself: Microsoft sends
 * the browser to the backend's callback, which redirects back to the page.)
 */
export class InviteApi {
  private readonly fetch: typeof fetch;
  private readonly base: URL;

  constructor(options: InviteApiOptions = {}) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.base = new URL(options.base ?? '../api/public/invites/', document.baseURI);
  }

  /** What the invite is about and where to sign in (a fresh opening: new state, nonce and PKCE pair, kept by the backend). */
  open(token: string, signal?: AbortSignal): Promise<InviteOpened> {
    return this.post<InviteOpened>('open', { token }, signal);
  }

  private async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await this.fetch(new URL(path, this.base), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        cache: 'no-store',
        credentials: 'same-origin',
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new InviteApiError(0, 'NetworkError', (err as Error).message);
    }
    const data = (await res.json().catch(() => null)) as unknown;
    if (res.ok && data && typeof data === 'object') return data as T;
    const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (error && typeof error.code === 'string') {
      throw new InviteApiError(res.status, error.code, typeof error.message === 'string' ? error.message : error.code);
    }
    throw new InviteApiError(res.status, 'HttpError', `HTTP ${res.status}`);
  }
}
