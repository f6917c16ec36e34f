// The accept page's bundle (panel/dist/accept/accept.js). No sign-in library: the page only
// navigates to Microsoft, and the backend redeems the code at its callback.
import { pick } from '../i18n/locale.js';
import { acceptPageStrings } from './accept-page.strings.js';
import { InviteAccept } from './accept-page.js';

const page = document.createElement('so-invite-accept') as InviteAccept;
document.documentElement.lang = page.lang;
document.title = pick(acceptPageStrings, page.lang).title;
// Through the CSSOM: the page's CSP allows no inline style (and the element fills the window).
document.body.style.margin = '0';
document.body.append(page);
