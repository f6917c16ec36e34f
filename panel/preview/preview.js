// A small connection check served at /panel/ until the Lit panel replaces it: sign in through
// the popup, approve Microsoft 365, and load both directories through the backend.
const params = new URLSearchParams(location.search);
const tenant = params.get('ctx') ?? '';
let token = null; // in memory only: the panel is a cross-site iframe, no cookies
let popup = null;
let abort = null;

const $ = (id) => document.getElementById(id);
const show = (id, text) => { $(id).textContent = text; };
function fail(err) {
  $('error').hidden = false;
  show('error', err instanceof Error ? err.message : String(err));
}

async function api(method, path, body, signal) {
  const res = await fetch(`/api/v1${path}`, {
    method,
    signal,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data?.error?.message ?? `The server answered ${res.status}.`);
  return data;
}

function openPopup(url) {
  popup = window.open(url, 'mailbox-link-auth', 'popup,width=520,height=680');
  if (!popup) fail('The browser blocked the sign-in window. Allow pop-ups for this site.');
}

window.addEventListener('message', async (event) => {
  // Only our own popup, from our own origin, may hand us anything.
  if (event.origin !== location.origin || event.source !== popup) return;
  const m = event.data;
  $('error').hidden = true;
  if (m?.type === 'mailbox-link:signed-in') {
    token = m.token;
    show('who', `Signed in as ${m.name}${m.isAdmin ? ' (administrator)' : ' — read only: only SuperOffice administrators can change these settings'}.`);
    $('main').hidden = false;
    await refreshTenant().catch(fail);
  } else if (m?.type === 'mailbox-link:consented') {
    await refreshTenant().catch(fail);
  } else if (m?.type === 'mailbox-link:error') {
    fail(m.message);
  }
});

async function refreshTenant() {
  const t = await api('GET', '/tenant');
  show('ms-state', t.microsoft.connected ? `Connected to Microsoft 365 (organisation ${t.microsoft.entraTenantId}).` : 'Not connected yet: a Microsoft 365 administrator must approve the app.');
  const links = await api('GET', '/links');
  show('n-links', String(links.links.length));
  $('results').hidden = false;
}

$('sign-in').addEventListener('click', () => openPopup(`/auth/superoffice/start?tenant=${encodeURIComponent(tenant)}`));
$('consent').addEventListener('click', async () => {
  try {
    openPopup('about:blank');
    const { url } = await api('POST', '/microsoft/consent', {});
    if (popup) popup.location.href = url;
  } catch (err) {
    popup?.close();
    fail(err);
  }
});
$('load-associates').addEventListener('click', async () => {
  try {
    show('progress', 'Loading associates…');
    const { associates } = await api('GET', '/associates');
    show('n-assoc', String(associates.length));
    show('n-email', String(associates.filter((a) => a.email).length));
    show('progress', '');
  } catch (err) {
    show('progress', '');
    fail(err);
  }
});
$('load-mailboxes').addEventListener('click', async () => {
  abort = new AbortController();
  $('cancel').hidden = false;
  let cursor = null;
  let users = [];
  let total = null;
  try {
    do {
      const page = await api('GET', `/mailboxes${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, abort.signal);
      total ??= page.total;
      users = users.concat(page.mailboxes);
      cursor = page.next;
      show('progress', `Loaded ${users.length}${total ? ` of ${total}` : ''} users…`);
    } while (cursor);
    show('progress', '');
  } catch (err) {
    if (err?.name === 'AbortError') show('progress', `Cancelled after ${users.length} users.`);
    else fail(err);
  } finally {
    $('cancel').hidden = true;
    show('n-mail', String(users.length));
    show('n-odd', String(users.filter((u) => u.guest || !u.accountEnabled).length));
  }
});
$('cancel').addEventListener('click', () => abort?.abort());
