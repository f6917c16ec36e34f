import type { SyncItemRow } from '../../db/database.js';
import { graphRefOf, hashFields, outlookScope, tagOf, toOutlookWrite, toSuperOfficeWrite } from './fields.js';
import { diaryAppointmentRefusal, diaryEventRefusal } from '../decide.js';
import { EPOCH, iso, OVERLAP_MS, upstreamError, type PassState } from './pass-state.js';
import type { DiaryFields, GraphCreate, SoAppointment } from './ports.js';

/** A pending intent whose create failed this often is parked (`error`) instead of retried. */
const MAX_ITEM_ERRORS = 5;

/** A transient failure (throttled, unavailable) ends the pass after the rest is done; anything else is the item's own error. */
async function itemFailed(s: PassState, item: SyncItemRow, err: unknown): Promise<void> {
  // Only an upstream's answer is an item's failure. Anything else (the database failing, say
  // at the commit right after an external create) ends the pass: carrying on would act on
  // what this pass wrote outside but could not record, e.g. take its own new appointment for
  // a SuperOffice-born one. The next pass starts from the committed state and recovers.
  const upstream = upstreamError(err);
  if (upstream.kind === 'throttled' || upstream.kind === 'unavailable' || upstream.kind === 'unauthenticated' || upstream.kind === 'forbidden') {
    s.failure ??= upstream;
    return;
  }
  const message = upstream.message;
  const errors = (item.error_count ?? 0) + 1;
  await s.commit(item, { error_count: errors, last_error: message.slice(0, 1000), ...(errors >= MAX_ITEM_ERRORS ? { state: 'error' as const } : {}) });
}

/** SuperOffice-born appointments without an event: intents committed, then created in `$batch`es of 20. */
export async function createInOutlook(s: PassState): Promise<void> {
  const wanted: SoAppointment[] = [];
  for (const [id, a] of s.appointments) {
    if (a === null || diaryAppointmentRefusal(a, s.ctx, s.window) !== null) continue;
    const item = s.bySo.get(id);
    if (item && !(item.state === 'pending' && item.graph_id === null)) continue;
    wanted.push(a);
  }
  if (wanted.length === 0) return;
  await s.insert(wanted.filter((a) => !s.bySo.has(a.id)).map((a) => s.newItem({ so_id: a.id, graph_id: null, origin: 'superoffice', state: 'pending' })));
  for (let i = 0; i < wanted.length; i += 20) {
    const slice = wanted.slice(i, i + 20);
    const intents = slice.map((a) => s.bySo.get(a.id)!);
    const creates: GraphCreate[] = slice.map((a, k) => ({
      transactionId: intents[k]!.op_id!,
      tag: tagOf(s.tenantId, a.id),
      event: toOutlookWrite(s.soFields(a), s.ctx.zone, a.participants),
    }));
    s.guard();
    const outcomes = await s.outlook.create(creates);
    for (const [k, outcome] of outcomes.entries()) {
      const a = slice[k]!;
      const intent = intents[k]!;
      if ('error' in outcome) {
        await itemFailed(s, intent, outcome.error);
        continue;
      }
      const fields = s.soFields(a);
      await s.commit(intent, {
        graph_id: outcome.ok.id,
        state: 'active',
        so_hash: hashFields(fields),
        so_updated_at: s.stamp(a.updatedAt),
        graph_hash: hashFields(s.olFields(outcome.ok)),
        graph_change_key: outcome.ok.changeKey,
        base_json: JSON.stringify(fields),
        error_count: 0,
        last_error: null,
      });
      s.counts.created += 1;
    }
  }
}

