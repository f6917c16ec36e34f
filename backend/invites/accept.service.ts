import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.js';
import type { InviteRow, TenantRow } from '../db/database.js';
import { readBool, readTime } from '../db/dialect.js';
import type { Store } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import { ApiError } from '../http/errors.js';
import { ACCEPT_PATH } from '../http/paths.js';
import type { MicrosoftIntegration } from '../integration.js';
import { graphOf } from '../microsoft/graph.client.js';
import { smtpAddresses, type GraphUser } from '../microsoft/mailboxes.js';
import type { InviteAccepted, InviteOpened } from './invite.schemas.js';
import { findAuthorization, saveAuthorization } from '../authorizations/authorization.repository.js';
import { findLinkOptionsOfAssociate } from '../links/link.repository.js';
import { findTenant } from '../tenants/tenant.repository.js';
import { settleAcceptedLink } from './accept-link.js';
import { findInviteByTokenHash, hashInviteToken, INVITE_TOKEN, inviteState, setAcceptNonce, useInvite } from './invite.repository.js';

export interface AcceptDeps {
  store: Store;
  integration: MicrosoftIntegration;
  now: Date;
  requestId: string;
}

/**
 * What the accept page's sign-in asks for. Each must be a delegated permission of the app
 * registration (manifest `microsoftGraph.delegatedPermissions`): where users may not consent,
 * only what an administrator approved through `/.default` lets the invitee in.
 */
export const ACCEPT_SCOPES = ['openid', 'profile', 'email'];

const notFound = () =>
  new ApiError(404, 'InviteNotFound', 'This invitation link is not valid. Check that you opened the whole link, or ask your administrator for a new one.');

/** The invite behind a link, if it can still be accepted; otherwise the error the user sees. */
async function usableInvite(store: Store, token: string, now: Date): Promise<{ invite: InviteRow; tenant: TenantRow }> {
  if (!INVITE_TOKEN.test(token)) throw notFound();
  const invite = await findInviteByTokenHash(store, hashInviteToken(token));
  if (!invite) throw notFound();
  switch (inviteState(invite, now)) {
    case 'accepted':
      throw new ApiError(409, 'InviteAlreadyUsed', 'This invitation has already been accepted. Each invitation link works once.');
    case 'revoked':
      throw new ApiError(410, 'InviteRevoked', 'This invitation was withdrawn (or replaced by a newer one). Ask your administrator for a new invitation.');
    case 'expired':
      throw new ApiError(410, 'InviteExpired', 'This invitation has expired. Ask your administrator to send it again.');
    case 'failed':
      throw notFound();
    case 'invited':
      break;
  }
  // The invite's tenant exists (a foreign key says so).
  const tenant = (await findTenant(store, invite.tenant_id))!;
  if (!tenant.entra_tenant_id) {
    throw new ApiError(409, 'MicrosoftNotConnected', 'Your organisation has not connected Microsoft 365 to SuperOffice yet. Ask your administrator.');
  }
  return { invite, tenant };
}

/**
 * The accept page opened an invite link: what the user is asked to approve, and the settings for
 * the Microsoft sign-in, with a fresh nonce that the id token must carry (stored on the invite,
 * replacing any earlier one, so only the newest sign-in for this link can accept it).
 */
export async function openInvite(d: AcceptDeps, token: string): Promise<InviteOpened> {
  const { invite, tenant } = await usableInvite(d.store, token, d.now);
  const nonce = randomBytes(24).toString('base64url');
  await setAcceptNonce(d.store, invite.id, nonce);
  const link = await findLinkOptionsOfAssociate(d.store, invite.tenant_id, invite.associate_id);
  const authority = new URL(d.integration.microsoft.settings.authorityUrl);
  return {
    organisation: tenant.name ?? tenant.id,
    associateName: invite.associate_name,
    email: invite.email,
    invitedBy: invite.created_by_name ?? 'Your SuperOffice administrator',
    expiresAt: readTime(invite.expires_at),
    allowOtherMailbox: readBool(invite.allow_other_mailbox),
    sync: link ? { diary: readBool(link.sync_diary), task: readBool(link.sync_task), contact: readBool(link.sync_contact) } : null,
    signIn: {
      clientId: d.integration.microsoft.settings.clientId,
      authority: `${authority.origin}${authority.pathname.replace(/\/+$/, '')}/${tenant.entra_tenant_id}`,
      knownAuthorities: [authority.host],
      redirectUri: d.integration.publicUrl + ACCEPT_PATH,
      scopes: [...ACCEPT_SCOPES],
      nonce,
      loginHint: invite.email,
    },
  };
}

