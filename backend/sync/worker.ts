import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Store, Tx } from '../db/store.js';
import {
  claimMailboxes,
  fencedWrite,
  LeaseLost,
  recordPassTimes,
  releaseMailboxLease,
  renewMailboxLease,
  type ClaimedMailbox,
  type LeaseKey,
} from './lease.service.js';

/**
 * What a pass gets besides its mailbox: the lease it runs under. Every database write of the pass
 * goes through `write`, which checks the lease in the same transaction (LeaseLost, nothing
 * written, once another worker has taken the mailbox). `signal` aborts when the lease is lost
 * (renewal refused, or not renewed in time): check it before each write to Microsoft 365 or
 * SuperOffice, which no database fence can stop.
 */
export interface Fence extends LeaseKey {
  readonly signal: AbortSignal;
  write<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/** One pass over one mailbox. It schedules its mailbox's next run itself, through `fence.write`. */
export type RunPass = (mailbox: ClaimedMailbox, fence: Fence) => Promise<void>;

/**
 * The seam the synchronization engine plugs into, and the default until it does: this pass
 * synchronizes nothing. It only records, fenced, that a pass ran and when the mailbox is due
 * next, so the worker, its leases and its schedule can run (and be watched) end to end.
 */
export function recordPassOnly(intervalMs: number): RunPass {
  return (_mailbox, fence) => fence.write((tx) => recordPassTimes(tx, fence, intervalMs));
}

export interface WorkerOptions {
  store: Store;
  /** Server Ranks this worker serves. */
  ranks: readonly number[];
  /** How long a claim holds a mailbox unless renewed; renewed every third of it. */
  leaseMs: number;
  /** Passes in flight at once (each on its own mailbox). */
  batchSize: number;
  /** How long to wait before looking again when nothing is due. */
  pollMs: number;
  /** A failed pass's mailbox is due again after this long. */
  retryMs: number;
  runPass: RunPass;
  logger: Logger;
  /** Defaults to host, process id and a random part: unique per worker, readable in the table. */
  owner?: string;
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * A sync worker: claims due mailboxes of its ranks (fenced leases, so any number of workers can
 * share a database and a rank), runs a pass on each while renewing its lease, then releases it.
 * `stop()` claims nothing more, lets the passes in flight finish, releases their leases.
 */
export class SyncWorker {
  readonly owner: string;
  readonly #o: WorkerOptions;
  readonly #inFlight = new Set<Promise<void>>();
  #stopping = false;
  #loop: Promise<void> | null = null;
  #wake: () => void = () => {};

  constructor(options: WorkerOptions) {
    if (options.ranks.length === 0) throw new Error('a worker needs at least one rank');
    this.#o = options;
    this.owner = options.owner ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Resolves once every pass in flight has finished and its lease is released. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake();
    await (this.#loop ?? Promise.resolve());
  }

  async #run(): Promise<void> {
    const o = this.#o;
    while (!this.#stopping) {
      const free = o.batchSize - this.#inFlight.size;
      let claimed: ClaimedMailbox[] = [];
      if (free > 0) {
        const claimedAt = performance.now();
        try {
          claimed = await claimMailboxes(o.store, this.owner, o.ranks, free, o.leaseMs);
        } catch (err) {
          o.logger.error({ err: describe(err) }, 'sync worker: claiming mailboxes failed; trying again');
        }
        for (const mailbox of claimed) {
          // Stopped while claiming: give the mailboxes straight back rather than start their passes.
          this.#track(this.#stopping ? this.#giveBack(mailbox) : this.#work(mailbox, claimedAt));
        }
      }
      // Everything free was filled: wait for a pass to end. Otherwise nothing more is due yet.
      if (this.#stopping) break;
      await this.#sleep(free > 0 && claimed.length === free ? null : o.pollMs);
    }
    await Promise.all(this.#inFlight);
  }

  #track(pass: Promise<void>): void {
    this.#inFlight.add(pass);
    void pass.finally(() => {
      this.#inFlight.delete(pass);
      this.#wake();
    });
  }

  /** Until `ms` passes (null: until woken), a pass ends, or stop() is called. */
  #sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #giveBack(mailbox: ClaimedMailbox): Promise<void> {
    const lease: LeaseKey = { tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId, owner: this.owner, epoch: mailbox.epoch };
    await releaseMailboxLease(this.#o.store, lease, { dueInMs: 0 }).catch((err) =>
      this.#o.logger.error({ err: describe(err), mailboxId: lease.mailboxId }, 'sync worker: releasing a lease failed'),
    );
  }

  async #work(mailbox: ClaimedMailbox, claimedAt: number): Promise<void> {
    const o = this.#o;
    const lease: LeaseKey = { tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId, owner: this.owner, epoch: mailbox.epoch };
    const log = o.logger.child({ tenantId: lease.tenantId, mailboxId: lease.mailboxId, epoch: lease.epoch });
    const lost = new AbortController();
    // By this host's clock, when the lease surely ends unless renewed (the database started it before the claim returned).
    let deadline = claimedAt + o.leaseMs;
    let finished = false;
    let renewing = false;
    const renew = setInterval(() => {
      if (renewing || finished) return;
      renewing = true;
      const startedAt = performance.now();
      renewMailboxLease(o.store, lease, o.leaseMs)
        .then((held) => {
          if (held) deadline = startedAt + o.leaseMs;
          else if (!finished) lost.abort(new LeaseLost(lease));
        })
        .catch((err) => {
          log.warn({ err: describe(err) }, 'sync worker: renewing a lease failed');
          if (performance.now() >= deadline) lost.abort(new LeaseLost(lease));
        })
        .finally(() => (renewing = false));
    }, Math.max(10, Math.floor(o.leaseMs / 3)));
    const fence: Fence = {
      ...lease,
      signal: lost.signal,
      write: (work) => (lost.signal.aborted ? Promise.reject(new LeaseLost(lease)) : fencedWrite(o.store, lease, work)),
    };

    let failure: { error: string; dueInMs: number } | undefined;
    try {
      await o.runPass(mailbox, fence);
    } catch (err) {
      if (err instanceof LeaseLost) {
        log.warn('sync worker: lease lost during a pass; another worker has the mailbox');
      } else {
        log.error({ err: describe(err) }, 'sync worker: pass failed');
        failure = { error: describe(err), dueInMs: o.retryMs };
      }
    } finally {
      finished = true;
      clearInterval(renew);
    }
    if (lost.signal.aborted) return;
    try {
      if (!(await releaseMailboxLease(o.store, lease, failure))) log.warn('sync worker: lease already lost at release');
    } catch (err) {
      // The lease runs out by itself; another worker (or this one) takes the mailbox then.
      log.error({ err: describe(err) }, 'sync worker: releasing a lease failed');
    }
  }
}

/** A worker with the settings of `config` (SYNC_*), started. */
export function startSyncWorker(
  store: Store,
  config: { intervalMs: number; leaseMs: number; batchSize: number; pollMs: number },
  ranks: readonly number[],
  logger: Logger,
  runPass: RunPass = recordPassOnly(config.intervalMs),
): SyncWorker {
  const worker = new SyncWorker({ store, ranks, leaseMs: config.leaseMs, batchSize: config.batchSize, pollMs: config.pollMs, retryMs: config.intervalMs, runPass, logger });
  worker.start();
  return worker;
}
