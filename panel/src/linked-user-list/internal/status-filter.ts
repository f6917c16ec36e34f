import { html, type TemplateResult } from 'lit';
import { formatCount, type Lang } from '../../i18n/locale.js';
import type { StatusFilter, StatusLabel } from '../../logic/sync-status.js';
import type { LinkedUserListStrings } from '../linked-user-list.strings.js';

/** The Status filter's options after "All": what needs the administrator first. */
export const STATUS_ORDER: readonly StatusLabel[] = ['breaker', 'error', 'throttled', 'waiting_authorization', 'pending', 'syncing', 'in_sync', 'disabled', 'notSaved'];

export interface StatusFilterView {
  counts: ReadonlyMap<StatusLabel, number>;
  total: number;
  value: StatusFilter;
  lang: Lang;
  s: LinkedUserListStrings;
  onChange: (value: StatusFilter) => void;
}

/**
 * "Show: All (12) | Errors (3) | …": a select of the states that have rows, each with its count
 * (the chosen one stays listed when its last row goes, with 0).
 */
export function statusFilter(v: StatusFilterView): TemplateResult {
  const n = (count: number) => formatCount(count, v.lang);
  const states = STATUS_ORDER.filter((state) => (v.counts.get(state) ?? 0) > 0 || state === v.value);
  return html`<div class="filter" slot="toolbar">
    <label for="status-filter">${v.s.filterLabel}</label>
    <select id="status-filter" data-status-filter @change=${(e: Event) => v.onChange((e.target as HTMLSelectElement).value as StatusFilter)}>
      <option value="all" ?selected=${v.value === 'all'}>${v.s.filterAll(n(v.total))}</option>
      ${states.map((state) => html`<option value=${state} ?selected=${v.value === state}>${v.s.filterStates[state]} (${n(v.counts.get(state) ?? 0)})</option>`)}
    </select>
  </div>`;
}
