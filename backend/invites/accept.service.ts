import { createHash, randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/audit.repository.js';
import type { InviteRow, TenantRow } from '../db/database.js';
import { readBool, readTime } from '../db/dialect.js';
import type { Store } from '../db/store.js';
import { DomainError } from '../domain-error.js';
import { ApiError } from '../http/errors.js';
import { ACCEPT_CALLBACK, ACCEPT_PATH } from '../http/paths.js';
import type { MicrosoftIntegration } from '../integration.js';
import { graphOf } from '../microsoft/graph.client.js';
import { smtpAddresses, type GraphUser } from '../microsoft/mailboxes.js';
import type { InviteAccepted, InviteOpened } from './invite.schemas.js';
import { findAuthorization, saveAuthorization, sealGrant } from '../authorizations/authorization.repository.js';
import { CodeRedemptionError } from '../microsoft/app-token.js';
import { IdTokenError, type EntraIdentity } from '../microsoft/id-token.js';
import { pkcePair } from '../superoffice/oidc.js';
import { findLinkOptionsOfAssociate } from '../links/link.repository.js';
import { findTenant } from '../tenants/tenant.repository.js';
import { settleAcceptedLink } from './accept-link.js';
import { findInviteByStateHash, findInviteByTokenHash, hashInviteToken, INVITE_TOKEN, inviteState, setAcceptNonce, useInvite } from './invite.repository.js';

export interface AcceptDeps {
  store: Store;
  integration: MicrosoftIntegration;
  now: Date;
  requestId: string;
}

/**
 * The identifying scopes of the open answer's `signIn.scopes` (kept in the answer for older
 * clients; the page itself only follows `authorizeUrl`, which asks for ACCEPT_GRANT_SCOPES). Each
 * must be a delegated permission of the app registration (manifest
 * `microsoftGraph.delegatedPermissions`): where users may not consent, only what an administrator
 * approved through `/.default` lets the invitee in.
 */
export const ACCEPT_SCOPES = ['openid', 'profile', 'email'];

const notFound = () =>
  new ApiError(404, 'InviteNotFound', 'This invitation link is not valid. Check that you opened the whole link, or ask your administrator for a new one.');

/** The invite behind a link, if it can still be accepted; otherwise the error the user sees. */
async function usableInvite(store: Store, token: string, now: Date): Promise<{ invite: InviteRow; tenant: TenantRow }> {
  if (!INVITE_TOKEN.test(token)) throw notFound();
  return usable(store, await findInviteByTokenHash(store, hashInviteToken(token)), now);
}

async function usable(store: Store, invite: InviteRow | undefined, now: Date): Promise<{ invite: InviteRow; tenant: TenantRow }> {
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
  // The grant's sign-in (authorization code + PKCE, redeemed by this backend): its verifier and
  // state stay here, bound to this opening's nonce; the browser only carries the state there and back.
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(32).toString('base64url');
  await setAcceptNonce(d.store, invite.id, nonce, { verifierSealed: d.integration.box.seal(verifier, verifierContext(invite.id, nonce)), stateHash: stateHash(state) });
  const grantSignIn = (pickAccount: boolean) =>
    d.integration.microsoft.grants.authorizeUrl({
      entraTenantId: tenant.entra_tenant_id!,
      redirectUri: d.integration.publicUrl + ACCEPT_CALLBACK,
      state,
      nonce,
      codeChallenge: challenge,
      loginHint: invite.email,
      pickAccount,
    });
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
      authorizeUrl: grantSignIn(false),
      anotherAccountUrl: grantSignIn(true),
    },
  };
}

const stateHash = (state: string) => createHash('sha256').update(state).digest('hex');
const verifierContext = (inviteId: string, nonce: string) => `accept-pkce:${inviteId}:${nonce}`;

/** Where the sign-in callback sends the browser back to: the accept page, with the outcome in the fragment (never a secret). */
export type AcceptCallbackResult = { ok: true; accepted: InviteAccepted } | { ok: false; status: number; code: string; message: string };

