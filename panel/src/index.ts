// The panel bundle's entry (panel/dist/panel.js): importing it registers every element.
export { DataList, SelectionChangeEvent } from './data-list/data-list.js';
export type { CellContext, Column, SortDirection, SortState } from './data-list/data-list.js';
export { AssociateList, associateKey } from './associate-list/associate-list.js';
export { MailboxList, mailboxKey, type MailboxState } from './mailbox-list/mailbox-list.js';
export {
  LinkedUserList,
  LinkOptionsChangeEvent,
  LinkRankEditEvent,
  addedLinkRow,
  isDisabled,
  isUnauthorized,
  linkChange,
  newLinkKey,
  parseRank,
  savedLinkRow,
} from './linked-user-list/linked-user-list.js';
export type { LinkChange, LinkOption, LinkOptions, LinkedUserRow, RankDraft } from './linked-user-list/linked-user-list.js';
export { langFromLani, type Lang } from './i18n/locale.js';
export { InviteManager, activeAuthorization, inviteRows, type InviteRow, type InviteRowState } from './invite-manager/invite-manager.js';
export { SyncSettings } from './sync-settings/sync-settings.js';
export { INVITE_CHUNK, PanelApi, PanelApiError, errorText } from './api/api-client.js';
export { panelApiContext } from './api/context.js';
