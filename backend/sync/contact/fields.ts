import { createHash } from 'node:crypto';
import type { ContactWrite, SoPerson } from './ports.js';

/**
 * Person → contact: the fields the contact pass owns. Phones: office → business, mobile → the
 * one mobile (the first; Outlook has one), private → home. The address is the person's
 * postal address as the contact's business address.
 */
export function contactOf(p: SoPerson): ContactWrite {
  const displayName = p.fullName || [p.firstName, p.middleName, p.lastName].filter(Boolean).join(' ');
  return {
    givenName: p.firstName,
    middleName: p.middleName,
    surname: p.lastName,
    displayName,
    companyName: p.company,
    jobTitle: p.title,
    emailAddresses: p.emails.map((address) => ({ name: displayName, address })),
    businessPhones: [...p.officePhones],
    mobilePhone: p.mobilePhones[0] ?? '',
    homePhones: [...p.privatePhones],
    businessAddress: { street: p.address.street, city: p.address.city, state: p.address.state, postalCode: p.address.zipcode, countryOrRegion: p.address.country },
  };
}

/** A hash of the fields we own, equal when nothing we own differs (echo of our own write, or an Outlook edit). */
export function contactHash(w: ContactWrite): string {
  const canonical = [
    w.givenName, w.middleName, w.surname, w.displayName, w.companyName, w.jobTitle,
    w.emailAddresses.map((e) => e.address.toLowerCase()).join('\n'),
    w.businessPhones.join('\n'), w.mobilePhone, w.homePhones.join('\n'),
    w.businessAddress.street, w.businessAddress.city, w.businessAddress.state, w.businessAddress.postalCode, w.businessAddress.countryOrRegion,
  ];
  return createHash('sha256').update(JSON.stringify(canonical), 'utf8').digest('base64url');
}