/**
 * Accept: the id token must be Entra's, for this app, from the tenant's organisation, carrying
 * the nonce this link last handed out; the account's mailbox (asked of Graph, by object id) must
 * be the invited address unless the admin allowed another. Then, in one transaction: the invite
 * is used up (a conditional update, so a replay or a race loses), the mailbox is recorded as
 * authorized with time and account, and the audit log says so. Any refusal writes nothing.
 */
export async function acceptInvite(d: AcceptDeps, token: string, idToken: string): Promise<InviteAccepted> {
  const { invite, tenant } = await usableInvite(d.store, token, d.now);
  const entraTenantId = tenant.entra_tenant_id!;
  const who = await d.integration.microsoft.idTokens.verify(idToken, { tenantId: entraTenantId });
  if (!invite.accept_nonce || who.nonce !== invite.accept_nonce) {
    throw new ApiError(409, 'SignInAgain', 'This sign-in does not belong to the latest opening of this invitation. Sign in again.');
  }

  const graph = graphOf(d.integration, entraTenantId);
  let user: GraphUser;
  try {
    user = await graph.get<GraphUser>(`/users/${encodeURIComponent(who.oid)}?$select=id,displayName,mail,userPrincipalName,proxyAddresses`);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'MicrosoftNotFound') {
      throw new ApiError(403, 'MailboxMismatch', `The account ${who.username} has no mailbox in your organisation.`);
    }
    throw err;
  }
  const { primary: primaryAddress, all } = smtpAddresses(user);
  const primary = (primaryAddress ?? '').toLowerCase();
  const invited = invite.email.toLowerCase();
  const matches = all.includes(invited) || (user.userPrincipalName ?? '').toLowerCase() === invited;
  if (!matches && !readBool(invite.allow_other_mailbox)) {
    throw new ApiError(
      403,
      'MailboxMismatch',
      `You signed in as ${who.username}, but this invitation is for ${invite.email}. Sign in with that account, or ask your administrator.`,
    );
  }
  if (!primary) throw new ApiError(403, 'MailboxMismatch', `The account ${who.username} has no mailbox address.`);

  const mailboxId = user.id.toLowerCase();
  const displayName = user.displayName ?? who.name ?? primary;
  await d.store.transaction(async (tx) => {
    const at = tx.dialect.time(d.now);
    if (!(await useInvite(tx, invite.id, mailboxId, who.nonce, d.now))) {
      throw new ApiError(409, 'InviteAlreadyUsed', 'This invitation has already been used. Each invitation link works once.');
    }
    const before = await findAuthorization(tx, invite.tenant_id, mailboxId);
    await saveAuthorization(tx, invite.tenant_id, mailboxId, {
      mailbox_address: primary,
      account_upn: who.username,
      invite_id: invite.id,
      display_name: displayName,
      addresses_json: JSON.stringify(all),
      authorized_at: at,
      revoked_at: null,
      revoked_by: null,
    }, before !== undefined);
    await appendAudit(
      tx,
      // The mailbox owner acts here, on the invite of the associate it was sent to.
      { tenantId: invite.tenant_id, associateId: invite.associate_id, associateName: `${invite.associate_name} (${who.username})`, requestId: d.requestId },
      [
        {
          action: 'mailbox.authorized',
          entityType: 'authorized_mailbox',
          entityId: mailboxId,
          before: before ? { mailboxAddress: before.mailbox_address, account: before.account_upn, revokedAt: before.revoked_at === null ? null : readTime(before.revoked_at) } : null,
          after: { mailboxAddress: primary, account: who.username, inviteId: invite.id, invitedEmail: invite.email, otherMailbox: !matches },
        },
      ],
      d.now,
    );
    await settleAcceptedLink(tx, invite, { id: mailboxId, address: primary }, d.requestId, d.now);
  });
  return { mailboxAddress: primary, displayName, account: who.username };
}
