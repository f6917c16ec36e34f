import type { Logger } from 'pino';
import type { Store } from '../db/store.js';
import type { Integration, MicrosoftIntegration } from '../integration.js';
import { reconcileSubscriptions } from './subscription.service.js';
import { reconcileWebhooks } from './webhook.service.js';

/** A sweep a minute: a new link gets its subscription within a minute; a sweep with nothing to do reads the database only (and one SuperOffice GET per tenant). */
export const SWEEP_MS = 60_000;

/**
 * Keeps the near-real-time triggers in line with the links: Graph subscriptions (created,
 * renewed a day before expiry, deleted on unlink) and each tenant's SuperOffice webhook. It runs
 * in the backend process, not in the sync workers: the backend is what Graph and SuperOffice
 * call (the endpoints, the validation request that must be answered while the subscription is
 * being created, the lifecycle events that renew), it knows its public URL, and workers may run
 * on hosts nobody can reach. Several backend instances sweeping at once may each create a
 * subscription for a new mailbox; the row kept is the last one saved, and the other is dropped
 * by Graph at its expiry (its notifications are ignored: its clientState is not ours any more).
 */
export class TriggerManager {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(
    private readonly o: { store: Store; integration: Integration; baseUrl: string; logger: Logger; now?: () => Date; sweepMs?: number },
  ) {}

  start(): void {
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.sweep().finally(() => {
        this.#running = null;
        this.#schedule(this.o.sweepMs ?? SWEEP_MS);
      });
    }, ms);
    this.#timer.unref();
  }

  async sweep(): Promise<void> {
    const { store, integration, baseUrl, logger } = this.o;
    const now = this.o.now ?? (() => new Date());
    try {
      if (integration.microsoft) {
        const subs = await reconcileSubscriptions({ store, integration: integration as MicrosoftIntegration, baseUrl, now, logger });
        if (subs.created + subs.renewed + subs.deleted + subs.failed > 0) logger.info(subs, 'change notifications: subscriptions swept');
      }
      if (integration.superoffice || integration.superofficeOnsite) {
        const hooks = await reconcileWebhooks({ store, integration, baseUrl, now, logger });
        if (hooks.registered + hooks.reactivated + hooks.failed > 0) logger.info(hooks, 'SuperOffice webhooks swept');
      }
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'triggers: the sweep failed; the sync polls on');
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