/**
 * The grant's sign-in comes back (`GET /auth/microsoft/accept/callback?code&state`): the state
 * must be the one the invite's LATEST opening handed out (only its hash is stored, so it is also
 * what finds the invite); the code is redeemed here with that opening's PKCE verifier, as the
 * confidential client (msal-node); the id token passes the same checks as before (signature,
 * issuer, audience, tenant, nonce) and the account's mailbox must be the invited one. Only then,
 * in one transaction, the invite is used, the authorization recorded with the owner's grant
 * sealed, and audited. A refusal stores nothing.
 */
export async function completeAcceptSignIn(d: AcceptDeps, query: Record<string, unknown>): Promise<InviteAccepted> {
  const state = typeof query.state === 'string' ? query.state : '';
  if (!/^[A-Za-z0-9_-]{43}$/.test(state)) throw signInAgain();
  const { invite, tenant } = await usable(d.store, await findInviteByStateHash(d.store, stateHash(state)), d.now);
  if (!invite.accept_nonce || !invite.accept_verifier_sealed) throw signInAgain();
  if (typeof query.error === 'string') {
    // Where users may not consent and no administrator approved the app, Entra answers
    // `consent_required` (AADSTS65001; OpenID Connect Core 1.0 §3.1.2.6): signing in again
    // cannot help, an administrator must approve the app first.
    const description = typeof query.error_description === 'string' ? query.error_description : '';
    if (query.error === 'consent_required' || /^AADSTS(65001|90094)\b/.test(description)) {
      throw new ApiError(403, 'AdminApprovalRequired', 'Your organisation requires an administrator to approve this app before you can sign in.');
    }
    throw new ApiError(400, 'SignInCancelled', 'The Microsoft sign-in was cancelled or refused. Open the invitation link again to retry.');
  }
  if (typeof query.code !== 'string' || query.code.length === 0 || query.code.length > 4096) {
    throw new ApiError(400, 'InvalidCallback', 'The Microsoft sign-in answer is incomplete. Open the invitation link again.');
  }
  const nonce = invite.accept_nonce;
  let verifier: string;
  try {
    verifier = d.integration.box.open(invite.accept_verifier_sealed, verifierContext(invite.id, nonce));
  } catch {
    throw signInAgain();
  }
  const entraTenantId = tenant.entra_tenant_id!;
  let redeemed;
  let who: EntraIdentity;
  try {
    redeemed = await d.integration.microsoft.grants.redeem({ entraTenantId, code: query.code, codeVerifier: verifier, nonce, redirectUri: d.integration.publicUrl + ACCEPT_CALLBACK });
    who = await d.integration.microsoft.idTokens.verify(redeemed.idToken, { tenantId: entraTenantId, nonce });
  } catch (err) {
    if (err instanceof CodeRedemptionError && err.errorCode === 'nonce_mismatch') throw signInAgain();
    // invalid_grant: a code of another sign-in, client or verifier, used or expired.
    if (err instanceof CodeRedemptionError) {
      throw new ApiError(400, 'TokenRequestRefused', `Microsoft 365 did not complete the sign-in (${err.errorCode}). Open the invitation link again and sign in.`);
    }
    if (err instanceof IdTokenError) throw new ApiError(401, err.code, err.message);
    throw err;
  }
  if (who.nonce !== nonce) throw signInAgain();
  return authorizeMailbox(d, invite, tenant, who, redeemed.grant);
}

const signInAgain = () => new ApiError(409, 'SignInAgain', 'This sign-in does not belong to the latest opening of this invitation. Open the invitation link again.');

/** The verified account accepts: its mailbox must be the invited one; then one transaction records it all. */
async function authorizeMailbox(d: AcceptDeps, invite: InviteRow, tenant: TenantRow, who: EntraIdentity, grant: string): Promise<InviteAccepted> {
  const entraTenantId = tenant.entra_tenant_id!;
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
      grant_sealed: sealGrant(d.integration.box, invite.tenant_id, mailboxId, grant),
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
          after: { mailboxAddress: primary, account: who.username, inviteId: invite.id, invitedEmail: invite.email, otherMailbox: !matches, delegatedGrant: true },
        },
      ],
      d.now,
    );
    await settleAcceptedLink(tx, invite, { id: mailboxId, address: primary }, d.requestId, d.now);
  });
  return { mailboxAddress: primary, displayName, account: who.username };
}
