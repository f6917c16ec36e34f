import type { SyncItemKind, SyncItemRow } from '../db/database.js';
import { readBool, readTime } from '../db/dialect.js';
import type { Store } from '../db/store.js';
import { ApiError } from '../http/errors.js';
import type { Integration } from '../integration.js';
import { findTenant } from '../tenants/tenant.repository.js';
import { breakerHolds, cancelledByOrganizer, checklistRefusal, checklistWindowRefusal, diaryAppointmentRefusal, diaryEventRefusal, personRefusal, personStale, todoListRefusal, type ItemRefusal } from '../sync/decide.js';
import { contactHash, contactOf } from '../sync/contact/fields.js';
import type { SoPersonRow } from '../sync/contact/ports.js';
import { soStamp } from '../sync/diary/pass-state.js';
import { openDiaryConnections, type DiaryConnections } from '../sync/diary/connections.js';
import { fromOutlook, fromSuperOffice, hashFields, parseTag, syncWindow } from '../sync/diary/fields.js';
import { findCursor, findPassContext, type PassContext } from '../sync/diary/item.repository.js';
import type { GraphEvent, SoAppointment, SyncWindow } from '../sync/diary/ports.js';
import { SCOPE_TYPES } from '../sync/diary/shared-archive.js';
import { midnightInstant, nextDate } from '../sync/diary/time.js';
import { KIND_PASSES } from '../sync/kinds.js';
import { fromChecklist, fromTodo, hashTask } from '../sync/task/fields.js';
import { TodoListGone, type TodoTask } from '../sync/task/ports.js';
import { TASK_LIST_NAME } from '../sync/task/task-kind.js';
import type { ExplainItem, ExplainQuestion, ExplainResult, Verdict } from './explain.schemas.js';
import { findConflicts, findExplainLink, findKindStatus, findMappings, type ConflictRow, type ExplainLink } from './explain.repository.js';

/*
 * "Why didn't this sync?": for one linked user and a day or a subject, both sides' items and what
 * the engine decides about each, from the engine's own rules (sync/decide.ts, the kinds' `enabled`,
 * the field hashes) and what its passes recorded (the mapping, conflicts, the kind's and the
 * mailbox's status). It reads SuperOffice and Microsoft 365 through the clients the passes use,
 * with a bounded number of requests, and writes nothing.
 */

/** Items read in detail per kind and side: an explanation is about one item, not a diary. */
export const MAX_ITEMS = 25;
/** A search by subject alone looks this far beyond the sync window, so an item just outside it is found and explained. */
export const SUBJECT_MARGIN_DAYS = 30;
/** The user's own To Do lists read for a task that is not in ours. */
export const MAX_LISTS = 10;

type Kind = 'diary' | 'task' | 'contact';
const DB_KIND: Record<Kind, SyncItemKind> = { diary: 'appointment', task: 'task', contact: 'contact' };
const LABEL: Record<Kind, string> = { diary: 'Diary', task: 'Task', contact: 'Contact' };

export interface ExplainDeps {
  store: Store;
  integration: Integration | null;
  now: Date;
  /** The connections the passes use (tests may count or fault them); defaults to openDiaryConnections. */
  connect?: (target: { tenantId: string; mailboxId: string }) => Promise<DiaryConnections>;
}

/** What the engine recorded about the kind in this mailbox, read once per kind. */
interface KindRecord {
  kind: Kind;
  on: boolean;
  bySo: Map<number, SyncItemRow>;
  byGraph: Map<string, SyncItemRow>;
  conflicts: ConflictRow[];
  failure: string | null;
}

type Answer = { verdict: Verdict; detail: string };

