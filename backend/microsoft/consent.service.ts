import { randomBytes } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { consumeLoginState, createLoginState } from '../auth/login-state.repository.js';
import type { Store } from '../db/store.js';
import { CONSENT_CALLBACK, MICROSOFT_SIGNIN_CALLBACK } from '../http/paths.js';
import type { Integration, MicrosoftIntegration } from '../integration.js';
import { pkcePair, SignInError } from '../superoffice/oidc.js';
import { findTenantConsent, recordConsent } from '../tenants/tenant.repository.js';
import { CodeRedemptionError, GRAPH_SCOPE } from './app-token.js';
import { IdTokenError, type EntraIdentity } from './id-token.js';

/** What the administrator's sign-in asks for: who they are and which organisation, nothing more. */
const SIGNIN_SCOPES = ['openid', 'profile'];

const expired = () => new SignInError('InvalidState', 'This approval has expired or was already used. Start it again from the panel.');

function authorityOrigin(integration: MicrosoftIntegration): string {
  return new URL(integration.microsoft.settings.authorityUrl).origin;
}

/**
 * Admin consent (application mode), step 1 of 3: the Microsoft 365 administrator signs in with
 * OpenID Connect at `organizations` (authorization code + PKCE, state and nonce kept in a
 * login_state row), so we learn from a verified id token which organisation they belong to.
 * Microsoft's admin-consent page warns that its callback's `tenant` can be edited by whoever holds
 * the browser; the verified `tid` is what the consent is later checked against.
 */
