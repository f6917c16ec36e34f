import { equal, ok } from '../test-support/assert.js';
import { PopupError, runPopup } from './popup.js';

/** A stand-in for `window` whose `open` returns a fake popup we control. */
function fakeWindow() {
  const listeners: ((e: MessageEvent) => void)[] = [];
  const popup = { closed: false, location: { href: '' }, close() { this.closed = true; } };
  const win = {
    location: { origin: 'https://panel.example' },
    open: () => popup,
    addEventListener: (_: string, l: (e: MessageEvent) => void) => listeners.push(l),
    removeEventListener: (_: string, l: (e: MessageEvent) => void) => listeners.splice(listeners.indexOf(l), 1),
  };
  const post = (data: unknown, origin: string, source: unknown = popup) =>
    listeners.slice().forEach((l) => l({ data, origin, source } as unknown as MessageEvent));
  return { win: win as unknown as Window, popup, post };
}

describe('runPopup', () => {
  it('opens the popup at once, then navigates it, and resolves with the message from it', async () => {
    const { win, popup, post } = fakeWindow();
    const done = runPopup(Promise.resolve('https://login.example/authorize'), win);
    await Promise.resolve();
    await Promise.resolve();
    equal(popup.location.href, 'https://login.example/authorize');
    post({ type: 'mailbox-link:signed-in', token: 'forged', expiresAt: '', isAdmin: true, name: 'x' }, 'https://evil.example');
    post({ type: 'mailbox-link:signed-in', token: 'forged', expiresAt: '', isAdmin: true, name: 'x' }, 'https://panel.example', {});
    post({ type: 'mailbox-link:signed-in', token: 'sls_ok', expiresAt: '', isAdmin: true, name: 'Ada' }, 'https://panel.example');
    const m = await done;
    ok(m.type === 'mailbox-link:signed-in');
    equal(m.token, 'sls_ok');
  });

  it('rejects with the popup page error, and when the user closes the popup', async () => {
    const a = fakeWindow();
    const failed = runPopup('https://x.example', a.win);
    a.post({ type: 'mailbox-link:error', code: 'WrongTenant', message: 'Wrong tenant.' }, 'https://panel.example');
    try {
      await failed;
      ok(false);
    } catch (err) {
      ok(err instanceof PopupError && err.code === 'WrongTenant');
    }
    const b = fakeWindow();
    const closed = runPopup('https://x.example', b.win);
    b.popup.closed = true;
    try {
      await closed;
      ok(false);
    } catch (err) {
      ok(err instanceof PopupError && err.code === 'PopupClosed');
    }
  });

  it('a message posted just before the popup closed still wins, though `closed` is seen before the message arrives', async () => {
    const { win, popup, post } = fakeWindow();
    // The result page posts, then closes itself at once. Here the opener's closed-check runs
    // first, and the posted message is dispatched only after it: the race seen in the browser.
    let checksWhileClosed = 0;
    Object.defineProperty(popup, 'closed', {
      get: () => {
        if (checksWhileClosed++ === 0) {
          setTimeout(() => post({ type: 'mailbox-link:signed-in', token: 'sls_ok', expiresAt: '', isAdmin: true, name: 'Ada' }, 'https://panel.example'), 0);
        }
        return true;
      },
    });
    const m = await runPopup('https://x.example', win);
    ok(checksWhileClosed >= 1, 'the closed-check saw the popup closed before the message');
    ok(m.type === 'mailbox-link:signed-in');
    equal(m.token, 'sls_ok');
  });

  it('says so when the browser blocks the popup', async () => {
    const win = { open: () => null } as unknown as Window;
    try {
      await runPopup('https://x.example', win);
      ok(false);
    } catch (err) {
      ok(err instanceof PopupError && err.code === 'PopupBlocked');
    }
  });
});
