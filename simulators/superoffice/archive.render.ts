import type { DemoAssociate } from '../demo-tenant.types.js';
import type { ArchiveColumn, ArchiveRow } from './archive.provider.js';

/** Row style for a retired associate ("Former employee"), per the Archive agent docs. */
export function styleHintOf(a: DemoAssociate): string {
  return a.isActive ? '' : 'retired';
}

function linkHintOf(a: DemoAssociate): string {
  return `associate_id=${a.associateId}`;
}

/** What the caller may do with the row (the shape of `TableRight` in the package's Person210.json). */
const TABLE_RIGHT = { Mask: 'Select', Reason: '' };

/**
 * Agent DisplayValues are encoded for everything but strings (encoded-values.md): `[I:123]`.
 * Booleans have no documented marker; they are sent as `[I:1]`/`[I:0]` [INF].
 */
export function encodedDisplayValue(column: ArchiveColumn, a: DemoAssociate): string {
  if (column.kind === 'int' || column.kind === 'associate') return `[I:${Number(column.raw(a))}]`;
  if (column.kind === 'bool') return `[I:${column.raw(a) ? 1 : 0}]`;
  return column.text(a);
}

export type OutputMode = 'Logical' | 'Display';

/** A slim OData value: numbers stay numbers; booleans are true/false only with `$output=Logical`; list and associate columns are text. */
function slimValue(column: ArchiveColumn, a: DemoAssociate, output: OutputMode): unknown {
  if (column.kind === 'int') return Number(column.raw(a));
  if (column.kind === 'bool') return output === 'Logical' ? Boolean(column.raw(a)) : encodedDisplayValue(column, a);
  return column.text(a);
}

/**
 * `$mode=Slim` row as captured (SuperOffice's native-app quickstart, SDK-Doc "OData archives"):
 * `PrimaryKey` is a string (`"5"`), `EntityName` the archive entity (`"all"`), then the selected
 * columns by name.
 */
export function slimRow(row: ArchiveRow, columns: ArchiveColumn[], output: OutputMode): Record<string, unknown> {
  const a = row.associate;
  const out: Record<string, unknown> = { PrimaryKey: String(a.associateId), EntityName: row.entity };
  for (const column of columns) out[column.name] = slimValue(column, a, output);
  return out;
}

/** `$mode=Full` row: typed RawValues and hints per column, plus row-level LinkHint, StyleHint and TableRight. */
export function fullRow(row: ArchiveRow, columns: ArchiveColumn[]): Record<string, unknown> {
  const a = row.associate;
  const cells: Record<string, unknown> = {};
  for (const column of columns) {
    cells[column.name] = { RawValue: column.raw(a), DisplayValue: encodedDisplayValue(column, a), TooltipHint: '', LinkHint: '' };
  }
  return {
    PrimaryKey: String(a.associateId),
    EntityName: row.entity,
    LinkHint: linkHintOf(a),
    StyleHint: styleHintOf(a),
    TableRight: TABLE_RIGHT,
    Column: cells,
  };
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

/** An `ArchiveListItem` as the Archive agent returns it (`primaryKey` is a number in the package's carrier). */
export function agentRow(row: ArchiveRow, columns: ArchiveColumn[]): ArchiveListItem {
  const a = row.associate;
  const data: ArchiveListItem['ColumnData'] = {};
  for (const column of columns) data[column.name] = { DisplayValue: encodedDisplayValue(column, a), TooltipHint: '', LinkHint: '' };
  return {
    EntityName: row.entity,
    PrimaryKey: a.associateId,
    ColumnData: data,
    LinkHint: linkHintOf(a),
    StyleHint: styleHintOf(a),
    TableRight: null,
    FieldProperties: {},
  };
}
