import pLimit, { type LimitFunction } from 'p-limit';
import { DomainError } from '../domain-error.js';

/**
 * Outlook's limits per app and mailbox (learn.microsoft.com/graph/throttling-limits, "Outlook
 * service limits"): 10,000 requests per 10 minutes and 4 concurrent requests. We stay below both
 * on our side, so a mailbox is never throttled by our own bursts:
 * - at most 4 requests in flight;
 * - a sliding 10-minute budget (default 5,000, half of Outlook's, leaving room for other apps'
 *   writes and our retries); a request that would exceed it fails at once with MicrosoftThrottled
 *   and retryAfterSeconds, so the worker reschedules the mailbox instead of sleeping for minutes;
 * - after Graph answered 429/503 with Retry-After, the mailbox's next requests wait that long when
 *   it is short, or fail throttled when it is long.
 * A `$batch` counts as its inner requests for the budget (each is throttled individually,
 * learn.microsoft.com/graph/json-batching "Throttling and batching") and, since Graph runs up to 4
 * of a batch's Outlook items at once, it takes all 4 slots while it is in flight.
 */
export interface LimiterOptions {
  concurrency: number;
  budget: number;
  windowSeconds: number;
  /** Retry-After waits up to this long are slept through; longer ones fail throttled. */
  maxWaitSeconds: number;
  now: () => number;
}

export const DEFAULT_LIMITS: LimiterOptions = { concurrency: 4, budget: 5000, windowSeconds: 600, maxWaitSeconds: 30, now: Date.now };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function mailboxThrottled(retryAfterSeconds: number): DomainError {
  const e = new DomainError('throttled', 'MicrosoftThrottled', 'Microsoft 365 is throttling requests for this mailbox. The sync tries again later.');
  e.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return e;
}

export class MailboxLimiter {
  private readonly slots: LimitFunction;
  /** One whole-mailbox (batch) acquisition at a time, so two batches never deadlock holding some slots each. */
  private readonly exclusiveGate = pLimit(1);
  /** Requests taken from the budget: when, and how many. */
  private readonly used: { at: number; n: number }[] = [];
  private pausedUntil = 0;

  constructor(private readonly o: LimiterOptions = DEFAULT_LIMITS) {
    this.slots = pLimit(o.concurrency);
  }

  /** Requests in flight now. */
  get active(): number {
    return this.slots.activeCount;
  }

  /**
   * Runs one request (`cost` 1) or one `$batch` (`cost` = its items; it then takes every slot)
   * within the limits. Throws MicrosoftThrottled instead of waiting long.
   */
  async run<T>(fn: () => Promise<T>, cost = 1): Promise<T> {
    await this.waitOutPause();
    this.take(cost);
    if (cost === 1) return this.slots(async () => {
      await this.waitOutPause();
      return fn();
    });
    return this.exclusiveGate(() => this.whole(fn));
  }

  /** Graph asked us to wait (Retry-After on a 429/503): the mailbox's next requests do. */
  pause(seconds: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.o.now() + seconds * 1000);
  }

  private async waitOutPause(): Promise<void> {
    const waitMs = this.pausedUntil - this.o.now();
    if (waitMs <= 0) return;
    if (waitMs > this.o.maxWaitSeconds * 1000) throw mailboxThrottled(waitMs / 1000);
    await sleep(waitMs);
  }

  private take(cost: number): void {
    const now = this.o.now();
    const windowMs = this.o.windowSeconds * 1000;
    while (this.used.length > 0 && this.used[0]!.at <= now - windowMs) this.used.shift();
    let total = this.used.reduce((sum, u) => sum + u.n, 0);
    if (total + cost > this.o.budget) {
      // When enough of the oldest requests leave the window.
      let freeAt = now;
      for (const u of this.used) {
        if (total + cost <= this.o.budget) break;
        total -= u.n;
        freeAt = u.at + windowMs;
      }
      throw mailboxThrottled((freeAt - now) / 1000);
    }
    this.used.push({ at: now, n: cost });
  }

  /** Holds all slots while `fn` runs. */
  private whole<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let held = 0;
      let release!: () => void;
      const done = new Promise<void>((r) => (release = r));
      for (let i = 0; i < this.o.concurrency; i++) {
        void this.slots(async () => {
          if (++held === this.o.concurrency) {
            try {
              await this.waitOutPause();
              resolve(await fn());
            } catch (err) {
              reject(err);
            } finally {
              release();
            }
          }
          await done;
        });
      }
    });
  }
}

const limiters = new Map<string, MailboxLimiter>();

/** The process-wide limiter of one mailbox, shared by every pass that talks to it. */
export function mailboxLimiter(entraTenantId: string, mailboxId: string): MailboxLimiter {
  const key = `${entraTenantId.toLowerCase()}|${mailboxId.toLowerCase()}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    limiter = new MailboxLimiter();
    limiters.set(key, limiter);
  }
  return limiter;
}
