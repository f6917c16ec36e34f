/**
 * The few HTML pages Entra shows: account picker, admin consent, error. Deliberately plain; they
 * exist so browser flows (MSAL redirect, the admin-consent popup) can be clicked through locally.
 */

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0}
main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
h1{font-size:24px;font-weight:600;margin:0 0 16px}.sim{color:#666;font-size:12px;margin-bottom:16px}
button{display:block;width:100%;text-align:left;padding:10px 12px;margin:6px 0;border:1px solid #ccc;background:#fff;cursor:pointer}
button:hover{background:#f0f6ff}.hint{border-color:#0067b8}.actions button{display:inline-block;width:auto;margin-right:8px}
.primary{background:#0067b8;color:#fff;border-color:#0067b8}small{color:#666}code{font-size:12px}
</style></head><body><main><div class="sim">Entra ID simulator</div>${body}</main></body></html>`;
}

function hiddenFields(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
}

export interface PickableUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

export function signInPage(action: string, params: Record<string, string>, users: PickableUser[], loginHint?: string): string {
  const hint = loginHint?.toLowerCase();
  const buttons = users
    .map((u) => {
      const hinted = hint !== undefined && u.userPrincipalName.toLowerCase() === hint;
      return `<button type="submit" name="user_id" value="${escapeHtml(u.id)}"${hinted ? ' class="hint"' : ''} data-upn="${escapeHtml(u.userPrincipalName)}">${escapeHtml(u.displayName)}<br><small>${escapeHtml(u.userPrincipalName)}</small></button>`;
    })
    .join('');
  return layout(
    'Sign in to your account',
    `<h1>Pick an account</h1><form method="post" action="${escapeHtml(action)}">${hiddenFields(params)}${buttons}
<div class="actions"><button type="submit" name="cancel" value="1">Cancel</button></div></form>`,
  );
}

export function adminConsentPage(action: string, params: Record<string, string>, appName: string, permissions: string[], tenantName: string): string {
  const list = permissions.map((p) => `<li><code>${escapeHtml(p)}</code></li>`).join('');
  return layout(
    'Permissions requested',
    `<h1>Permissions requested</h1><p><strong>${escapeHtml(appName)}</strong> wants these application permissions in <strong>${escapeHtml(tenantName)}</strong> for your whole organization:</p>
<ul>${list || '<li>(none)</li>'}</ul>
<form method="post" action="${escapeHtml(action)}">${hiddenFields(params)}
<div class="actions"><button class="primary" type="submit" name="decision" value="accept">Accept</button><button type="submit" name="decision" value="cancel">Cancel</button></div></form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function errorPage(code: number, message: string): string {
  return layout('Sign in error', `<h1>Sorry, but we’re having trouble signing you in.</h1><p>AADSTS${code}: ${escapeHtml(message)}</p>`);
}

/** response_mode=form_post: the browser posts the result to the redirect URI. */
export function formPostPage(redirectUri: string, params: Record<string, string>): string {
  return `<!doctype html><html><head><title>Working...</title></head><body onload="document.forms[0].submit()"><form method="post" action="${escapeHtml(redirectUri)}">${hiddenFields(params)}<noscript><button type="submit">Continue</button></noscript></form></body></html>`;
}
