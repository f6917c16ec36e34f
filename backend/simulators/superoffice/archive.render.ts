import type { DemoAssociate } from '../demo-tenant.types.js';
import type { ArchiveColumn } from './archive.provider.js';

/** Rows of the user archives are associates; their primary key is the associate id [INF]. */
export const ENTITY_NAME = 'associate';

/** Row style for a retired associate ("Former employee"), per the Archive agent docs. */
export function styleHintOf(a: DemoAssociate): string {
  return a.isActive ? '' : 'retired';
}

function linkHintOf(a: DemoAssociate): string {
  return `associate_id=${a.associateId}`;
}

/**
 * Agent DisplayValues are encoded for everything but strings (encoded-values.md): `[I:123]`.
 * Booleans have no documented marker; they are sent as `[I:1]`/`[I:0]` [INF].
 */
export function encodedDisplayValue(column: ArchiveColumn, a: DemoAssociate): string {
  if (column.kind === 'int') return `[I:${Number(column.raw(a))}]`;
  if (column.kind === 'bool') return `[I:${column.raw(a) ? 1 : 0}]`;
  return column.text(a);
}

export type OutputMode = 'Logical' | 'Display';

/** A slim OData value: numbers stay numbers; booleans are true/false only with `$output=Logical`. */
function slimValue(column: ArchiveColumn, a: DemoAssociate, output: OutputMode): unknown {
  if (column.kind === 'int') return Number(column.raw(a));
  if (column.kind === 'bool') return output === 'Logical' ? Boolean(column.raw(a)) : encodedDisplayValue(column, a);
  return column.text(a);
}

/** `$mode=Slim` row: PrimaryKey, EntityName, then the selected columns by name. */
export function slimRow(a: DemoAssociate, columns: ArchiveColumn[], output: OutputMode): Record<string, unknown> {
  const row: Record<string, unknown> = { PrimaryKey: a.associateId, EntityName: ENTITY_NAME };
  for (const column of columns) row[column.name] = slimValue(column, a, output);
  return row;
}

/** `$mode=Full` row: typed RawValues and hints per column, plus row-level LinkHint and StyleHint. */
export function fullRow(a: DemoAssociate, columns: ArchiveColumn[]): Record<string, unknown> {
  const cells: Record<string, unknown> = {};
  for (const column of columns) {
    cells[column.name] = { RawValue: column.raw(a), DisplayValue: encodedDisplayValue(column, a), TooltipHint: '', LinkHint: '' };
  }
  return { PrimaryKey: a.associateId, EntityName: ENTITY_NAME, LinkHint: linkHintOf(a), StyleHint: styleHintOf(a), Column: cells };
}

export interface ArchiveListItem {
  EntityName: string;
  PrimaryKey: number;
  ColumnData: Record<string, { DisplayValue: string; TooltipHint: string; LinkHint: string }>;
  LinkHint: string;
  StyleHint: string;
  TableRight: null;
  FieldProperties: Record<string, never>;
}

/** An `ArchiveListItem` as the Archive agent returns it. */
export function agentRow(a: DemoAssociate, columns: ArchiveColumn[]): ArchiveListItem {
  const data: ArchiveListItem['ColumnData'] = {};
  for (const column of columns) data[column.name] = { DisplayValue: encodedDisplayValue(column, a), TooltipHint: '', LinkHint: '' };
  return {
    EntityName: ENTITY_NAME,
    PrimaryKey: a.associateId,
    ColumnData: data,
    LinkHint: linkHintOf(a),
    StyleHint: styleHintOf(a),
    TableRight: null,
    FieldProperties: {},
  };
}
