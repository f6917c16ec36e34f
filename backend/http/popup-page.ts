import type { Context } from 'koa';

/** What a popup tells the panel that opened it. */
export type PopupMessage =
  | { type: 'mailbox-link:signed-in'; token: string; expiresAt: string; isAdmin: boolean; name: string }
  | { type: 'mailbox-link:consented'; tenant: string }
  | { type: 'mailbox-link:error'; code: string; message: string };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const POPUP_RESULT_CSP =
  "default-src 'none';script-src 'self';style-src 'self';connect-src 'none';img-src 'none';base-uri 'none';form-action 'none';frame-ancestors 'self'";

/**
 * The last page of a sign-in or consent popup. Its script posts `message` to the opener, to
 * exactly `targetOrigin`, and closes the popup; in the panel's hidden frame (silent sign-in, no
 * opener) it posts to the parent, to the same exact origin, so a page of any other origin that
 * frames it gets nothing. Script and styles are files: the CSP
 * (`script-src 'self'`, `style-src 'self'`) allows nothing inline, `style` attributes included.
 * The token travels in the page body, never in a URL.
 */
export function renderPopupResult(ctx: Context, message: PopupMessage, targetOrigin: string): void {
  const ok = message.type !== 'mailbox-link:error';
  const text = ok ? 'Done. You can close this window.' : message.message;
  // LoginRequired is the silent sign-in's expected "no" (the panel opens the popup), not a failed request.
  ctx.status = ok || message.code === 'LoginRequired' ? 200 : 400;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  // The popup went through the identity provider's origin; keep its handle on the opener.
  ctx.set('Cross-Origin-Opener-Policy', 'unsafe-none');
  // The silent sign-in shows this page in a hidden frame of the panel, and nothing else may frame it.
  ctx.set('Content-Security-Policy', POPUP_RESULT_CSP);
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${ok ? 'Signed in' : 'Sign-in failed'}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/auth/popup-result.css">
<script src="/auth/popup-result.js" defer></script></head>
<body>
<p id="status" role="status">${escapeHtml(text)}</p>
<div id="result" hidden data-origin="${escapeHtml(targetOrigin)}" data-message="${escapeHtml(JSON.stringify(message))}"></div>
</body></html>`;
}

/** Served as /auth/popup-result.css. */
export const POPUP_RESULT_STYLES = `body { font-family: system-ui, sans-serif; margin: 2rem; }
`;

/** Served as /auth/popup-result.js. */
export const POPUP_RESULT_SCRIPT = `(() => {
  const el = document.getElementById('result');
  if (!el) return;
  const message = JSON.parse(el.dataset.message);
  if (window.opener && !window.opener.closed) {
    window.opener.postMessage(message, el.dataset.origin);
    if (message.type !== 'mailbox-link:error') window.close();
  } else if (window.parent !== window) {
    window.parent.postMessage(message, el.dataset.origin);
  }
})();
`;
