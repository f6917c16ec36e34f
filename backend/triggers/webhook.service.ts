import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Store } from '../db/store.js';
import type { Integration } from '../integration.js';
import { SuperOfficeWebApi, webApiDeps } from '../superoffice/webapi.client.js';
import { syncCredential } from '../sync/diary/connections.js';
import { SUPEROFFICE_WEBHOOK_PATH } from './subscription.service.js';
import { findWebhook, saveWebhook, tenantsWithLinks } from './trigger.repository.js';

/** What our webhook listens to: appointments (activities) and persons (docs: webhook events; no `appointment.*` exists). */
export const WEBHOOK_EVENTS = ['activity.created', 'activity.changed', 'activity.deleted', 'person.created', 'person.changed', 'person.deleted'];
const WebhookEntity = z.object({ WebhookId: z.number().int(), State: z.string().optional() });

export interface WebhookDeps {
  store: Store;
  integration: Integration;
  baseUrl: string;
  now: () => Date;
  logger: Logger;
}

/** The context the secret is sealed under: a sealed secret copied to another tenant's row does not open. */
export const webhookSecretContext = (tenantId: string) => `superoffice-webhook:${tenantId}`;

/**
 * Keeps one SuperOffice webhook per tenant with links, as the sync's SuperOffice identity (the
 * tenant's most recent administrator's stored sign-in): registered with a fresh random secret
 * (sealed at rest; SuperOffice signs each call with it), set Active again after SuperOffice
 * stopped it for TooManyErrors, and registered anew when it is gone. Returns how many it
 * registered or reactivated; a failure is logged, the sync polls on.
 */
export async function reconcileWebhooks(deps: WebhookDeps): Promise<{ registered: number; reactivated: number; failed: number }> {
  const out = { registered: 0, reactivated: 0, failed: 0 };
  for (const tenantId of await tenantsWithLinks(deps.store)) {
    try {
      const credential = await syncCredential({ store: deps.store, integration: deps.integration, now: deps.now }, tenantId, deps.integration.box);
      const api = SuperOfficeWebApi.withCredential(webApiDeps({ store: deps.store, now: deps.now, integration: deps.integration }), credential);
      const row = await findWebhook(deps.store, tenantId);
      if (row) {
        const current = await api.send('GET', `Webhook/${row.webhook_id}`, WebhookEntity, { expect: [404] });
        if (current.body && current.body.State === 'Active') continue;
        if (current.body) {
          await api.send('PUT', `Webhook/${row.webhook_id}`, WebhookEntity, { body: { State: 'Active' } });
          out.reactivated += 1;
          continue;
        }
      }
      const secret = randomBytes(32).toString('base64url');
      const targetUrl = `${deps.baseUrl}${SUPEROFFICE_WEBHOOK_PATH}/${encodeURIComponent(tenantId)}`;
      const created = await api.send('POST', 'Webhook', WebhookEntity, {
        body: { Name: 'Mailbox link sync', Events: WEBHOOK_EVENTS, TargetUrl: targetUrl, Secret: secret, State: 'Active', Type: 'webhook' },
      });
      await deps.store.transaction((tx) =>
        saveWebhook(tx, { tenantId, webhookId: created.body!.WebhookId, secretSealed: deps.integration.box.seal(secret, webhookSecretContext(tenantId)), targetUrl }, deps.now()),
      );
      out.registered += 1;
    } catch (err) {
      out.failed += 1;
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err), tenantId }, 'SuperOffice webhook: registering failed; the sync polls on');
    }
  }
  return out;
}
