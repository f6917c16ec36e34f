import type { SyncItemRow, SyncSide } from '../../db/database.js';
import { readTime } from '../../db/dialect.js';
import { hashFields, mergeFields, outlookScope, superOfficeScope, toOutlookWrite, toSuperOfficeWrite } from './fields.js';
import type { ItemPatch } from './item.repository.js';
import { conflictRows, iso, KIND, type PassState } from './pass-state.js';
import type { DiaryFields } from './ports.js';

/** Compares one mapped item's two sides with what was last synced, merges and writes what needs it. */
export async function reconcileItem(s: PassState, item: SyncItemRow): Promise<void> {
  const fetched = s.appointments.get(item.so_id!);
  const event = s.events.get(item.graph_id!);
  if (fetched === null) return; // gone: the id-set check decides
  const base = item.base_json ? (JSON.parse(item.base_json) as DiaryFields) : null;
  const soNow = fetched && superOfficeScope(fetched) === null ? s.soFields(fetched) : null;
  const olNow = event && outlookScope(event) === null ? s.olFields(event) : null;
  const soChanged = soNow !== null && hashFields(soNow) !== item.so_hash;
  const olChanged = olNow !== null && hashFields(olNow) !== item.graph_hash;
  const state = s.leaving.has(item.id) ? 'out_of_window' : item.state === 'out_of_window' && soNow === null && olNow === null ? 'out_of_window' : 'active';
  if (!soChanged && !olChanged) {
    // Nothing changed; remember the new updatedDate / changeKey so they are not read again.
    const patch: ItemPatch = {};
    if (fetched && iso(fetched.updatedAt) !== iso(item.so_updated_at)) patch.so_updated_at = s.store.dialect.time(new Date(fetched.updatedAt));
    if (event && event.changeKey !== item.graph_change_key) patch.graph_change_key = event.changeKey;
    if (state !== item.state) patch.state = state;
    if (Object.keys(patch).length > 0) await s.commit(item, patch);
    return;
  }
  // A side that did not change is what was last synced; without a base (a rebound or migrated item) read it.
  const appointment = fetched ?? (base === null || olChanged ? await s.appointment(item.so_id!) : undefined);
  if (appointment === null) return;
  const soSide = soChanged ? soNow! : base ?? (appointment ? s.soFields(appointment) : null);
  const olEvent = event ?? (base === null ? await s.event(item.graph_id!) : null);
  const olSide = olChanged ? olNow! : base ?? (olEvent ? s.olFields(olEvent) : null);
  if (soSide === null || olSide === null) return;
  const merge = mergeFields(base, soSide, olSide, s.ctx.winner as SyncSide);
  const patch: ItemPatch = { state, base_json: JSON.stringify(merge.merged) };
  let wrote = false;
  if (merge.writeSuperOffice) {
    s.guard();
    const since = appointment ? appointment.updatedAt : readTime(item.so_updated_at!);
    const written = await s.so.update(item.so_id!, toSuperOfficeWrite(merge.merged, s.ctx.associateId, s.ctx.zone), since);
    // 412: changed since we read it; 404: the id-set check decides. Either way, the next pass.
    if (written === 'conflict' || written === 'gone') return s.defer();
    s.appointments.set(written.id, written);
    Object.assign(patch, { so_hash: hashFields(s.soFields(written)), so_updated_at: s.stamp(written.updatedAt) });
    wrote = true;
  } else if (soNow !== null) {
    Object.assign(patch, { so_hash: hashFields(soNow), so_updated_at: s.stamp(fetched!.updatedAt) });
  } else if (appointment && item.so_hash === null) {
    Object.assign(patch, { so_hash: hashFields(s.soFields(appointment)), so_updated_at: s.stamp(appointment.updatedAt) });
  }
  if (merge.writeOutlook) {
    const participants = (appointment ?? (await s.appointment(item.so_id!)))?.participants ?? [];
    s.guard();
    const written = await s.outlook.update(item.graph_id!, toOutlookWrite(merge.merged, s.ctx.zone, participants));
    if (written === 'gone') return s.defer();
    s.events.set(written.id, written);
    Object.assign(patch, { graph_hash: hashFields(s.olFields(written)), graph_change_key: written.changeKey });
    wrote = true;
  } else if (olNow !== null) {
    Object.assign(patch, { graph_hash: hashFields(olNow), graph_change_key: event!.changeKey });
  } else if (olEvent && item.graph_hash === null) {
    Object.assign(patch, { graph_hash: hashFields(s.olFields(olEvent)), graph_change_key: olEvent.changeKey });
  }
  const conflicts = conflictRows({ tenantId: s.tenantId, associateId: s.ctx.associateId, mailboxId: s.mailboxId, kind: KIND }, item, merge.conflicts);
  await s.commit(item, patch, conflicts);
  if (wrote) s.counts.updated += 1;
  s.counts.conflicts += conflicts.length;
}
