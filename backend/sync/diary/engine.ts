import type { Logger } from 'pino';
import type { Store } from '../../db/store.js';
import type { Integration } from '../../integration.js';
import type { RunPass } from '../worker.js';
import { openDiaryConnections } from './connections.js';
import { diaryPass } from './pass.js';

/**
 * The pass workers run: the diary pass over the configured SuperOffice and Microsoft 365
 * connections (a missing configuration is the mailbox's error, in plain words, at each pass).
 */
export function diarySync(store: Store, integration: Integration | null, intervalMs: number, logger: Logger): RunPass {
  return diaryPass({ store, connect: (target) => openDiaryConnections({ store, integration, now: () => new Date() }, target), intervalMs, logger });
}