export async function explain(deps: ExplainDeps, tenantId: string, req: ExplainQuestion): Promise<ExplainResult> {
  const { store } = deps;
  const link = await findExplainLink(store, tenantId, req.linkId);
  if (!link) throw new ApiError(404, 'LinkNotFound', 'This user is no longer linked. Reload the list.');
  const ctx = (await findPassContext(store, tenantId, link.mailbox_id)) ?? (await unenrolledContext(store, tenantId, link));
  const window = syncWindow(deps.now, ctx.pastDays, ctx.futureDays, ctx.zone);
  const searched: SyncWindow = req.date
    ? { start: midnightInstant(req.date, ctx.zone), end: midnightInstant(nextDate(req.date), ctx.zone) }
    : { start: shift(window.start, -SUBJECT_MARGIN_DAYS), end: shift(window.end, SUBJECT_MARGIN_DAYS) };
  const subject = req.subject?.toLowerCase() ?? null;
  const kinds: Kind[] = req.kind ? [req.kind] : ['diary', 'task', ...(req.subject !== undefined ? (['contact'] as const) : [])];
  const calendar = kinds.includes('diary') || kinds.includes('task');
  const stopped = breakerHolds(ctx);

  const connect = deps.connect ?? ((target) => openDiaryConnections({ store, integration: deps.integration, now: () => deps.now }, target));
  const c = await connect({ tenantId, mailboxId: link.mailbox_id });
  if (!c.superoffice.search) throw new Error('the SuperOffice client cannot search the archive');

  // SuperOffice: the associate's rows of any type on the day (or with the subject). A checklist
  // row starts and ends at its date's midnight: asked from a second earlier, so the day's own is found.
  const asked = { start: new Date(Date.parse(searched.start) - 1000).toISOString(), end: searched.end };
  const rows = calendar ? await c.superoffice.search(ctx.associateId, asked, req.subject ?? null, MAX_ITEMS * 2 + 1) : [];
  let truncated = rows.length > MAX_ITEMS * 2;
  const checklistRaw = new Set(SCOPE_TYPES.checklist.raw);
  const diaryRaw = new Set(SCOPE_TYPES.diary.raw);
  // Each row is explained by the kind whose rows it is: checklist types by the Task kind, the rest by the Diary kind.
  const rowKind = (raw: number): Kind => (req.kind ? req.kind : checklistRaw.has(raw) ? 'task' : 'diary');
  const soRows = rows.filter((r) => !(req.kind === 'task' && diaryRaw.has(r.rawType))).slice(0, MAX_ITEMS * 2);

  const items: ExplainItem[] = [];
  const records = new Map<Kind, KindRecord>();
  const appointments: { kind: Kind; a: SoAppointment }[] = [];
  for (const row of soRows) {
    const kind = rowKind(row.rawType);
    const client = kind === 'task' && checklistRaw.has(row.rawType) && c.checklist ? c.checklist : c.superoffice;
    const a = await client.get(row.id);
    if (a === null || !overlaps(a.start, a.end, searched)) continue;
    if (subject !== null && !`${a.title}\n${a.description}`.toLowerCase().includes(subject)) continue;
    appointments.push({ kind, a });
  }

  // Outlook: the primary calendar's events in the range (tag read), our To Do list's tasks.
  const events: GraphEvent[] = [];
  if (kinds.includes('diary')) {
    const found = (await c.outlook.listWindow(searched)).filter((e) => subject === null || e.subject.toLowerCase().includes(subject));
    truncated ||= found.length > MAX_ITEMS;
    events.push(...found.slice(0, MAX_ITEMS));
  }
  const tasks: { t: TodoTask; list: { id: string; name: string } }[] = [];
  let ourList: string | null = null;
  if (kinds.includes('task') && c.todo) {
    ourList = (await findCursor(store, tenantId, link.mailbox_id, 'task'))?.container_id ?? null;
    const wanted = (t: TodoTask) => (subject === null || t.title.toLowerCase().includes(subject)) && (req.date === undefined || t.due?.dateTime.slice(0, 10) === req.date);
    // Our list, then the user's own lists (a task there is the answer to "why not?" too).
    const lists = [...(ourList ? [{ id: ourList, name: TASK_LIST_NAME }] : []), ...((await c.todo.otherLists?.(ourList ?? '', MAX_LISTS)) ?? [])];
    for (const list of lists) {
      let listed: TodoTask[] = [];
      try {
        listed = await c.todo.listTasks(list.id);
      } catch (err) {
        if (!(err instanceof TodoListGone)) throw err;
      }
      const found = listed.filter(wanted);
      truncated ||= tasks.length + found.length > MAX_ITEMS;
      tasks.push(...found.slice(0, MAX_ITEMS - tasks.length).map((t) => ({ t, list })));
    }
  }

  // Contacts: the persons of the whole tenant with the name (the one-way pass reads SuperOffice
  // only, so Outlook has nothing to add), whoever's "our contact" they are: a person that is
  // another user's is the most common answer.
  let persons: (SoPersonRow & { fullName: string })[] = [];
  if (kinds.includes('contact') && req.subject !== undefined) {
    if (!c.persons.search) throw new Error('the SuperOffice client cannot search the persons');
    const found = await c.persons.search(req.subject, MAX_ITEMS + 1);
    truncated ||= found.length > MAX_ITEMS;
    persons = found.slice(0, MAX_ITEMS);
  }

  const kindsSeen = new Set<Kind>([...kinds, ...appointments.map((x) => x.kind)]);
  for (const kind of kindsSeen) {
    const soIds = kind === 'contact' ? persons.map((p) => p.id) : appointments.filter((x) => x.kind === kind).map((x) => x.a.id);
    const graphIds = kind === 'diary' ? events.map((e) => e.id) : kind === 'task' ? tasks.map(({ t }) => t.id) : [];
    const mappings = await findMappings(store, tenantId, link.mailbox_id, DB_KIND[kind], soIds, graphIds);
    const allSo = [...soIds, ...mappings.map((m) => m.so_id).filter((id): id is number => id !== null)];
    const status = await findKindStatus(store, tenantId, link.mailbox_id, DB_KIND[kind]);
    records.set(kind, {
      kind,
      on: KIND_PASSES.find((k) => k.kind === DB_KIND[kind])!.enabled(ctx),
      bySo: new Map(mappings.filter((m) => m.so_id !== null).map((m) => [m.so_id!, m])),
      byGraph: new Map(mappings.filter((m) => m.graph_id !== null).map((m) => [m.graph_id!, m])),
      conflicts: await findConflicts(store, tenantId, link.mailbox_id, DB_KIND[kind], allSo),
      failure: status && (status.state === 'error' || status.state === 'throttled') ? status.last_error : null,
    });
  }

  const before = (r: KindRecord): Answer | null => {
    if (stopped) {
      return { verdict: 'breaker', detail: `The circuit breaker stopped this user's sync, so nothing is synchronized until an administrator resumes it. ${link.breaker_detail ?? ''}`.trim() };
    }
    if (!r.on) return { verdict: 'kind_disabled', detail: `${LABEL[r.kind]} is off for this user, so these items are not synchronized. Turn ${LABEL[r.kind]} on in the user's options.` };
    return null;
  };

  for (const { kind, a } of appointments) {
    const r = records.get(kind)!;
    const item = r.bySo.get(a.id);
    const refusal = kind === 'diary' ? diaryAppointmentRefusal(a, ctx, window) : (checklistRefusal(a, ctx.associateId) ?? checklistWindowRefusal(a, window));
    const changed = item?.so_hash != null && (kind === 'diary' ? hashFields(fromSuperOffice(a, ctx.zone)) : hashTask(fromChecklist(a, ctx.zone))) !== item.so_hash;
    const counterpart = kind === 'diary' && item?.state === 'active' ? events.find((e) => e.id === item.graph_id) : undefined;
    const cancelled: Answer | null =
      counterpart && cancelledByOrganizer(counterpart)
        ? { verdict: 'deleted', detail: "Its meeting's organizer cancelled it in Outlook: the next pass deletes this copy in SuperOffice." }
        : null;
    const answer = privacy(before(r) ?? cancelled ?? fromRefusal(refusal) ?? fromMapping(r, item, changed, 'superoffice'), kind === 'diary' && a.private);
    items.push({
      kind,
      side: 'superoffice',
      id: String(a.id),
      subject: a.title,
      start: kind === 'task' ? fromChecklist(a, ctx.zone).due : a.start,
      private: a.private,
      ...answer,
      ...(item ? { mapping: mappingOf(item) } : {}),
    });
  }
  for (const e of events) {
    const r = records.get('diary')!;
    const item = r.byGraph.get(e.id);
    const changed = item?.graph_hash != null && hashFields(fromOutlook(e, ctx.zone)) !== item.graph_hash;
    const f = fromOutlook(e, ctx.zone);
    const cancelled: Answer | null =
      item?.state === 'active' && cancelledByOrganizer(e)
        ? { verdict: 'deleted', detail: 'Its organizer cancelled the meeting: the next pass deletes its copy in SuperOffice (the event stays in Outlook, cancelled, until the user removes it).' }
        : null;
    const answer = privacy(before(r) ?? cancelled ?? fromRefusal(diaryEventRefusal(e, ctx.zone, window)) ?? fromMapping(r, item, changed, 'outlook', e.tag ? parseTag(e.tag, tenantId) : null), f.private);
    items.push({ kind: 'diary', side: 'outlook', id: e.id, subject: e.subject, start: f.start, private: f.private, ...answer, ...(item ? { mapping: mappingOf(item) } : {}) });
  }
  for (const { t, list } of tasks) {
    const r = records.get('task')!;
    const item = r.byGraph.get(t.id);
    const f = fromTodo(t);
    const changed = item?.graph_hash != null && hashTask(f) !== item.graph_hash;
    const answer = before(r) ?? fromRefusal(todoListRefusal(list, { id: ourList, name: TASK_LIST_NAME })) ?? fromMapping(r, item, changed, 'outlook', t.tag ? parseTag(t.tag, tenantId) : null);
    items.push({ kind: 'task', side: 'outlook', id: t.id, subject: t.title, start: f.due, private: false, ...answer, ...(item ? { mapping: mappingOf(item) } : {}) });
  }

  const contacts = records.get('contact');
  for (const p of persons) {
    const r = contacts!;
    const item = r.bySo.get(p.id);
    // The pass reads a stale person again, and writes it over its contact only when what it would
    // write differs from what it last wrote (contact-kind.ts): read here only when that decides.
    const changed = async () => {
      if (!item || !personStale(item, soStamp(store.dialect, deps.now, p.updatedAt))) return false;
      const person = await c.persons.get(p.id);
      return person !== null && contactHash(contactOf(person)) !== item.graph_hash;
    };
    const answer = before(r) ?? fromRefusal(personRefusal(p, ctx.associateId)) ?? fromMapping(r, item, await changed(), 'superoffice');
    items.push({ kind: 'contact', side: 'superoffice', id: String(p.id), subject: p.fullName, start: null, private: false, ...answer, ...(item ? { mapping: mappingOf(item) } : {}) });
  }

  return {
    link: {
      id: link.id,
      associateId: link.associate_id,
      associateName: link.associate_name,
      mailboxAddress: link.mailbox_address,
      diary: readBool(link.sync_diary),
      task: readBool(link.sync_task),
      contact: readBool(link.sync_contact),
      state: link.state,
      breakerDetail: link.breaker_detail,
    },
    window,
    searched,
    truncated,
    items,
  };
}

