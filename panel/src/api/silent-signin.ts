import { PopupError, panelMessage, type PopupMessage } from './popup.js';

/** How long a silent sign-in may take before the panel gives up on it (and opens the popup). */
export const SILENT_TIMEOUT_MS = 8000;
/**
 * A hidden frame that stopped on the identity provider's origin (its sign-in page, refused in a
 * frame, or an error page) never posts. A short grace lets a page that redirects on by script
 * still finish before the panel gives up early.
 */
const FOREIGN_PAGE_GRACE_MS = 1000;

/**
 * Signs in without any window: `url` (the backend's `/auth/superoffice/start?…&prompt=none`)
 * loads in a hidden iframe; SuperOffice answers at once, with a code when its own sign-in session
 * is still alive or `login_required` when not (OpenID Connect `prompt=none`), and the backend's
 * callback page in the frame posts the result to this window. Only a message from that frame,
 * from our own origin, counts. Rejects with a {@link PopupError}: the page's code
 * (`LoginRequired`, …), or `SilentTimeout` when nothing came back in time (third-party cookies
 * blocked, the provider showed a page).
 */
export function runSilentSignIn(url: string, win: Window = window, timeoutMs = SILENT_TIMEOUT_MS): Promise<PopupMessage> {
  const doc = win.document;
  const frame = doc.createElement('iframe');
  frame.hidden = true;
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = 'SuperOffice sign-in';
  return new Promise<PopupMessage>((resolve, reject) => {
    let early: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      win.removeEventListener('message', onMessage);
      clearTimeout(timer);
      clearTimeout(early);
      frame.remove();
    };
    const give = (code: string, message: string) => {
      done();
      reject(new PopupError(code, message));
    };
    const onMessage = (event: MessageEvent) => {
      const m = panelMessage(event, frame.contentWindow, win);
      if (!m) return;
      done();
      if (m.type === 'mailbox-link:error') reject(new PopupError(m.code, m.message));
      else resolve(m);
    };
    const timer = setTimeout(() => give('SilentTimeout', 'SuperOffice did not answer the silent sign-in.'), timeoutMs);
    frame.addEventListener('load', () => {
      clearTimeout(early);
      let foreign = false;
      try {
        // Readable only while the frame shows a page of our own origin (the callback page).
        void frame.contentWindow?.location.href.length;
      } catch {
        foreign = true;
      }
      if (foreign) early = setTimeout(() => give('SilentTimeout', 'SuperOffice wants to show its sign-in page.'), FOREIGN_PAGE_GRACE_MS);
    });
    win.addEventListener('message', onMessage);
    frame.src = url;
    doc.body.append(frame);
  });
}