/** Outlook-born events without an appointment (and intents an earlier pass left half-done). */
export async function createInSuperOffice(s: PassState): Promise<void> {
  const pending = [...s.items.values()].filter((i) => i.state === 'pending' && i.origin === 'outlook' && i.graph_id !== null);
  // Outlook-born events are in scope already (pass-read.ts); the rule asks it again, and the window.
  const fresh = [...s.outlookBorn.values()].filter((e) => !s.byGraph.has(e.id) && diaryEventRefusal(e, s.ctx.zone, s.window) === null);
  const intents = await s.insert(fresh.map((e) => s.newItem({ so_id: null, graph_id: e.id, origin: 'outlook', state: 'pending' })));
  for (const intent of [...pending, ...intents]) {
    try {
      await createOne(s, intent, pending.includes(intent));
    } catch (err) {
      await itemFailed(s, s.items.get(intent.id) ?? intent, err);
    }
  }
}

async function createOne(s: PassState, start: SyncItemRow, recovering: boolean): Promise<void> {
  let intent = start;
  const graphId = intent.graph_id!;
  const event = await s.event(graphId);
  if (event === null || outlookScope(event) !== null) {
    // The event is gone (or no longer one we sync) before it was finished: nothing to create.
    if (intent.so_id === null) {
      await s.remove(intent);
    } else await s.commit(intent, { state: 'detached' });
    return;
  }
  const fields = s.olFields(event);
  const ref = graphRefOf(graphId);
  let appointment: SoAppointment | null = null;
  /** Whether the appointment is known to carry the event's ForeignSystem key already. */
  let keyed = false;
  if (intent.so_id === null) {
    const found = await s.so.findByForeignKey(s.mailboxId, ref);
    if (found !== null) appointment = await s.appointment(found);
    keyed = appointment !== null;
    if (appointment === null && recovering) appointment = await findRecoveredCreate(s, intent, fields);
    if (appointment === null) {
      s.guard();
      appointment = await s.so.create(toSuperOfficeWrite(fields, s.ctx.associateId, s.ctx.zone));
      s.counts.created += 1;
    }
    s.appointments.set(appointment.id, appointment);
    intent = await s.commit(intent, { so_id: appointment.id, so_updated_at: s.stamp(appointment.updatedAt), so_hash: hashFields(s.soFields(appointment)) });
  } else {
    appointment = await s.appointment(intent.so_id);
    if (appointment === null) {
      await s.commit(intent, { state: 'detached' });
      return;
    }
  }
  // A fresh create has no key yet; a recovered intent's may have been added before the crash.
  if (!keyed && (!recovering || (await s.so.findByForeignKey(s.mailboxId, ref)) === null)) {
    s.guard();
    await s.so.addForeignKey(s.mailboxId, ref, appointment.id);
  }
  s.guard();
  const tagged = await s.outlook.update(graphId, {}, tagOf(s.tenantId, appointment.id));
  if (tagged === 'gone') {
    await s.commit(intent, { state: 'detached' });
    return;
  }
  s.events.set(graphId, tagged);
  const olFields = s.olFields(tagged);
  await s.commit(intent, {
    state: 'active',
    so_hash: hashFields(s.soFields(appointment)),
    graph_hash: hashFields(olFields),
    graph_change_key: tagged.changeKey,
    // Outlook's values are the fuller ones (SuperOffice may have shortened the title); the merge compares SuperOffice's through what it can hold.
    base_json: JSON.stringify(olFields),
    error_count: 0,
    last_error: null,
  });
}

/** A crash between creating the appointment and committing it: the associate's appointment with the same fields, updated since the intent. */
async function findRecoveredCreate(s: PassState, intent: SyncItemRow, fields: DiaryFields): Promise<SoAppointment | null> {
  const since = new Date(Date.parse(iso(intent.op_started_at) ?? EPOCH) - OVERLAP_MS).toISOString();
  const want = hashFields(fields);
  for (const row of await s.so.changedSince(s.ctx.associateId, since, s.window)) {
    if (s.bySo.has(row.id)) continue;
    const a = await s.appointment(row.id);
    if (a && hashFields(s.soFields(a)) === want) return a;
  }
  return null;
}
