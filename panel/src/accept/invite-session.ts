const TOKEN = 'so-invite-accept.token';
/** Kept by the MSAL-era page (its sign-in settings); removed whenever the page forgets an invite. */
const OLD_OPENED = 'so-invite-accept.opened';

/** `#invite=<43 base64url characters>`: the secret part of an invite link. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** An error code as the backend's callback sends it (`#error=MailboxMismatch`). */
const CODE_SHAPE = /^[A-Za-z]{1,64}$/;

/**
 * What the accept page keeps across the round trip to Microsoft (the page is left and loaded
 * again): the invite token, so a refused sign-in can open the invite again and retry.
 * sessionStorage, so it stays in this tab and ends with it.
 */
export class InviteSession {
  constructor(private readonly storage: Storage = sessionStorage) {}

  get token(): string | null {
    return this.storage.getItem(TOKEN);
  }

  set token(token: string) {
    this.storage.removeItem(OLD_OPENED);
    this.storage.setItem(TOKEN, token);
  }

  clear(): void {
    this.storage.removeItem(TOKEN);
    this.storage.removeItem(OLD_OPENED);
  }
}

/**
 * What the address bar's fragment holds: nothing of ours; a fresh link's token (or a damaged
 * one); or, back from the backend's sign-in callback, the accepted mailbox or the refusal's code.
 */
export type PageFragment =
  | { kind: 'none' }
  | { kind: 'token'; token: string }
  | { kind: 'malformed' }
  | { kind: 'accepted'; mailboxAddress: string; displayName: string; account: string }
  | { kind: 'error'; code: string };

/**
 * Reads the fragment and, when it is ours, removes it from the address bar (and the history
 * entry) at once: the invite secret must not stay in the URL, and a reload must not show an old
 * outcome again. Fragments carry no secret back from the callback (the mailbox, or a code).
 */
export function takeFragment(loc: Location = location, hist: History = history): PageFragment {
  const params = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const ours = params.has('invite') || params.has('accepted') || params.has('error');
  if (!ours) return { kind: 'none' };
  hist.replaceState(hist.state, '', `${loc.pathname}${loc.search}`);
  if (params.has('invite')) {
    const token = params.get('invite') ?? '';
    return TOKEN_SHAPE.test(token) ? { kind: 'token', token } : { kind: 'malformed' };
  }
  const accepted = params.get('accepted');
  if (accepted) return { kind: 'accepted', mailboxAddress: accepted, displayName: params.get('name') ?? '', account: params.get('account') ?? '' };
  const code = params.get('error') ?? '';
  return { kind: 'error', code: CODE_SHAPE.test(code) ? code : 'Unexpected' };
}
