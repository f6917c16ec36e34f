import { dirname } from 'node:path';
import pino from 'pino';
import type { SyncItemRow, SyncMailboxRow } from '../../../../backend/db/database.js';
import { migrateToLatest } from '../../../../backend/db/migrate.js';
import { openStore } from '../../../../backend/db/store.js';
import { SaveLinksBody } from '../../../../backend/links/link.schemas.js';
import { removeLinks, saveAddedLinks, saveLinkOptions } from '../../../../backend/links/link.service.js';
import { openDiaryConnections } from '../../../../backend/sync/diary/connections.js';
import { releaseBreaker } from '../../../../backend/sync-admin/sync-admin.service.js';
import { diaryPass, type DiaryPassDeps } from '../../../../backend/sync/diary/pass.js';
import { claimMailboxes, fencedWrite, releaseMailboxLease } from '../../../../backend/sync/lease.service.js';
import { SyncWorker, type Fence, type RunPass } from '../../../../backend/sync/worker.js';
import { recordConsent } from '../../../../backend/tenants/tenant.repository.js';
import type { EventFields, StoredEvent } from '../../../../simulators/graph/calendar-store.js';
import { defaultFields } from '../../../../simulators/graph/event-shape.js';
import type { GraphRequestCounts } from '../../../../simulators/graph/graph.types.js';
import type { RequestCounts } from '../../../../simulators/request-counts.js';
import type { StoredAppointment } from '../../../../simulators/superoffice/appointment.store.js';
import type { ContactFields, StoredContact } from '../../../../simulators/graph/contact-store.js';
import { defaultContactFields } from '../../../../simulators/graph/contact-store.js';
import type { PersonFields, StoredPerson } from '../../../../simulators/superoffice/person.store.js';
import { makeIntegrationHarness, type IntegrationHarness } from '../../../helpers/integration.js';
import { syncProcessEnv } from '../../../helpers/sync-process.js';

/**
 * The diary sync's test world, over real HTTP: the SuperOffice, Entra ID and Graph simulators
 * with empty diaries and calendars, a store with the tenant (Microsoft 365 admin consent given
 * for the app's permissions, Calendars.ReadWrite among them), an administrator's SuperOffice
 * sign-in stored and audited (the sync's SuperOffice identity), and `users` linked associates ↔
 * mailboxes, each on its own Server Rank so one pass can be run for exactly one mailbox. Tests
 * act as the users (edit the diary or the calendar through the simulators' control levers, as a
 * person in the CRM client or Outlook would), run passes, and read what each side and each
 * request counter saw.
 *
 *   const w = await makeWorld({ users: 2 });
 *   const kari = w.fresh();
 *   w.so.create(kari, { title: 'Review', start: at(1, 9), end: at(1, 10) });
 *   await w.pass(kari);                       // one pass, as a worker runs it
 *   w.outlook.events(kari)                    // the event, tagged
 *   costOf(w.counts())                        // what it cost (counting.ts); w.resetCounts() first
 *   await w.close();
 *
 * Variations: `w.pass(user, runPass)` runs another pass (e.g. diaryPass over a fault-injecting
 * store: `diaryPass({ ...w.deps, store })`); `w.worker(ranks)` runs an in-process worker;
 * `makeWorld({ databaseFile })` puts the store on a SQLite file and `w.workerEnv()` gives the
 * environment for `node dist/scripts/sync.js` against this world (see worker.test.ts); the
 * simulators' own faults are on `w.h.env.graph.control` and `w.h.env.superoffice.control`.
 */

export interface WorldUser {
  associateId: number;
  mailboxId: string;
  rank: number;
  linkId: string;
}

export interface AppointmentSpec {
  title: string;
  /** UTC instants (ISO); all-day: midnight instants in the tenant's zone. */
  start: string;
  end: string;
  description?: string;
  location?: string;
  allDay?: boolean;
  free?: boolean;
  private?: boolean;
  /** Other associates invited: a booking (one row per participant). */
  invitees?: number[];
}

