import { randomBytes } from 'node:crypto';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { consumeLoginState, createLoginState } from '../auth/login-state.repository.js';
import type { Store } from '../db/store.js';
import { CONSENT_CALLBACK, type Integration } from '../integration.js';
import { SignInError } from '../superoffice/oidc.js';
import { GRAPH_SCOPE } from './app-token.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Microsoft admin consent URL (application mode): a Microsoft 365 administrator approves the
 * app's application permissions for their whole organisation, in a popup.
 */
export async function adminConsentUrl(store: Store, integration: Integration, actor: Actor, now: Date): Promise<string> {
  const ms = integration.microsoft;
  if (!ms) throw new SignInError('MicrosoftNotConfigured', 'Microsoft 365 is not configured on this server.');
  const state = await createLoginState(
    store,
    integration.box,
    {
      purpose: 'admin_consent',
      tenantId: actor.tenantId,
      nonce: randomBytes(16).toString('base64url'),
      verifier: null,
      actor: { associateId: actor.associateId, name: actor.associateName },
    },
    now,
  );
  const url = new URL(`${new URL(ms.settings.authorityUrl).origin}/organizations/v2.0/adminconsent`);
  url.search = new URLSearchParams({
    client_id: ms.settings.clientId,
    scope: GRAPH_SCOPE,
    redirect_uri: integration.publicUrl + CONSENT_CALLBACK,
    state,
  }).toString();
  return url.toString();
}

/**
 * The consent redirect: `admin_consent=True&tenant=<tid>&state=…`, or `error=…`. The state must be
 * ours, unused, and started by an administrator; then the tenant records its Microsoft 365
 * organisation and the consent, audited, in one transaction.
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
  if (!pending?.tenantId || !pending.actor) {
    throw new SignInError('InvalidState', 'This approval has expired or was already used. Start it again from the panel.');
  }
  if (typeof query.error === 'string') {
    throw new SignInError('ConsentDeclined', 'The Microsoft 365 administrator did not approve the app.');
  }
  const tid = query.tenant;
  if (query.admin_consent !== 'True' || typeof tid !== 'string' || !GUID.test(tid)) {
    throw new SignInError('ConsentIncomplete', 'Microsoft 365 did not confirm the approval.');
  }
  const tenantId = pending.tenantId;
  const actor: Actor = { tenantId, associateId: pending.actor.associateId, associateName: pending.actor.name, requestId };
  await store.transaction(async (tx) => {
    const before = await tx.db.selectFrom('tenant').select(['entra_tenant_id', 'admin_consent_at', 'version']).where('id', '=', tenantId).executeTakeFirstOrThrow();
    await tx.db
      .updateTable('tenant')
      .set({
        entra_tenant_id: tid.toLowerCase(),
        admin_consent_at: tx.dialect.time(now),
        version: before.version + 1,
        updated_at: tx.dialect.time(now),
      })
      .where('id', '=', tenantId)
      .execute();
    await appendAudit(
      tx,
      actor,
      [
        {
          action: 'tenant.microsoft_consent',
          entityType: 'tenant',
          entityId: tenantId,
          before: { entraTenantId: before.entra_tenant_id },
          after: { entraTenantId: tid.toLowerCase() },
        },
      ],
      now,
    );
  });
  return { tenantId, entraTenantId: tid.toLowerCase() };
}
