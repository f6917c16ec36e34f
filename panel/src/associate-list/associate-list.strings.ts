import type { Lang } from '../i18n/locale.js';

/** Every visible and aria string of `so-associate-list`. */
export interface AssociateListStrings {
  label: string;
  name: string;
  email: string;
  userGroup: string;
  status: string;
  linkedTo: string;
  active: string;
  retired: string;
  noEmail: string;
  empty: string;
}

export const associateListStrings: Readonly<Record<Lang, AssociateListStrings>> = {
  en: {
    label: 'SuperOffice associates',
    name: 'Name',
    email: 'Email',
    userGroup: 'User group',
    status: 'Status',
    linkedTo: 'Linked to',
    active: 'Active',
    retired: 'Retired',
    noEmail: 'No email',
    empty: 'No associates loaded.',
  },
  nb: {
    label: 'SuperOffice-brukere',
    name: 'Navn',
    email: 'E-post',
    userGroup: 'Brukergruppe',
    status: 'Status',
    linkedTo: 'Koblet til',
    active: 'Aktiv',
    retired: 'Sluttet',
    noEmail: 'Ingen e-post',
    empty: 'Ingen brukere er lastet.',
  },
};