export interface PassResult {
  mailbox: SyncMailboxRow;
  items: SyncItemRow[];
}

export interface World {
  h: IntegrationHarness;
  tenantId: string;
  users: WorldUser[];
  /** The next user no test has used yet: each test works its own mailbox. */
  fresh(): WorldUser;
  /** What the pass is built from (connections to the simulators, the store, a short interval). */
  deps: DiaryPassDeps;
  /** Runs one pass for the user's mailbox, as a worker would (claim with a fenced lease, pass, release). */
  pass(user: WorldUser, runPass?: RunPass): Promise<PassResult>;
  /**
   * The environment for a worker process (`node dist/scripts/sync.js`) against this world: its
   * SQLite file (only with `databaseFile`), the simulators, the app's credentials and token key.
   */
  workerEnv(): Record<string, string>;
  /** A worker for the given ranks running the diary pass (started; stop it yourself). */
  worker(ranks: readonly number[], options?: { batchSize?: number; pollMs?: number; owner?: string }): SyncWorker;
  so: {
    create(user: WorldUser, a: AppointmentSpec): StoredAppointment;
    edit(id: number, patch: Record<string, unknown>): StoredAppointment;
    delete(id: number): void;
    /** The user's own diary rows (bookings: their row only). */
    list(user: WorldUser): StoredAppointment[];
  };
  outlook: {
    create(user: WorldUser, e: Partial<EventFields> & { subject: string }): StoredEvent;
    edit(user: WorldUser, id: string, fields: Partial<EventFields>): StoredEvent;
    delete(user: WorldUser, id: string): void;
    /** Every event in the user's primary calendar, series as stored (masters with their pattern). */
    events(user: WorldUser): StoredEvent[];
    /** The user copies the event in Outlook: the copy carries the same tag. */
    copy(user: WorldUser, id: string): StoredEvent;
    /** A meeting someone outside organizes lands in the user's calendar (an invitation they received). */
    receive(user: WorldUser, e: Partial<EventFields> & { subject: string }, organizer?: { name: string; address: string }): StoredEvent;
    /** Its organizer cancels a meeting the user received: it stays in their calendar, cancelled. */
    cancelByOrganizer(user: WorldUser, id: string): StoredEvent;
  };
  /** SuperOffice persons, as CRM users change them (each save a second after the last: whole-second updatedDate). */
  persons: {
    /** A person whose "our contact" is `user`'s associate, unless `fields.associateId` says otherwise. */
    create(user: WorldUser, fields: Partial<PersonFields>): StoredPerson;
    edit(id: number, patch: Partial<PersonFields>): StoredPerson;
    setOurContact(id: number, associateId: number): StoredPerson;
    delete(id: number): void;
  };
  /** The mailbox's contacts as Outlook holds them. */
  contacts: {
    /** Our folder ("SuperOffice") and its contacts; null when there is no such folder. */
    folder(user: WorldUser): { id: string; contacts: StoredContact[] } | null;
    /** The user's own contacts (the default Contacts folder). */
    own(user: WorldUser): StoredContact[];
    /** The user adds a contact of their own to the default folder. */
    addOwn(user: WorldUser, fields: Partial<ContactFields>): StoredContact;
    /** The user edits or deletes a contact (any folder). */
    edit(user: WorldUser, id: string, fields: Partial<ContactFields>): StoredContact;
    delete(user: WorldUser, id: string): void;
  };
  /** Requests each simulator has counted since the last `resetCounts()`. */
  counts(): { graph: GraphRequestCounts; superoffice: RequestCounts };
  resetCounts(): void;
  items(user: WorldUser): Promise<SyncItemRow[]>;
  mailbox(user: WorldUser): Promise<SyncMailboxRow>;
  /** Changes the tenant's sync settings directly (the settings API is another part). */
  setTenant(settings: { pastDays?: number; futureDays?: number; winner?: 'superoffice' | 'outlook'; mode?: 'application' | 'oauth' }): Promise<void>;
  /** Sets Diary/Task/Contact as the panel's Save does. */
  setOptions(user: WorldUser, options: { diary: boolean; task: boolean; contact: boolean }): Promise<void>;
  /** Resume for a user the circuit breaker stopped, as the administrator's Resume does. */
  releaseBreaker(user: WorldUser): Promise<void>;
  /** Remove Selected Users (link, history, the sync's mapping and cursor), then Add Users again (same rank). */
  removeAndReadd(user: WorldUser): Promise<void>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });
