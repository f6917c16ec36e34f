import { Client, GraphError, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { Agent } from 'undici';
import { DomainError } from '../domain-error.js';
import type { MicrosoftIntegration } from '../integration.js';
import type { MicrosoftSettings } from './app-token.js';

/** Where a Graph client's bearer tokens come from: the app's (client credentials) or one mailbox owner's (delegated). */
export interface GraphTokenSource {
  token(entraTenantId: string): Promise<string>;
}

export interface GraphRetryPolicy {
  /** Seconds to wait when Graph gives no Retry-After. */
  delaySeconds: number;
  maxRetries: number;
}

export const DEFAULT_RETRY: GraphRetryPolicy = { delaySeconds: 3, maxRetries: 3 };

/**
 * Microsoft Graph for one Entra tenant, through the official SDK, with the app's token or (OAuth
 * mode, the worker) one mailbox owner's delegated token. Its RetryHandler
 * retries 429/503/504 and honours Retry-After, up to `maxRetries`; what still fails becomes a
 * domain error (`graphFailure`).
 */
export class Graph {
  readonly client: Client;
  readonly baseUrl: string;

  constructor(
    settings: MicrosoftSettings,
    tokens: GraphTokenSource,
    entraTenantId: string,
    private readonly options: { dispatcher?: Agent; retry?: GraphRetryPolicy } = {},
  ) {
    const base = new URL(settings.graphUrl);
    this.baseUrl = base.origin;
    this.client = Client.init({
      authProvider: (done) => {
        tokens.token(entraTenantId).then(
          (t) => done(null, t),
          (err: unknown) => done(err, null),
        );
      },
      baseUrl: `${base.origin}/`,
      defaultVersion: 'v1.0',
      // The SDK sends tokens only to Graph hosts it knows; the simulator's host is made one.
      customHosts: base.hostname === 'graph.microsoft.com' ? undefined : new Set([base.hostname]),
      fetchOptions: options.dispatcher ? ({ dispatcher: options.dispatcher } as RequestInit) : undefined,
    });
  }

  private retry(): RetryHandlerOptions {
    const r = this.options.retry ?? DEFAULT_RETRY;
    return new RetryHandlerOptions(r.delaySeconds, r.maxRetries);
  }

  /** GET a path (`/users?...`) or a next link Graph gave (checked by the caller: see usersNextLink). */
  async get<T>(pathOrUrl: string, headers: Record<string, string> = {}): Promise<T> {
    try {
      return (await this.client.api(pathOrUrl).headers(headers).middlewareOptions([this.retry()]).get()) as T;
    } catch (err) {
      throw graphFailure(err);
    }
  }

  /**
   * One request without the SDK's retries, for callers that retry through their own per-mailbox
   * limiter (backend/sync/mailbox-limiter.ts); the SDK's GraphError is thrown as is, so the caller
   * sees the status, code and Retry-After. `pathOrUrl` may be a link Graph gave (checked by the caller).
   */
  async send<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', pathOrUrl: string, headers: Record<string, string>, body?: unknown): Promise<T> {
    const request = this.client.api(pathOrUrl).headers(headers).middlewareOptions([new RetryHandlerOptions(0, 0)]);
    if (method === 'GET') return (await request.get()) as T;
    if (method === 'POST') return (await request.post(body)) as T;
    if (method === 'PATCH') return (await request.patch(body)) as T;
    return (await request.delete()) as T;
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    try {
      return (await this.client.api(path).middlewareOptions([this.retry()]).post(body)) as T;
    } catch (err) {
      throw graphFailure(err);
    }
  }
}

/** Graph for one organisation, with the configured credentials, connection pool and retry policy. */
export function graphOf(integration: MicrosoftIntegration, entraTenantId: string): Graph {
  const { settings, tokens, retry } = integration.microsoft;
  return new Graph(settings, tokens, entraTenantId, { dispatcher: integration.dispatcher, retry });
}

/** Turns what Graph answered after the retries into the error the panel is shown. */
export function graphFailure(err: unknown): DomainError {
  if (err instanceof DomainError) return err;
  // The app token failed (MSAL, wrapped by the SDK with status -1): Entra ID's OAuth error decides.
  const e = err as { errorCode?: unknown; errorMessage?: unknown; message?: unknown; statusCode?: unknown };
  if (typeof e?.errorCode === 'string' || e?.statusCode === -1) {
    const text = `${String(e.errorCode ?? '')} ${String(e.errorMessage ?? '')} ${String(e.message ?? '')}`;
    // AADSTS700016 / 500011 / 65001: the app is not (or no longer) approved in that organisation.
    if (/unauthorized_client|invalid_resource|AADSTS(700016|500011|65001)/.test(text)) {
      return new DomainError(
        'forbidden',
        'MicrosoftConsentRequired',
        'The app is not approved in this Microsoft 365 organisation (any more). Approve it again in Microsoft 365.',
      );
    }
    if (/invalid_client/.test(text)) {
      return new DomainError('upstreamRefused', 'MicrosoftCredentialsRejected', "Microsoft 365 refused this server's app credentials. An administrator must check the Entra ID client secret or certificate.");
    }
  }
  const status = err instanceof GraphError ? err.statusCode : (err as { statusCode?: number })?.statusCode;
  // Graph's own Retry-After (whole seconds, 1–300) goes on to the panel when Graph gave one.
  const retryAfter = Number((err as { headers?: { get?: (name: string) => string | null } })?.headers?.get?.('Retry-After'));
  const wait = (e: DomainError): DomainError => {
    if (Number.isFinite(retryAfter) && retryAfter > 0) e.retryAfterSeconds = Math.min(300, Math.ceil(retryAfter));
    return e;
  };
  if (status === 429) {
    return wait(new DomainError('throttled', 'MicrosoftThrottled', 'Microsoft 365 is throttling requests. Wait a minute and try again.'));
  }
  if (status === 401 || status === 403) {
    return new DomainError(
      'forbidden',
      'MicrosoftConsentRequired',
      'Microsoft 365 refused the app. A Microsoft 365 administrator must approve it (admin consent) first.',
    );
  }
  if (status === 404) {
    return new DomainError('upstreamRefused', 'MicrosoftNotFound', 'Microsoft 365 did not find it.');
  }
  // 501: Graph does not support what was asked (e.g. a property only single users have); a
  // refusal, not an outage: trying again will not help.
  if (status === 400 || status === 501) {
    return new DomainError('upstreamRefused', 'MicrosoftRequestRefused', 'Microsoft 365 refused the request.');
  }
  return wait(new DomainError('unavailable', 'MicrosoftUnavailable', 'Microsoft 365 did not answer. Try again in a moment.'));
}
