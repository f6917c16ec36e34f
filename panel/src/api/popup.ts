/** What the backend's popup pages post back (see backend/http/popup-page.ts). */
export type PopupMessage =
  | { type: 'mailbox-link:signed-in'; token: string; expiresAt: string; isAdmin: boolean; name: string }
  | { type: 'mailbox-link:consented'; tenant: string }
  | { type: 'mailbox-link:error'; code: string; message: string };

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
    const done = () => {
      win.removeEventListener('message', onMessage);
      clearInterval(watch);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.origin !== win.location.origin || event.source !== popup) return;
      const m = event.data as PopupMessage;
      if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !m.type.startsWith('mailbox-link:')) return;
      done();
      if (m.type === 'mailbox-link:error') reject(new PopupError(m.code, m.message));
      else resolve(m);
    };
    // A popup closed by the user never posts: stop waiting.
    const watch = setInterval(() => {
      if (popup.closed) {
        done();
        reject(new PopupError('PopupClosed', 'The window was closed before it finished.'));
      }
    }, 500);
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