const PUBLIC_URL = 'http://localhost:3999';

/** The first `users` active associates (the administrator signs in and is not one of them unless asked) paired with user mailboxes. */
export async function makeWorld(options: { users?: number; intervalMs?: number; databaseFile?: string; diary?: boolean; task?: boolean } = {}): Promise<World> {
  const file = options.databaseFile;
  const store = file ? openStore(`sqlite:${file}`) : undefined;
  if (store) await migrateToLatest(store);
  const h = await makeIntegrationHarness({ consentGranted: true, calendars: 'empty', store });
  const env = h.env;
  const tenantId = env.tenant.contextId;
  // An administrator signs in (their SuperOffice sign-in is stored: the sync's identity) and consents.
  const admin = env.tenant.associates.find((a) => a.functionRights.includes('admin-all'))!;
  const signedIn = await h.signIn(admin.associateId);
  if (!signedIn.message.token) throw new Error(`the administrator's sign-in failed: ${JSON.stringify(signedIn.message)}`);
  const tenantRow = await h.store.db.selectFrom('tenant').select('version').where('id', '=', tenantId).executeTakeFirstOrThrow();
  await recordConsent(h.store, tenantId, { entraTenantId: env.tenant.entraTenantId, oid: 'world-admin', name: admin.fullName, version: tenantRow.version + 1 }, new Date());

  const associates = env.tenant.associates.filter((a) => a.isActive && a.associateId !== admin.associateId);
  const mailboxes = env.tenant.mailboxes.filter((m) => m.userType === 'Member' && m.userPurpose === 'user' && m.accountEnabled);
  const count = options.users ?? 1;
  const actor = { tenantId, associateId: admin.associateId, associateName: admin.fullName, requestId: 'world' };
  const specs = Array.from({ length: count }, (_, i) => ({
    associateId: associates[i]!.associateId,
    associateName: associates[i]!.fullName,
    mailboxId: mailboxes[i]!.id,
    mailboxAddress: mailboxes[i]!.mail!,
    rank: i + 1,
    diary: options.diary ?? true,
    task: options.task ?? false,
    contact: false,
  }));
  const addLinks = async (links: typeof specs) => {
    const { created } = await saveAddedLinks(h.store, actor, SaveLinksBody.parse({ links }).links, new Date());
    return created;
  };
  const created = await addLinks(specs);
  const users: WorldUser[] = specs.map((s) => ({ associateId: s.associateId, mailboxId: s.mailboxId, rank: s.rank, linkId: created.find((l) => l.mailboxId === s.mailboxId)!.id }));

  const deps: DiaryPassDeps = {
    store: h.store,
    connect: (target) => openDiaryConnections({ store: h.store, integration: h.integration, now: () => new Date() }, target),
    intervalMs: options.intervalMs ?? 60_000,
    logger: silent,
  };
  const pass = diaryPass(deps);
  const cal = env.graph.control.calendar;
  const appointments = env.superoffice.control.appointments;
  const persons = env.superoffice.control.persons;
  const contacts = env.graph.control.contacts;
  const where = (user: WorldUser) => ({ tenant: tenantId, mailbox: user.mailboxId });
  // A person's edit never falls in the same second as the sync's last read of that appointment
  // (SuperOffice's updatedDate has whole seconds): its clock moves on a second before each.
  const tick = () => appointments.advance(1000);

  let unused = 0;
  const world: World = {
    h,
    tenantId,
    users,
    fresh() {
      const user = users[unused++];
      if (!user) throw new Error(`the world has only ${users.length} users`);
      return user;
    },
    deps,
    async pass(user, runPass = pass) {
      // Due now, whatever the last pass scheduled.
      await h.store.db
        .updateTable('sync_mailbox')
        .set({ next_due_at: h.store.dialect.time(new Date(Date.now() - 1000)) })
        .where('tenant_id', '=', tenantId)
        .where('mailbox_id', '=', user.mailboxId)
        .execute();
      const [claimed] = await claimMailboxes(h.store, 'world', [user.rank], 1, 60_000);
      if (!claimed) throw new Error(`mailbox ${user.mailboxId} could not be claimed (is Diary, Task or Contact on?)`);
      const lease = { tenantId, mailboxId: claimed.mailboxId, owner: 'world', epoch: claimed.epoch };
      const fence: Fence = { ...lease, signal: new AbortController().signal, write: (work) => fencedWrite(h.store, lease, work) };
      try {
        await runPass(claimed, fence);
      } catch (err) {
        await releaseMailboxLease(h.store, lease, { error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      await releaseMailboxLease(h.store, lease);
      return { mailbox: await world.mailbox(user), items: await world.items(user) };
    },
    workerEnv() {
      if (!file) throw new Error('a worker process needs the world on a file: makeWorld({ databaseFile })');
      return syncProcessEnv(h, file, dirname(file));
    },
    worker(ranks, o = {}) {
      const worker = new SyncWorker({ store: h.store, ranks, leaseMs: 10_000, batchSize: o.batchSize ?? 4, pollMs: o.pollMs ?? 20, retryMs: deps.intervalMs, runPass: pass, logger: silent, owner: o.owner });
      worker.start();
      return worker;
    },
    so: {
      create(user, a) {
        tick();
        return appointments.create(
          {
            Associate: { AssociateId: user.associateId },
            StartDate: a.start,
            EndDate: a.end,
            Type: 'inDiary',
            Title: a.title,
            Description: a.description ?? '',
            Location: a.location ?? '',
            IsAlldayEvent: a.allDay ?? false,
            IsFree: a.free ?? false,
            Private: a.private ? 'PrivateUser' : 'Public',
            ...(a.invitees ? { Participants: [user.associateId, ...a.invitees].map((id) => ({ AssociateId: id })) } : {}),
          },
          { asAssociateId: user.associateId, contextId: tenantId },
        );
      },
      edit: (id, patch) => (tick(), appointments.edit(id, patch, { contextId: tenantId })),
      delete: (id) => void (tick(), appointments.delete(id, tenantId)),
      list: (user) => appointments.list(tenantId).filter((a) => a.associateId === user.associateId),
    },
    outlook: {
      create: (user, e) => cal.create(user.mailboxId, { ...defaultFields(), ...e }, null),
      edit(user, id, fields) {
        const e = cal.find(user.mailboxId, id);
        if (!e) throw new Error(`no event ${id}`);
        cal.update(e, fields);
        return e;
      },
      delete(user, id) {
        const e = cal.find(user.mailboxId, id);
        if (!e) throw new Error(`no event ${id}`);
        cal.delete(e);
      },
      events: (user) => cal.list(user.mailboxId),
      receive: (user, e, organizer = { name: 'Sam Supplier', address: 'sam@supplier.example' }) => cal.receive(user.mailboxId, { ...defaultFields(), ...e }, organizer),
      cancelByOrganizer(user, id) {
        const e = cal.find(user.mailboxId, id);
        if (!e) throw new Error(`no event ${id}`);
        cal.cancelByOrganizer(e);
        return e;
      },
      copy(user, id) {
        const e = cal.find(user.mailboxId, id);
        if (!e) throw new Error(`no event ${id}`);
        const { subject, body, start, end, isAllDay, location, showAs, sensitivity, categories, isReminderOn, recurrence, attendees, extended } = e;
        return cal.create(user.mailboxId, { subject, body: { ...body }, start: { ...start }, end: { ...end }, isAllDay, location: { ...location }, showAs, sensitivity, categories: [...categories], isReminderOn, recurrence, attendees: [...attendees], extended: extended.map((p) => ({ ...p })) }, null);
      },
    },
    persons: {
      create: (user, fields) => (tick(), persons.create({ associateId: user.associateId, ...fields }, { contextId: tenantId })),
      edit: (id, patch) => (tick(), persons.edit(id, patch, { contextId: tenantId })),
      setOurContact: (id, associateId) => (tick(), persons.setOurContact(id, associateId, { contextId: tenantId })),
      delete: (id) => void (tick(), persons.delete(id, { contextId: tenantId })),
    },
    contacts: {
      folder(user) {
        const f = contacts.listFolders(user.mailboxId).find((x) => x.displayName === 'SuperOffice');
        return f ? { id: f.id, contacts: contacts.list(user.mailboxId, f.id) } : null;
      },
      own: (user) => contacts.list(user.mailboxId, contacts.defaultFolderId(user.mailboxId)),
      addOwn: (user, fields) => contacts.create(user.mailboxId, contacts.defaultFolderId(user.mailboxId), { ...defaultContactFields(), ...fields }),
      edit(user, id, fields) {
        const c = contacts.find(user.mailboxId, id);
        if (!c) throw new Error(`no contact ${id}`);
        contacts.update(c, fields);
        return c;
      },
      delete(user, id) {
        const c = contacts.find(user.mailboxId, id);
        if (!c) throw new Error(`no contact ${id}`);
        contacts.delete(c);
      },
    },
    counts: () => ({ graph: env.graph.control.requests(), superoffice: env.superoffice.control.requests() }),
    resetCounts() {
      env.graph.control.resetRequests();
      env.superoffice.control.resetRequests();
    },
    items: (user) =>
      h.store.db.selectFrom('sync_item').selectAll().where('tenant_id', '=', where(user).tenant).where('mailbox_id', '=', user.mailboxId).orderBy('id').execute(),
    mailbox: (user) =>
      h.store.db.selectFrom('sync_mailbox').selectAll().where('tenant_id', '=', tenantId).where('mailbox_id', '=', user.mailboxId).executeTakeFirstOrThrow(),
    async setTenant(s) {
      await h.store.db
        .updateTable('tenant')
        .set({
          ...(s.pastDays !== undefined ? { sync_window_past_days: s.pastDays } : {}),
          ...(s.futureDays !== undefined ? { sync_window_future_days: s.futureDays } : {}),
          ...(s.winner !== undefined ? { sync_conflict_winner: s.winner } : {}),
          ...(s.mode !== undefined ? { mode: s.mode } : {}),
        })
        .where('id', '=', tenantId)
        .execute();
    },
    async setOptions(user, o) {
      const link = await h.store.db.selectFrom('link').select(['version', 'rank']).where('id', '=', user.linkId).executeTakeFirstOrThrow();
      await saveLinkOptions(h.store, actor, [{ id: user.linkId, expectedVersion: link.version, rank: link.rank, ...o }], new Date());
    },
    async releaseBreaker(user) {
      await releaseBreaker(h.store, actor, [user.linkId], new Date());
    },
    async removeAndReadd(user) {
      // Remove Selected Users forgets the mapping, the cursor and the conflicts with the link.
      await removeLinks(h.store, actor, [user.linkId], new Date());
      const spec = specs.find((s) => s.mailboxId === user.mailboxId)!;
      const [link] = await addLinks([spec]);
      user.linkId = link!.id;
    },
    async close() {
      await h.closeAll();
    },
  };
  return world;
}

/** `days` from today at `hour`:00 UTC, as an ISO instant. */
export function at(days: number, hour: number, minute = 0): string {
  const d = new Date();
  d.setUTCHours(hour, minute, 0, 0);
  return new Date(d.getTime() + days * 86_400_000).toISOString();
}

/** Our tag's value on a stored event (null: none). */
export function tagOn(e: StoredEvent): string | null {
  return e.extended.find((p) => / Name SoRef$/i.test(p.id))?.value ?? null;
}

export { PUBLIC_URL };
