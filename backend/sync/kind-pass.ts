import type { SyncItemKind } from '../db/database.js';
import type { Store } from '../db/store.js';
import type { DiaryConnections } from './diary/connections.js';
import type { PassContext } from './diary/item.repository.js';
import type { PassCounts } from './diary/pass-state.js';
import type { Fence } from './worker.js';

/**
 * One kind of item a mailbox synchronizes (Diary, Task, Contact) as the mailbox pass runs it:
 * `run` does one pass of that kind over the mailbox's connections and returns its counts, or
 * 'breaker' when it stopped the mailbox (it has recorded that itself). It throws a DomainError
 * when an outside service refuses or cannot be reached; the other kinds still run.
 */
export interface KindPass {
  kind: SyncItemKind;
  /** How an administrator names it: 'Diary', 'Task', 'Contact'. */
  label: string;
  enabled(ctx: PassContext): boolean;
  run(input: KindPassInput): Promise<PassCounts | 'breaker'>;
  /**
   * Before any kind of the pass runs: announce the reads this kind's pass will make that another
   * kind may share (the appointment archive, DiaryConnections.appointments). Reads only the
   * kind's own cursor; a wrong guess costs a request, never a row.
   */
  prepare?(input: KindPassInput): Promise<void>;
}

export interface KindPassInput {
  store: Store;
  fence: Fence;
  ctx: PassContext;
  connections: DiaryConnections;
  clock: () => Date;
}
