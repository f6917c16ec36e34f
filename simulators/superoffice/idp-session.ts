import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';

/** SuperID's sign-in session cookie, simulated (set by an interactive sign-in, read by `prompt=none`). */
export const IDP_SESSION_COOKIE = 'SuperIdSession';

/** How long an interactive sign-in lasts at the identity provider. */
const SESSION_TTL_MS = 8 * 3600_000;

export interface IdpSession {
  contextId: string;
  associateId: number;
  expiresAt: number;
}

/**
 * Who is signed in at SuperID in each browser, by the cookie an interactive sign-in set. The
 * cookie is `SameSite=None; Secure` as an identity provider's must be for silent sign-in in
 * another site's frame (Chromium accepts `Secure` from `http://127.0.0.1`, a secure context);
 * a browser that blocks third-party cookies leaves it out of the frame's request, and
 * `prompt=none` then answers `login_required`.
 */
export class IdpSessions {
  private readonly sessions = new Map<string, IdpSession>();

  constructor(private readonly clock: () => number) {}

  /** After an interactive sign-in: a new session, its cookie on the answer. */
  start(ctx: Context, contextId: string, associateId: number): void {
    const id = randomBytes(24).toString('base64url');
    const expiresAt = this.clock() + SESSION_TTL_MS;
    this.sessions.set(id, { contextId, associateId, expiresAt });
    ctx.set('Set-Cookie', `${IDP_SESSION_COOKIE}=${id}; Path=/login; HttpOnly; Secure; SameSite=None; Max-Age=${SESSION_TTL_MS / 1000}`);
  }

  /** The live session the request's cookie names, or null. */
  current(ctx: Context): IdpSession | null {
    const id = cookie(ctx.get('Cookie'), IDP_SESSION_COOKIE);
    const session = id === null ? undefined : this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.clock()) {
      this.sessions.delete(id!);
      return null;
    }
    return session;
  }

  /** Ends every session (the control API's "sign out everywhere"). */
  clear(): void {
    this.sessions.clear();
  }
}

function cookie(header: string, name: string): string | null {
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