export async function adminConsentUrl(store: Store, integration: MicrosoftIntegration, actor: Actor, now: Date): Promise<string> {
  const nonce = randomBytes(16).toString('base64url');
  const { verifier, challenge } = pkcePair();
  const state = await createLoginState(
    store,
    integration.box,
    { purpose: 'microsoft_signin', tenantId: actor.tenantId, nonce, verifier, actor: { associateId: actor.associateId, name: actor.associateName } },
    now,
  );
  const url = new URL(`${authorityOrigin(integration)}/organizations/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: integration.microsoft.settings.clientId,
    response_type: 'code',
    redirect_uri: integration.publicUrl + MICROSOFT_SIGNIN_CALLBACK,
    response_mode: 'query',
    scope: SIGNIN_SCOPES.join(' '),
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    // The administrator picks the account that administers the organisation, not whichever
    // account the browser happens to be signed in with.
    prompt: 'select_account',
  }).toString();
  return url.toString();
}

/**
 * Step 2, the sign-in callback: the state must be ours and unused; `error` first; the code is
 * redeemed with the PKCE verifier; the id token is verified (signature, issuer of its own
 * organisation, audience, expiry, nonce, `tid`). Then a second state carries the verified
 * administrator to Microsoft's admin-consent page for exactly that organisation.
 */
export async function continueAdminConsent(store: Store, integration: MicrosoftIntegration, query: Record<string, unknown>, now: Date): Promise<string> {
  const state = typeof query.state === 'string' ? query.state : '';
  const pending = await consumeLoginState(store, integration.box, state, 'microsoft_signin', now);
  if (!pending?.tenantId || !pending.actor || !pending.verifier) throw expired();
  if (query.error === 'consent_required') {
    throw new SignInError(
      'SignInRefused',
      'That Microsoft 365 account may not approve apps for its organisation. Start again from the panel and sign in as an administrator of your organisation.',
    );
  }
  if (typeof query.error === 'string') {
    throw new SignInError('SignInCancelled', 'The Microsoft 365 sign-in was cancelled or refused. Start the approval again from the panel.');
  }
  if (typeof query.code !== 'string' || query.code.length === 0) {
    throw new SignInError('InvalidCallback', 'The Microsoft 365 sign-in answer is incomplete. Start the approval again from the panel.');
  }
  let who: EntraIdentity;
  try {
    const idToken = await integration.microsoft.tokens.redeemSignInCode({
      code: query.code,
      codeVerifier: pending.verifier,
      nonce: pending.nonce,
      redirectUri: integration.publicUrl + MICROSOFT_SIGNIN_CALLBACK,
      scopes: SIGNIN_SCOPES,
    });
    who = await integration.microsoft.idTokens.verify(idToken, { tenantId: null, nonce: pending.nonce });
  } catch (err) {
    // MSAL compares the id token's nonce with ours before we see it: the same refusal as ours.
    if (err instanceof CodeRedemptionError && err.errorCode === 'nonce_mismatch') {
      throw new SignInError('InvalidIdToken', 'Your Microsoft sign-in could not be verified (it belongs to another sign-in). Start the approval again from the panel.');
    }
    if (err instanceof CodeRedemptionError) {
      throw new SignInError('TokenRequestRefused', `Microsoft 365 did not complete the sign-in (${err.errorCode}). Start the approval again from the panel.`);
    }
    if (err instanceof IdTokenError) throw new SignInError(err.code, err.message);
    throw err;
  }
  const consentState = await createLoginState(
    store,
    integration.box,
    {
      purpose: 'admin_consent',
      tenantId: pending.tenantId,
      nonce: randomBytes(16).toString('base64url'),
      verifier: null,
      actor: pending.actor,
      approver: { entraTenantId: who.tid, oid: who.oid, name: (who.name ?? who.username).slice(0, 200) },
    },
    now,
  );
  const url = new URL(`${authorityOrigin(integration)}/${who.tid}/v2.0/adminconsent`);
  url.search = new URLSearchParams({
    client_id: integration.microsoft.settings.clientId,
    scope: GRAPH_SCOPE,
    redirect_uri: integration.publicUrl + CONSENT_CALLBACK,
    state: consentState,
  }).toString();
  return url.toString();
}

/**
 * Step 3, the consent callback: `admin_consent=True&tenant=<tid>&state=…`, or an error (which
 * carries `admin_consent=True` too, so `error` is read first). The state must be ours, unused, and
 * carry the administrator step 2 verified; `tenant` must be that administrator's organisation.
 * Then the tenant records the organisation and who approved, audited, in one transaction.
 */
export async function completeAdminConsent(
  store: Store,
  integration: Integration,
  query: Record<string, unknown>,
  requestId: string,
  now: Date,
): Promise<{ tenantId: string; entraTenantId: string }> {
  const state = typeof query.state === 'string' ? query.state : '';
  const pending = await consumeLoginState(store, integration.box, state, 'admin_consent', now);
  if (!pending?.tenantId || !pending.actor || !pending.approver) throw expired();
  if (typeof query.error === 'string') {
    throw new SignInError('ConsentDeclined', 'The Microsoft 365 administrator did not approve the app.');
  }
  if (query.admin_consent !== 'True' || typeof query.tenant !== 'string') {
    throw new SignInError('ConsentIncomplete', 'Microsoft 365 did not confirm the approval.');
  }
  const approver = pending.approver;
  const entraTenantId = approver.entraTenantId.toLowerCase();
  if (query.tenant.toLowerCase() !== entraTenantId) {
    throw new SignInError(
      'ConsentTenantMismatch',
      'The approval came back for a different Microsoft 365 organisation than the administrator who signed in. Nothing was recorded; start it again from the panel.',
    );
  }
  const tenantId = pending.tenantId;
  const actor: Actor = { tenantId, associateId: pending.actor.associateId, associateName: pending.actor.name, requestId };
  await store.transaction(async (tx) => {
    const before = await findTenantConsent(tx, tenantId);
    await recordConsent(tx, tenantId, { entraTenantId, oid: approver.oid, name: approver.name, version: before.version + 1 }, now);
    await appendAudit(
      tx,
      actor,
      [
        {
          action: 'tenant.microsoft_consent',
          entityType: 'tenant',
          entityId: tenantId,
          before: {
            entraTenantId: before.entra_tenant_id,
            approvedBy: before.admin_consent_oid === null ? null : { oid: before.admin_consent_oid, name: before.admin_consent_name },
          },
          after: { entraTenantId, approvedBy: { oid: approver.oid, name: approver.name } },
        },
      ],
      now,
    );
  });
  return { tenantId, entraTenantId };
}
