import type { Logger } from 'pino';
import type { Store, Tx } from '../../db/store.js';
import type { ClaimedMailbox } from '../lease.service.js';
import type { Fence, RunPass } from '../worker.js';
import type { DiaryConnections } from './connections.js';
import type { DomainError } from '../../domain-error.js';
import type { KindPass } from '../kind-pass.js';
import { KIND_PASSES } from '../kinds.js';
import { breakerHolds } from '../decide.js';
import { findPassContext, recordKindOutcomes, recordPassOutcome, type KindOutcome, type PassOutcome } from './item.repository.js';
import { upstreamError, type PassCounts } from './pass-state.js';
import { recordPassLoad } from '../load.repository.js';
import type { GraphUsage } from '../graph-usage.js';

export type { PassCounts } from './pass-state.js';

/*
 * The diary pass: one mailbox's SuperOffice diary ⇄ its Outlook primary calendar, once.
 *
 * 1. Read. A FULL pass when there is no cursor or delta link, the date window moved (it is
 *    computed in days in the tenant's zone, so at least daily), Graph's delta token expired, or
 *    the mailbox has a cursor but no mapping while its last good pass mapped some (the table was
 *    lost; an empty diary is not: `mappingLost`, migration 015): Graph delta from scratch over the window (for the next delta link), ONE `listWindow` sweep with our tag expanded (the
 *    current events, and the tag lookup for everything in the window), and every SuperOffice
 *    appointment of the associate in the window (`changedSince` from the epoch: ids and
 *    updatedDate, which is also the id set). Otherwise INCREMENTAL: `delta(deltaLink)` and
 *    `changedSince(watermark − overlap)`, plus `idsInWindow` at most hourly (hard deletes). An
 *    appointment is fetched (`get`) only when its updatedDate differs from the mapping's; an
 *    idle pass costs one Graph and one SuperOffice request (plus the hourly id set). With the
 *    Task kind on too, that one archive read also brings the checklist's rows (shared-archive.ts).
 * 2. Rebind before anything is created. Full pass: every tagged event of the sweep binds to the
 *    mapping of its SuperOffice id (or becomes one); several events with one tag (a user's copy):
 *    the mapped one, else the oldest, keeps the mapping, the others are the user's new
 *    appointments. Incremental: an unmapped event in the delta is read with its tag (`get`);
 *    a write-ahead intent left by an earlier pass is looked up by its tag (`findByTag`).
 * 3. Changes. Each side is hashed (normalised fields); a side whose hash equals the stored one
 *    (what that side returned after our last write) did not change, however often changeKey or
 *    updatedDate bump. Changed sides go into a three-way merge against the last-synced values
 *    (`base_json`); each field both sides changed is a conflict, decided by the tenant's winner
 *    and recorded. Writes: SuperOffice with If-Unmodified-Since (412: left for the next pass),
 *    Outlook PATCH; then the mapping is committed with the merge as its base and both hashes.
 * 4. Deletes. Gone from SuperOffice (not in the id set, confirmed by get → 404): the event is
 *    deleted only if it carries our tag and has not ended, else the mapping is detached. Gone
 *    from Outlook (`@removed`, or missing from a full pass's sweep, confirmed by get → 404): the
 *    appointment is deleted only if it is ours to delete — in this associate's own diary, not a
 *    booking (mother id 0: no other participant's row depends on it), not completed — else
 *    detached. Still there on the other side of a get: it left the window (its last change
 *    still goes across, then `out_of_window`; never deleted). Circuit breaker: the pass counts its deletes (both directions) before doing
 *    any; more than 20, or at least 3 and more than 10 % of the mailbox's mapped items, or one
 *    side empty while at least 3 mapped items should be in the window: nothing at all is written, the
 *    mailbox is stopped (`breaker`, with what it would have deleted in plain words) until an
 *    administrator releases it; the next pass then carries those deletes out once.
 * 5. Creates, never twice: a write-ahead intent row (`pending`, a fresh `op_id`) is committed
 *    before any create; after the tag lookup of step 2, SuperOffice-born events are created in
 *    `$batch`es of 20 with transactionId = op_id and our tag, then committed. Outlook-born
 *    events: intent → ForeignSystem key lookup → create the appointment (committed at once) →
 *    key → tag the event → committed. A pending Outlook-born intent without a SuperOffice id
 *    (a crash between the create and its commit) first looks for an appointment of the
 *    associate updated since the intent with the same field hash. Outlook-born creates run
 *    first, so a recovered appointment is not taken for a new SuperOffice-born one.
 * SuperOffice's updatedDate has whole seconds: see PassState.stamp.
 * 6. The cursor (delta link, window, watermark, last id-set check) is saved only at the end of a
 *    good pass that left nothing for the next one (a 412): a pass that fails half-way, or leaves
 *    an item, is redone from the same point, so no change it saw is lost, and what it already
 *    did is recognised as our own echo.
 * Scope: series masters never (occurrences and exceptions each map to one appointment; each
 * SuperOffice occurrence row to one event); events are written without attendees.
 */

export interface DiaryPassDeps {
  store: Store;
  /** The mailbox's calendar and the tenant's SuperOffice, as the sync identity (throws DomainErrors). */
  connect(target: { tenantId: string; mailboxId: string }): Promise<DiaryConnections>;
  /** A good pass's mailbox is due again after this long. */
  intervalMs: number;
  /** After an error (SuperOffice or Microsoft 365 unreachable, a refused identity); defaults to intervalMs. */
  retryMs?: number;
  clock?: () => Date;
  logger?: Logger;
  /** The kinds to run (tests); defaults to every kind (kinds.ts). */
  kinds?: readonly KindPass[];
}