/**
 * Private items are no reason not to sync: the privacy rule of the diary's fields (convert.ts)
 * carries them as private (Outlook's sensitivity `private`, SuperOffice's `PrivateUser`), so an
 * explanation says so rather than a refusal.
 */
function privacy(answer: Answer, isPrivate: boolean): Answer {
  if (!isPrivate || !['synced', 'pending', 'conflict'].includes(answer.verdict)) return answer;
  return { ...answer, detail: `${answer.detail} It is private: it syncs as a private item on both sides (only its owner sees its details).` };
}

function fromRefusal(refusal: ItemRefusal | null): Answer | null {
  return refusal === null ? null : { verdict: refusal.rule, detail: refusal.detail };
}

const OTHER: Record<'superoffice' | 'outlook', string> = { superoffice: 'Outlook', outlook: 'SuperOffice' };

/** An item the rules keep in step: what the engine's passes recorded about it says where it stands. */
function fromMapping(r: KindRecord, item: SyncItemRow | undefined, changed: boolean, side: 'superoffice' | 'outlook', taggedFor: number | null = null): Answer {
  const other = OTHER[side];
  if (!item) {
    if (r.failure) return { verdict: 'error', detail: `The last ${LABEL[r.kind]} pass stopped: ${r.failure} It is synchronized once that is resolved.` };
    if (taggedFor !== null) return { verdict: 'pending', detail: `It carries our tag (SuperOffice item ${taggedFor}) but is not in the mapping yet: the next pass binds it to that item instead of creating a copy.` };
    return { verdict: 'pending', detail: `It is not synchronized yet: the next pass creates it in ${other}.` };
  }
  const conflict = r.conflicts.find((c) => (item.so_id !== null && c.so_id === item.so_id) || (item.graph_id !== null && c.graph_id === item.graph_id));
  switch (item.state) {
    case 'error':
      return { verdict: 'error', detail: `The sync gave up on it after ${item.error_count} failed tries: ${item.last_error ?? 'no reason recorded.'} Change the item (or fix the cause) and it is tried again.` };
    case 'detached':
      return { verdict: 'detached', detail: `It was synchronized once, but its counterpart in ${other} was deleted or moved and this one was not ours to delete, so the two are no longer kept in step.` };
    case 'pending':
      if (item.error_count > 0) return { verdict: 'error', detail: `Creating it in ${other} failed ${item.error_count} time(s): ${item.last_error ?? 'no reason recorded.'} The next pass tries again.` };
      return { verdict: 'pending', detail: `A pass started creating it in ${other}; the next pass finishes it (never twice).` };
    case 'out_of_window':
      return { verdict: 'pending', detail: 'It left the sync window and came back into it: the next pass keeps it in step again.' };
    default:
      break;
  }
  if (changed) return { verdict: 'pending', detail: `It changed since the last pass: the next pass carries the change to ${other}.` };
  if (r.failure) return { verdict: 'error', detail: `It is in sync as of the last good pass, but the last ${LABEL[r.kind]} pass stopped: ${r.failure}` };
  if (conflict) {
    const winner = conflict.winner === 'superoffice' ? 'SuperOffice' : 'Outlook';
    const lost = conflict.winner === 'superoffice' ? conflict.outlook_value : conflict.superoffice_value;
    return {
      verdict: 'conflict',
      detail: `Both sides changed its ${conflict.field} between two passes; ${winner}'s value was kept (the tenant's conflict rule) and the other value (${lost ?? 'empty'}) was overwritten. It is in sync now.`,
    };
  }
  return { verdict: 'synced', detail: `It is in sync with ${other}.` };
}

