import { DomainError } from '../domain-error.js';
import { saveCredential, type SuperOfficeCredential } from '../superoffice/credential.repository.js';
import { SignInError } from '../superoffice/oidc.js';
import { currentPrincipal, sameTenant } from '../superoffice/principal.js';
import { SuperOfficeWebApi } from '../superoffice/webapi.client.js';
import { issueSession, type Session } from './session.service.js';
import type { SignInDeps } from './signin.service.js';

/** SuperOffice tickets live up to 6 hours. */
const TICKET_HOURS = 6;

/**
 * Onsite sign-in: the web panel URL carries the user's ticket (`<usec>`). It proves nothing by
 * itself; the Web API does: `currentPrincipal` with `Authorization: SOTicket …` says who the
 * ticket belongs to, their tenant and whether they administer it.
 */
export async function signInWithTicket(
  deps: Omit<SignInDeps, 'oidc'> & { appToken?: string },
  webApiUrl: string,
  ticket: string,
  tenantHint: string | null,
): Promise<{ token: string; session: Session }> {
  // A ticket goes into an Authorization header: only visible ASCII can. Anything else is not a
  // ticket (and would make the HTTP client throw, which reads as "SuperOffice unavailable").
  if (!/^[\x21-\x7e]+$/.test(ticket)) {
    throw new SignInError('InvalidTicket', 'SuperOffice did not accept the ticket. Open the panel from SuperOffice again.');
  }
  const now = deps.clock();
  const pending: SuperOfficeCredential = {
    tenantId: tenantHint ?? 'onsite',
    associateId: 0,
    webApiUrl,
    scheme: 'SOTicket',
    accessToken: ticket,
    refreshToken: null,
    accessExpiresAt: new Date(now.getTime() + TICKET_HOURS * 3600_000).toISOString(),
  };
  let principal;
  try {
    principal = await currentPrincipal(SuperOfficeWebApi.withCredential({ ...deps, oidc: null }, pending));
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'unauthenticated') {
      throw new SignInError('InvalidTicket', 'SuperOffice did not accept the ticket. Open the panel from SuperOffice again.');
    }
    throw err;
  }
  // SuperOffice's own spelling wins; the panel's hint counts only where SuperOffice names none.
  const tenantId = principal.tenantId ?? tenantHint ?? 'onsite';
  if (tenantHint && principal.tenantId && !sameTenant(principal.tenantId, tenantHint)) {
    throw new SignInError('WrongTenant', `The ticket belongs to ${principal.tenantId}, not ${tenantHint}.`);
  }
  const issued = await issueSession(
    deps.store,
    { tenantId, associateId: principal.associateId, associateName: principal.name, isAdmin: principal.isAdmin },
    Math.min(deps.sessionTtlMinutes, TICKET_HOURS * 60),
    now,
  );
  await saveCredential(deps.store, deps.box, { ...pending, tenantId, associateId: principal.associateId }, now);
  return issued;
}
