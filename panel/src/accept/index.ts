// The accept page's bundle (panel/dist/accept/accept.js): the only bundle with @azure/msal-browser.
import { pick } from '../i18n/locale.js';
import { acceptPageStrings } from './accept-page.strings.js';
import { InviteAccept } from './accept-page.js';
import { MsalSignInClient } from './msal-sign-in-client.js';

const page = document.createElement('so-invite-accept') as InviteAccept;
page.signInClient = new MsalSignInClient();
document.documentElement.lang = page.lang;
document.title = pick(acceptPageStrings, page.lang).title;
// Through the CSSOM: the page's CSP allows no inline style (and the element fills the window).
document.body.style.margin = '0';
document.body.append(page);
