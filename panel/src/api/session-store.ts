/** The panel session as the sign-in handed it over (the backend's popup or silent sign-in page). */
export interface StoredSession {
  token: string;
  /** ISO 8601; the backend's own expiry of the session. */
  expiresAt: string;
  name: string;
  isAdmin: boolean;
}

const PREFIX = 'mailbox-link:';
const TOKEN_SHAPE = /^sls_[A-Za-z0-9_-]{43}$/;

/** Tenants are one key whatever their letter case (SuperOffice context ids are case-insensitive). */
const tenantKey = (tenant: string) => tenant.toLowerCase();

function parse(raw: string | null, now: number): StoredSession | null {
  if (raw === null) return null;
  try {
    const v = JSON.parse(raw) as Partial<StoredSession> | null;
    if (!v || typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) return null;
    if (typeof v.expiresAt !== 'string' || !(Date.parse(v.expiresAt) > now)) return null;
    if (typeof v.name !== 'string' || typeof v.isAdmin !== 'boolean') return null;
    return { token: v.token, expiresAt: v.expiresAt, name: v.name, isAdmin: v.isAdmin };
  } catch {
    return null;
  }
}

/**
 * Keeps the panel session across reloads of one browser tab, per tenant, in `sessionStorage`:
 * tab-scoped (a new tab or window signs in again), gone when the tab closes, never sent to a
 * server by the browser (so no CSRF), never in a URL. The trade-off against a partitioned cookie
 * is in the README (*Sign-in and the panel session*). Also remembers that the administrator
 * signed out, so the next load does not sign them in again by itself.
 *
 * Storage can be missing or refuse writes (a browser that blocks storage in third-party frames,
 * a full quota): then the session simply lives in memory as before, and nothing is thrown.
 */
export class SessionStore {
  constructor(
    private readonly storage: Storage | null = safeSessionStorage(),
    private readonly now: () => number = Date.now,
  ) {}

  /** The tenant's stored session, or null; an unreadable, malformed or expired one is discarded. */
  load(tenant: string): StoredSession | null {
    const key = `${PREFIX}session:${tenantKey(tenant)}`;
    const raw = this.read(key);
    const session = parse(raw, this.now());
    if (raw !== null && session === null) this.remove(key);
    return session;
  }

  /** Stores a fresh session; signing in clears the "signed out" mark. */
  save(tenant: string, session: StoredSession): void {
    this.write(`${PREFIX}session:${tenantKey(tenant)}`, JSON.stringify(session));
    this.remove(`${PREFIX}signed-out:${tenantKey(tenant)}`);
  }

  /** Forgets the session (it ended, or the backend no longer knows it). */
  discard(tenant: string): void {
    this.remove(`${PREFIX}session:${tenantKey(tenant)}`);
  }

  /** Sign out: forgets the session and marks the tab signed out. */
  signOut(tenant: string): void {
    this.discard(tenant);
    this.write(`${PREFIX}signed-out:${tenantKey(tenant)}`, '1');
  }

  /** Whether the administrator signed out in this tab (and has not signed in since). */
  signedOut(tenant: string): boolean {
    return this.read(`${PREFIX}signed-out:${tenantKey(tenant)}`) === '1';
  }

  private read(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private write(key: string, value: string): void {
    try {
      this.storage?.setItem(key, value);
    } catch {
      // Quota or a storage-blocking browser: the session stays in memory only.
    }
  }

  private remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      // As above.
    }
  }
}

/** `window.sessionStorage`, or null where reading it throws (storage blocked for the frame). */
function safeSessionStorage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