/**
 * The mailbox pass as the worker runs it, for every claimed mailbox: each kind the link enables
 * (Diary, then Task, then Contact; see kinds.ts), over one set of connections. A kind stopped by
 * an outside service does not stop the others; the mailbox then ends in that error (or throttled),
 * each message named by its kind when more than one kind runs.
 */
export function diaryPass(deps: DiaryPassDeps): RunPass {
  const clock = deps.clock ?? (() => new Date());
  const kinds = deps.kinds ?? KIND_PASSES;
  return async (mailbox: ClaimedMailbox, fence: Fence) => {
    // The pass's Graph requests and 429s (connections.ts) and the items it wrote, added to its
    // mailbox's hour in the transaction that records how it ended (Server Rank balancing).
    let usage: GraphUsage | undefined;
    const written = { items: 0 };
    const hasLoad = () => usage !== undefined && (usage.requests > 0 || written.items > 0);
    const recordLoad = async (tx: Tx) => {
      if (usage && hasLoad()) {
        await recordPassLoad(tx, mailbox.tenantId, mailbox.mailboxId, { requests: usage.requests, throttled: usage.throttled, items: written.items }, clock());
      }
    };
    const finish = (o: PassOutcome) =>
      fence.write(async (tx) => {
        await recordPassOutcome(tx, fence, o);
        await recordLoad(tx);
      });
    const ctx = await findPassContext(deps.store, mailbox.tenantId, mailbox.mailboxId);
    if (!ctx) return finish({ state: 'in_sync', lastError: null, dueInMs: deps.intervalMs });
    // Stopped by the breaker: nothing happens until an administrator releases it.
    if (breakerHolds(ctx)) return finish({ state: 'breaker', dueInMs: deps.intervalMs });
    const enabled = kinds.filter((k) => k.enabled(ctx));
    // Every kind off: nothing read or written, the mapping kept.
    if (enabled.length === 0) return finish({ state: 'in_sync', lastError: null, dueInMs: deps.intervalMs });

    const failed: { kind: KindPass; err: DomainError }[] = [];
    const total: PassCounts = { created: 0, updated: 0, deleted: 0, conflicts: 0 };
    // Each kind's own outcome, written with the mailbox's (the status per kind an administrator reads).
    const outcomes: KindOutcome[] = [];
    const failedKind = (kind: KindPass, err: DomainError): KindOutcome => ({ kind: kind.kind, state: err.kind === 'throttled' ? 'throttled' : 'error', lastError: err.message });
    // A kind's message is named by its kind ("Task: …") when several kinds ran, each on its own.
    let named = enabled.length > 1;
    try {
      const connections = await deps.connect({ tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId });
      usage = connections.usage;
      // Shared reads announced first (the Diary and Task kinds read the appointment archive once between them).
      for (const kind of enabled) await kind.prepare?.({ store: deps.store, fence, ctx, connections, clock });
      for (const kind of enabled) {
        try {
          const counts = await kind.run({ store: deps.store, fence, ctx, connections, clock });
          if (counts === 'breaker') {
            // The kind recorded the breaker with the mailbox; the kinds before it keep their outcome.
            if (outcomes.length > 0 || hasLoad()) {
              await fence.write(async (tx) => {
                if (outcomes.length > 0) await recordKindOutcomes(tx, fence, outcomes);
                await recordLoad(tx);
              });
            }
            return;
          }
          for (const key of Object.keys(total) as (keyof PassCounts)[]) total[key] += counts[key];
          written.items += counts.created + counts.updated + counts.deleted;
          outcomes.push({ kind: kind.kind, state: 'in_sync', lastError: null, success: counts });
        } catch (thrown) {
          const err = upstreamError(thrown);
          failed.push({ kind, err });
          outcomes.push(failedKind(kind, err));
        }
      }
    } catch (thrown) {
      // No connections: every enabled kind stopped for the same reason (said once for the mailbox).
      const err = upstreamError(thrown);
      failed.push({ kind: enabled[0]!, err });
      for (const kind of enabled) outcomes.push(failedKind(kind, err));
      named = false;
    }
    // OAuth mode without a working grant of the owner (connections.ts): waiting, nothing touched.
    const waiting = failed.find(({ err }) => err.code === 'SyncWaitingAuthorization');
    if (waiting) return finish({ state: 'waiting_authorization', lastError: waiting.err.message, dueInMs: deps.intervalMs });
    if (failed.length > 0) {
      for (const { kind, err } of failed) {
        deps.logger?.warn({ tenantId: mailbox.tenantId, mailboxId: mailbox.mailboxId, kind: kind.kind, code: err.code }, 'sync pass: stopped by an outside service');
      }
      const message = failed.map(({ kind, err }) => (named ? `${kind.label}: ${err.message}` : err.message)).join(' ');
      const throttled = failed.filter(({ err }) => err.kind === 'throttled');
      if (throttled.length > 0) {
        const seconds = Math.max(...throttled.map(({ err }) => err.retryAfterSeconds ?? 60));
        return finish({ state: 'throttled', lastError: message, dueInMs: seconds * 1000, kinds: outcomes });
      }
      return finish({ state: 'error', lastError: message, dueInMs: deps.retryMs ?? deps.intervalMs, kinds: outcomes });
    }
    await finish({
      state: 'in_sync',
      lastError: null,
      dueInMs: deps.intervalMs,
      success: total,
      kinds: outcomes,
      ...(ctx.breakerReleasedAt !== null ? { breakerDetail: null, clearBreakerRelease: true } : {}),
    });
  };
}
