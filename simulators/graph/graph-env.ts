import type { DemoMailbox, DemoTenant } from '../demo-tenant.types.js';
import type { Principal } from './auth.js';
import type { CalendarStore } from './calendar-store.js';
import type { ContactStore } from './contact-store.js';
import type { SentMail } from './graph.types.js';
import type { SubscriptionStore } from './subscriptions.js';
import type { TodoStore } from './todo-store.js';

/** Graph's full JSON media type, as it labels responses. */
export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** One tenant's users, indexed by object id and by UPN (Graph accepts either in `/users/{id}`). */
export class TenantIndex {
  private readonly byId = new Map<string, DemoMailbox>();
  private readonly byUpn = new Map<string, DemoMailbox>();
  /** Filtered/sorted lists by query fingerprint, so paging a filter doesn't re-filter 50,000 users per page. */
  private readonly resultCache = new Map<string, DemoMailbox[]>();

  constructor(readonly tenant: DemoTenant) {
    for (const m of tenant.mailboxes) {
      this.byId.set(m.id.toLowerCase(), m);
      this.byUpn.set(m.userPrincipalName.toLowerCase(), m);
    }
  }

  find(idOrUpn: string): DemoMailbox | undefined {
    const key = idOrUpn.toLowerCase();
    return this.byId.get(key) ?? this.byUpn.get(key);
  }

  cachedResult(fingerprint: string, compute: () => DemoMailbox[]): DemoMailbox[] {
    let list = this.resultCache.get(fingerprint);
    if (!list) {
      list = compute();
      if (this.resultCache.size >= 32) this.resultCache.delete(this.resultCache.keys().next().value!);
      this.resultCache.set(fingerprint, list);
    }
    return list;
  }
}

export interface GraphEnv {
  /** Set once the server listens. */
  baseUrl: string;
  directories: ReadonlyMap<string, TenantIndex>;
  sentMail: SentMail[];
  /** Primary calendars of every mailbox, and the simulator's clock. */
  calendar: CalendarStore;
  /** Change-notification subscriptions and their deliveries (subscriptions.ts). */
  subscriptions: SubscriptionStore;
  /** Contacts and contact folders of every mailbox (on the calendar's clock). */
  contacts: ContactStore;
  /** Every mailbox's To Do lists and tasks (on the calendar's clock). */
  todo: TodoStore;
}

/** The directory a verified caller sees: the one its token's `tid` names. */
export function directoryOf(env: GraphEnv, principal: Principal): TenantIndex {
  return env.directories.get(principal.tenantId)!;
}

/** A guest or a user without an Exchange Online licence has no mailbox here. */
export function hasMailbox(m: DemoMailbox): boolean {
  return m.userPurpose !== null && m.userType === 'Member';
}
