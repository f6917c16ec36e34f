import { equal, ok } from '../test-support/assert.js';
import { PopupError } from './popup.js';
import { runSilentSignIn } from './silent-signin.js';

/** A page of our own origin (a blob URL) whose script posts `message` to its parent, as the callback page does. */
function callbackPage(message: unknown): string {
  const script = `parent.postMessage(${JSON.stringify(message)}, ${JSON.stringify(location.origin)});`;
  return URL.createObjectURL(new Blob([`<!doctype html><script>${script}</script>`], { type: 'text/html' }));
}

async function rejection(p: Promise<unknown>): Promise<PopupError> {
  try {
    await p;
  } catch (err) {
    ok(err instanceof PopupError, String(err));
    return err;
  }
  throw new Error('expected a rejection');
}

const frames = () => document.querySelectorAll('iframe').length;

describe('runSilentSignIn', () => {
  it('resolves with what the frame posts, ignoring messages from anywhere else, and removes the frame', async () => {
    const before = frames();
    const done = runSilentSignIn(callbackPage({ type: 'mailbox-link:signed-in', token: 'sls_ok', expiresAt: '', isAdmin: true, name: 'Ada' }));
    const frame = document.querySelector('iframe')!;
    ok(frame.hidden, 'the frame is hidden');
    window.postMessage({ type: 'mailbox-link:signed-in', token: 'forged', expiresAt: '', isAdmin: true, name: 'x' }, location.origin);
    const m = await done;
    ok(m.type === 'mailbox-link:signed-in');
    equal(m.token, 'sls_ok');
    equal(frames(), before);
  });

  it('rejects with the page’s code when SuperOffice wants the user (LoginRequired)', async () => {
    const err = await rejection(runSilentSignIn(callbackPage({ type: 'mailbox-link:error', code: 'LoginRequired', message: 'x' })));
    equal(err.code, 'LoginRequired');
    equal(frames(), 0);
  });

  it('gives up when nothing comes back in time', async () => {
    const silentPage = URL.createObjectURL(new Blob(['<!doctype html><p>nothing</p>'], { type: 'text/html' }));
    const err = await rejection(runSilentSignIn(silentPage, window, 300));
    equal(err.code, 'SilentTimeout');
    equal(frames(), 0);
  });

  it('gives up early when the frame stopped on another origin’s page (the provider’s sign-in page)', async () => {
    // A data: page has an opaque origin, as a page of SuperID (or the browser's "refused to connect" page) is to us.
    const err = await rejection(runSilentSignIn('data:text/html,<p>Sign in</p>', window, 60_000));
    equal(err.code, 'SilentTimeout');
    equal(err.message, 'SuperOffice wants to show its sign-in page.');
  });
});
