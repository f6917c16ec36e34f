import type { InviteOpened } from '../logic/types.js';

const TOKEN = 'so-invite-accept.token';
const OPENED = 'so-invite-accept.opened';

/** `#invite=<43 base64url characters>`: the secret part of an invite link. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * What the accept page keeps across the round trip to Microsoft (the page reloads): the invite
 * token and the open answer it signed in with (MSAL settings and nonce). sessionStorage, so it
 * stays in this tab and ends with it.
 */
export class InviteSession {
  constructor(private readonly storage: Storage = sessionStorage) {}

  get token(): string | null {
    return this.storage.getItem(TOKEN);
  }

  /** A new invite: forget the previous invite's sign-in. */
  set token(token: string) {
    this.storage.removeItem(OPENED);
    this.storage.setItem(TOKEN, token);
  }

  /** The open answer the current sign-in was started with. */
  get opened(): InviteOpened | null {
    const raw = this.storage.getItem(OPENED);
    if (!raw) return null;
    try {
      return JSON.parse(raw) as InviteOpened;
    } catch {
      return null;
    }
  }

  set opened(opened: InviteOpened | null) {
    if (opened) this.storage.setItem(OPENED, JSON.stringify(opened));
    else this.storage.removeItem(OPENED);
  }

  clear(): void {
    this.storage.removeItem(TOKEN);
    this.storage.removeItem(OPENED);
  }
}

/** What the address bar's fragment holds: no invite, a well-formed token, or a damaged one. */
export type FragmentInvite = { kind: 'none' } | { kind: 'token'; token: string } | { kind: 'malformed' };

/**
 * Reads `#invite=` and removes the fragment from the address bar (and the history entry) at once:
 * the secret must not stay in the URL. Any other fragment (Microsoft's `#code=…`) is left alone.
 */
export function takeInviteFromFragment(loc: Location = location, hist: History = history): FragmentInvite {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  if (!params.has('invite')) return { kind: 'none' };
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}`);
  const token = params.get('invite') ?? '';
  return TOKEN_SHAPE.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
}