function mappingOf(item: SyncItemRow): NonNullable<ExplainItem['mapping']> {
  return {
    state: item.state,
    origin: item.origin,
    superofficeId: item.so_id,
    outlookId: item.graph_id,
    errorCount: item.error_count,
    lastError: item.last_error,
    updatedAt: readTime(item.updated_at)!,
  };
}

const shift = (instant: string, days: number) => new Date(Date.parse(instant) + days * 86_400_000).toISOString();

/** Does [start, end) touch the range? An item of no length counts where it starts. */
function overlaps(start: string, end: string, w: SyncWindow): boolean {
  const s = Date.parse(start);
  const e = Date.parse(end);
  const from = Date.parse(w.start);
  const to = Date.parse(w.end);
  return e <= s ? s >= from && s < to : s < to && e > from;
}

/** A link whose mailbox the sync has not enrolled yet: the pass context from the link and the tenant, waiting for its first pass. */
async function unenrolledContext(store: Store, tenantId: string, link: ExplainLink): Promise<PassContext> {
  const tenant = await findTenant(store, tenantId);
  if (!tenant) throw new ApiError(404, 'LinkNotFound', 'This user is no longer linked. Reload the list.');
  return {
    associateId: link.associate_id,
    diary: readBool(link.sync_diary),
    task: readBool(link.sync_task),
    contact: readBool(link.sync_contact),
    mode: tenant.mode,
    pastDays: tenant.sync_window_past_days,
    futureDays: tenant.sync_window_future_days,
    winner: tenant.sync_conflict_winner,
    zone: tenant.sync_time_zone,
    state: 'pending',
    breakerReleasedAt: null,
  };
}
