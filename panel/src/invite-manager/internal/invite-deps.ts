import type { InviteClient } from '../../api/api-client.js';
import type { HostDeps } from '../../controls/action-runner.js';
import type { InviteManagerStrings } from '../invite-manager.strings.js';
import type { InviteRow } from './invite-rows.js';

/** What the Token Authentication Manager's controllers take from it. */
export interface InviteDeps<A extends string> extends HostDeps<InviteManagerStrings, A, InviteClient> {
  /** The selected users, in list order. */
  selectedRows: () => InviteRow[];
  /** Forgets the outcome of the previous action (one outcome at a time). */
  clearOutcomes: () => void;
  /** Reads the invites and authorizations again. */
  reload: () => Promise<void>;
}
