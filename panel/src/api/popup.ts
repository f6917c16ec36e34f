/** What the backend's popup pages post back (see backend/http/popup-page.ts). */
export type PopupMessage =
  | { type: 'mailbox-link:signed-in'; token: string; expiresAt: string; isAdmin: boolean; name: string }
  | { type: 'mailbox-link:consented'; tenant: string }
  | { type: 'mailbox-link:error'; code: string; message: string };

/** How often the opener looks whether the popup was closed. */
const CLOSED_POLL_MS = 500;
/**
 * How long a popup seen closed may still have its message on the way. The result page posts and
 * then closes itself at once; `closed` can turn true in the opener before the posted message is
 * dispatched (the two travel separately between the windows' processes), so failing at the first
 * `closed` loses a finished sign-in now and then.
 */
const CLOSED_GRACE_MS = 1000;

/** The sign-in page's message in `event` if it came from `source`, of our own origin; else null. */
export function panelMessage(event: MessageEvent, source: unknown, win: Window): PopupMessage | null {
  if (event.origin !== win.location.origin || event.source !== source) return null;
  const m = event.data as PopupMessage;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !m.type.startsWith('mailbox-link:')) return null;
  return m;
}

export class PopupError extends Error {
  constructor(
    readonly code: 'PopupBlocked' | 'PopupClosed' | string,
    message: string,
  ) {
    super(message);
    this.name = 'PopupError';
  }
}

/**
 * Opens `url` in a popup (identity pages refuse to render in the SuperOffice iframe) and waits for
 * the message the backend's last page posts. Only a message from that popup, from our own origin,
 * counts. `url` may be a promise (e.g. the consent URL from the API): the popup is opened at once,
 * inside the click, so the browser does not block it.
 */
export function runPopup(url: string | Promise<string>, win: Window = window): Promise<PopupMessage> {
  const popup = win.open('about:blank', 'mailbox-link-auth', 'popup,width=520,height=680');
  if (!popup) {
    return Promise.reject(new PopupError('PopupBlocked', 'The browser blocked the sign-in window. Allow pop-ups for this site.'));
  }
  return new Promise<PopupMessage>((resolve, reject) => {
    let grace: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      win.removeEventListener('message', onMessage);
      clearInterval(watch);
      clearTimeout(grace);
    };
    const onMessage = (event: MessageEvent) => {
      const m = panelMessage(event, popup, win);
      if (!m) return;
      done();
      if (m.type === 'mailbox-link:error') reject(new PopupError(m.code, m.message));
      else resolve(m);
    };
    // A popup closed by the user never posts: stop waiting, but only after a grace period in which
    // a message already posted still wins (see CLOSED_GRACE_MS). Chosen over having the result page
    // wait for an acknowledgement before it closes: the grace holds however the popup was closed
    // (by its own script, by the user, by the browser), needs nothing from the page, and never
    // leaves a finished popup open when an acknowledgement does not arrive.
    const watch = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(watch);
      grace = setTimeout(() => {
        done();
        reject(new PopupError('PopupClosed', 'The window was closed before it finished.'));
      }, CLOSED_GRACE_MS);
    }, CLOSED_POLL_MS);
    win.addEventListener('message', onMessage);
    Promise.resolve(url).then(
      (target) => {
        popup.location.href = target;
      },
      (err: unknown) => {
        done();
        popup.close();
        reject(err);
      },
    );
  });
}
