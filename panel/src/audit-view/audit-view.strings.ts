import type { AuditCategory } from '../../../backend/contract.js';
import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-audit-view`. */
export interface AuditViewStrings {
  title: string;
  user: string;
  anyone: string;
  category: string;
  anyCategory: string;
  from: string;
  to: string;
  apply: string;
  loadMore: string;
  exportCsv: string;
  loading: string;
  empty: string;
  when: string;
  who: string;
  action: string;
  what: string;
  categories: Readonly<Record<AuditCategory, string>>;
  /** Known actions in words; others are shown by their name. */
  actions: Readonly<Record<string, string>>;
  before: string;
  after: string;
}

export const auditViewStrings: Readonly<Record<Lang, AuditViewStrings>> = {
  en: {
    title: 'Audit',
    user: 'User',
    anyone: 'Anyone',
    category: 'Action',
    anyCategory: 'All actions',
    from: 'From',
    to: 'To',
    apply: 'Show',
    loadMore: 'Load more',
    exportCsv: 'Export CSV',
    loading: 'Loading…',
    empty: 'No entries match.',
    when: 'When',
    who: 'Who',
    action: 'Action',
    what: 'What',
    categories: { links: 'Links', tenant: 'Tenant and mode', consent: 'Consent', invites: 'Invites', authorizations: 'Authorizations', sync: 'Sync', health: 'Health', alerts: 'Alerts', other: 'Other' },
    actions: {
      'link.created': 'Added a user',
      'link.options_changed': 'Changed options or rank',
      'link.removed': 'Removed a user',
      'links.imported': 'Imported users',
      'links.restored': 'Restored a user',
      'links.purged': 'Purged a user for good',
      'links.undone': 'Undid a change',
      'tenant.mode_changed': 'Changed the mode',
      'tenant.settings_changed': 'Changed the settings',
      'tenant.sync_settings': 'Changed the sync settings',
      'tenant.panels_provisioned': 'Set up the panels',
      'tenant.panels_failed': 'Panel set-up failed',
      'tenant.microsoft_consent': 'Connected Microsoft 365',
      'invite.created': 'Invited a user',
      'invite.replaced': 'Replaced an invite',
      'invite.revoked': 'Revoked an invite',
      'invite.send_failed': 'Invite not sent',
      'mailbox.authorized': 'Mailbox authorized',
      'mailbox.authorization_revoked': 'Revoked an authorization',
      'sync.requested': 'Sync now',
      'sync.breaker_released': 'Resumed synchronization',
    },
    before: 'before',
    after: 'after',
  },
  nb: {
    title: 'Revisjon',
    user: 'Bruker',
    anyone: 'Alle',
    category: 'Handling',
    anyCategory: 'Alle handlinger',
    from: 'Fra',
    to: 'Til',
    apply: 'Vis',
    loadMore: 'Last flere',
    exportCsv: 'Eksporter CSV',
    loading: 'Laster …',
    empty: 'Ingen oppføringer passer.',
    when: 'Når',
    who: 'Hvem',
    action: 'Handling',
    what: 'Hva',
    categories: { links: 'Koblinger', tenant: 'Kunde og modus', consent: 'Samtykke', invites: 'Invitasjoner', authorizations: 'Autorisasjoner', sync: 'Synkronisering', health: 'Helse', alerts: 'Varsler', other: 'Annet' },
    actions: {
      'link.created': 'La til en bruker',
      'link.options_changed': 'Endret valg eller rangering',
      'link.removed': 'Fjernet en bruker',
      'links.imported': 'Importerte brukere',
      'links.restored': 'Gjenopprettet en bruker',
      'links.purged': 'Slettet en bruker for godt',
      'links.undone': 'Angret en endring',
      'tenant.mode_changed': 'Endret modus',
      'tenant.settings_changed': 'Endret innstillingene',
      'tenant.sync_settings': 'Endret synkroniseringsinnstillingene',
      'tenant.panels_provisioned': 'Satte opp panelene',
      'tenant.panels_failed': 'Oppsett av panelene mislyktes',
      'tenant.microsoft_consent': 'Koblet til Microsoft 365',
      'invite.created': 'Inviterte en bruker',
      'invite.replaced': 'Erstattet en invitasjon',
      'invite.revoked': 'Trakk tilbake en invitasjon',
      'invite.send_failed': 'Invitasjonen ble ikke sendt',
      'mailbox.authorized': 'Postboks autorisert',
      'mailbox.authorization_revoked': 'Trakk tilbake en autorisasjon',
      'sync.requested': 'Synkroniser nå',
      'sync.breaker_released': 'Gjenopptok synkroniseringen',
    },
    before: 'før',
    after: 'etter',
  },
};
