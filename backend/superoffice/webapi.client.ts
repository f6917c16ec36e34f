import { z } from 'zod';
import type { Store } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import type { Fetch } from '../http/outbound.js';
import type { Integration } from '../integration.js';
import type { SecretBox } from '../security/secret-box.js';
import { loadCredential, saveCredential, type SuperOfficeCredential } from './credential.repository.js';
import { withSlash, type SuperOfficeOidc } from './oidc.js';

const signInAgain = () =>
  new DomainError('unauthenticated', 'SuperOfficeSignInRequired', 'Your SuperOffice sign-in has expired. Sign in again.');
const unavailable = (detail: string) =>
  new DomainError('unavailable', 'SuperOfficeUnavailable', `SuperOffice did not answer as expected (${detail}). Try again in a moment.`);

const SoErrorBody = z.object({ ErrorMessage: z.string().optional(), Message: z.string().optional() });

/**
 * SuperOffice answers 401 for a token that expired and 403 for a signed-in user who lacks a right;
 * signing in again cannot fix a 403. SuperOffice's own message (which names the right, when it
 * does) is passed on, on one line and bounded.
 */
async function accessDenied(res: Response): Promise<DomainError> {
  const parsed = SoErrorBody.safeParse(await res.json().catch(() => undefined));
  const said = parsed.success ? (parsed.data.ErrorMessage ?? parsed.data.Message ?? '') : '';
  const detail = said.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 300);
  return new DomainError(
    'forbidden',
    'SuperOfficeAccessDenied',
    detail ? `SuperOffice does not allow this for your user: ${detail}` : 'SuperOffice does not allow this for your user. Ask a SuperOffice administrator for the rights it needs.',
  );
}

/** What calling the Web API as a signed-in user needs; works for Online tokens and Onsite tickets. */
export interface WebApiDeps {
  store: Store;
  box: SecretBox;
  oidc: SuperOfficeOidc | null;
  fetch: Fetch;
  clock: () => Date;
  /** Sent as `SO-AppToken` with tickets (required by Online, harmless Onsite). */
  appToken?: string;
}

/** The Web API's needs from the configured integration; SuperOfficeNotConfigured when there is none. */
export function webApiDeps(from: { store: Store; now: () => Date; integration: Integration | null }): WebApiDeps {
  const { integration } = from;
  if (!integration?.superoffice && !integration?.superofficeOnsite) {
    throw new DomainError('unavailable', 'SuperOfficeNotConfigured', 'SuperOffice is not configured on this server.');
  }
  return {
    store: from.store,
    clock: from.now,
    box: integration.box,
    oidc: integration.superoffice,
    fetch: integration.fetch,
    appToken: integration.superofficeOnsite?.appToken,
  };
}

/**
 * Calls the SuperOffice Web API as one signed-in associate, with the tokens the backend keeps
 * for them. An expired access token (401) is refreshed once and the call repeated.
 */
export class SuperOfficeWebApi {
  private credential: SuperOfficeCredential | null = null;

  constructor(
    private readonly deps: WebApiDeps,
    private readonly tenantId: string,
    private readonly associateId: number,
  ) {}

  /** Uses a credential just obtained (at sign-in) instead of reading it back. */
  static withCredential(deps: WebApiDeps, credential: SuperOfficeCredential): SuperOfficeWebApi {
    const api = new SuperOfficeWebApi(deps, credential.tenantId, credential.associateId);
    api.credential = credential;
    return api;
  }

  private async current(): Promise<SuperOfficeCredential> {
    this.credential ??= await loadCredential(this.deps.store, this.deps.box, this.tenantId, this.associateId);
    if (!this.credential) throw signInAgain();
    return this.credential;
  }

  private async refresh(old: SuperOfficeCredential): Promise<SuperOfficeCredential> {
    // Tickets cannot be refreshed: the user opens the panel again and SuperOffice passes a new one.
    if (!old.refreshToken || !this.deps.oidc) throw signInAgain();
    let tokens;
    try {
      tokens = await this.deps.oidc.refresh(old.refreshToken);
    } catch {
      throw signInAgain();
    }
    const now = this.deps.clock();
    const next: SuperOfficeCredential = {
      ...old,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? old.refreshToken,
      accessExpiresAt: new Date(now.getTime() + tokens.expires_in * 1000).toISOString(),
    };
    await saveCredential(this.deps.store, this.deps.box, next, now);
    this.credential = next;
    return next;
  }

  /** GET `v1/<path>` under the tenant's `webapi_url` (the only place our token goes), parsed by `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
    return (await this.send('GET', path, schema)).body as z.output<S>;
  }

  /**
   * Any method on `v1/<path>`, with a JSON body and extra headers (`SO-TimeZone`,
   * `If-Unmodified-Since`). A 2xx answer is parsed by `schema` (204: null); a status listed in
   * `expect` (404, 412…) is answered with a null body for the caller to decide; anything else is
   * the domain error `get` gives. An expired access token (401) is refreshed once and the call repeated.
   */
  async send<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    schema: S,
    options: { body?: unknown; headers?: Record<string, string>; expect?: readonly number[] } = {},
  ): Promise<{ status: number; body: z.output<S> | null }> {
    let credential = await this.current();
    for (let attempt = 0; ; attempt++) {
      const url = new URL(`v1/${path}`, withSlash(credential.webApiUrl));
      let res: Response;
      try {
        res = await this.deps.fetch(url, {
          method,
          headers: {
            ...options.headers,
            authorization: `${credential.scheme} ${credential.accessToken}`,
            accept: 'application/json',
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(credential.scheme === 'SOTicket' && this.deps.appToken ? { 'SO-AppToken': this.deps.appToken } : {}),
          },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        });
      } catch {
        throw unavailable('no connection');
      }
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        credential = await this.refresh(credential);
        continue;
      }
      if (res.status === 401) throw signInAgain();
      if (res.status === 403) throw await accessDenied(res);
      if (options.expect?.includes(res.status)) {
        await res.body?.cancel();
        return { status: res.status, body: null };
      }
      if (!res.ok) throw unavailable(`status ${res.status}`);
      if (res.status === 204) return { status: 204, body: null };
      const parsed = schema.safeParse(await res.json().catch(() => undefined));
      if (!parsed.success) throw unavailable('an unexpected answer');
      return { status: res.status, body: parsed.data };
    }
  }
}
