import { AUTHORIZE_FIELDS, type AuthorizeRequest, type Params } from './authorize.request.js';
import { isAdministrator } from './id-token.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const STYLE = `
body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;color:#1b1b1b}
main{max-width:40rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem}ul{list-style:none;padding:0}
li{margin:.4rem 0}button{width:100%;text-align:left;padding:.6rem .8rem;border:1px solid #ccd;border-radius:6px;background:#fff;cursor:pointer;font:inherit}
button:hover,button:focus{border-color:#0a66c2;outline:2px solid #0a66c255}
.hint{border-color:#0a66c2}.who{font-weight:600}.mail{color:#555;margin-left:.5rem}
.badge{float:right;font-size:.8rem;padding:.1rem .5rem;border-radius:1rem;background:#e7eef7}
.badge.admin{background:#0a66c2;color:#fff}.note{color:#555;font-size:.9rem}`;

const MAX_LISTED = 500;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

/**
 * SuperID's sign-in screen, simulated: one button per associate who can log in (active ones),
 * marked Administrator or User. Choosing one posts the authorize parameters back with
 * `ctx` and `associate_id`; tests can post the same form directly.
 */
export function signInPage(request: AuthorizeRequest, params: Params): string {
  const hidden = AUTHORIZE_FIELDS.filter((name) => params[name] !== undefined)
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params[name] ?? '')}">`)
    .join('');
  const hint = request.loginHint?.toLowerCase();
  const forms = request.tenants
    .map(({ tenant }) => {
      const active = tenant.associates.filter((a) => a.isActive);
      // Large benchmark tenants would make a page of thousands of buttons: show the hinted user first, then a few hundred.
      const shown = [...active].sort((a, b) => Number(b.userName.toLowerCase() === hint) - Number(a.userName.toLowerCase() === hint)).slice(0, MAX_LISTED);
      const more = active.length - shown.length;
      const items = shown
        .map((a) => {
          const admin = isAdministrator(a);
          const cls = hint && a.userName.toLowerCase() === hint ? ' class="hint"' : '';
          return (
            `<li><button type="submit" name="associate_id" value="${a.associateId}"${cls} data-admin="${admin}">` +
            `<span class="who">${escapeHtml(a.fullName)}</span><span class="mail">${escapeHtml(a.userName)}</span>` +
            `<span class="badge${admin ? ' admin' : ''}">${admin ? 'Administrator' : 'User'}</span></button></li>`
          );
        })
        .join('');
      return (
        `<h2>${escapeHtml(tenant.companyName)} (${escapeHtml(tenant.contextId)})</h2>` +
        `<form method="post" action="/login/common/oauth/authorize">${hidden}` +
        `<input type="hidden" name="ctx" value="${escapeHtml(tenant.contextId)}"><ul>${items}</ul></form>` +
        (more > 0 ? `<p class="note">${more} more users are not listed; pass login_hint to pick one.</p>` : '')
      );
    })
    .join('');
  return page(
    'Sign in to SuperOffice (simulator)',
    `<h1>Sign in to SuperOffice</h1><p class="note">Simulated SuperID for <strong>${escapeHtml(request.client.appName ?? request.client.clientId)}</strong>. Choose the user to sign in as.</p>${forms}`,
  );
}

/** Shown instead of redirecting when the client or redirect URI cannot be trusted. */
export function errorPage(message: string): string {
  return page('Sign-in error (simulator)', `<h1>Sign-in error</h1><p role="alert">${escapeHtml(message)}</p>`);
}
