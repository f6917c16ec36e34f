import { createHash } from 'node:crypto';
import { CsvError } from 'csv-parse/sync';
import type { LinkRow } from '../db/database.js';
import type { Store, Tx } from '../db/store.js';
import { appendAudit, type Actor } from '../audit/audit.repository.js';
import { authorizationLookup, linkAuthorization } from '../authorizations/authorization.repository.js';
import { csvRecords, fromCsv, toCsv, unneutralize } from '../http/csv.js';
import { ApiError, MAX_DETAILS } from '../http/errors.js';
import { decodeUtf8 } from '../http/upload.js';
import { tenantMode } from '../tenants/tenant.repository.js';
import { exportPage } from './link-csv.repository.js';
import { CSV_COLUMNS, MAX_IMPORT_ROWS, type CsvColumn, type ImportApplied, type ImportCounts, type ImportPreview, type ImportRow } from './link-csv.schemas.js';
import { findLinksByAssociates, findLinksByMailboxes } from './link.repository.js';
import { NewLink, type Link, type OptionsChange } from './link.schemas.js';
import { addLinksUndoable, changeLinkOptions, linkState, toLink } from './link.service.js';

const HEADER = CSV_COLUMNS.map((c) => c.header);
/** Links per read of an export: one statement of a few ms, and a few hundred kB of text at a time. */
export const EXPORT_PAGE = 1000;

/** A link as one row of the file, in {@link CSV_COLUMNS} order. */
function exportCells(link: Link): (string | number | boolean)[] {
  return [link.associateId, link.associateName, link.mailboxId, link.mailboxAddress, link.diary, link.task, link.contact, link.rank, link.state];
}

/**
 * The tenant's links as a CSV file, produced a page at a time (keyset paging, as the list): 20,000
 * links are never held at once, and a link added or removed while the file is written shifts
 * nothing already written. The tenant's mode is read once, before the first page.
 */
export async function* exportLinksCsv(tx: Tx, tenantId: string): AsyncGenerator<string> {
  const mode = await tenantMode(tx, tenantId);
  yield toCsv(HEADER, []);
  let after: { name: string; id: string } | null = null;
  for (;;) {
    const rows = await exportPage(tx, tenantId, after, EXPORT_PAGE);
    if (rows.length === 0) return;
    yield csvRecords(rows.map((r) => exportCells(toLink(r, linkAuthorization(mode, { authorized_at: r.auth_at, revoked_at: r.auth_revoked_at })))));
    if (rows.length < EXPORT_PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { name: last.associate_name, id: last.id };
  }
}

const unreadable = (message: string, code: string) => new ApiError(400, 'CsvUnreadable', 'The file could not be read.', [{ code, message }]);

/** The column of each header cell; refuses a header with an unknown, missing or repeated column. */
function readHeader(header: string[]): Map<CsvColumn, number> {
  const byName = new Map<string, CsvColumn>(CSV_COLUMNS.map((c) => [c.header.toLowerCase(), c.key]));
  const at = new Map<CsvColumn, number>();
  const problems: string[] = [];
  header.forEach((cell, i) => {
    const name = unneutralize(cell).trim();
    const key = byName.get(name.toLowerCase());
    if (!key) problems.push(`Unknown column "${name.slice(0, 60)}".`);
    else if (at.has(key)) problems.push(`The column "${name}" appears twice.`);
    else at.set(key, i);
  });
  const missing = CSV_COLUMNS.filter((c) => !at.has(c.key)).map((c) => `"${c.header}"`);
  if (missing.length > 0) problems.push(`Missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`);
  if (problems.length > 0) {
    throw new ApiError(
      400,
      'CsvUnreadable',
      `The header row must name the columns ${HEADER.join(', ')} (in any order), each once.`,
      problems.map((message) => ({ path: 'file.header', code: 'Header', message })),
    );
  }
  return at;
}

/** The file's rows as text cells (the header checked); refuses what is not a CSV file of links. */
function readFile(bytes: Buffer): { rows: Record<CsvColumn, string>[] } {
  const text = decodeUtf8(bytes);
  let records: string[][];
  try {
    records = fromCsv(text);
  } catch (err) {
    if (err instanceof CsvError) throw unreadable(`${err.message.replace(/^[^:]*:\s*/, '')}`.slice(0, 300), 'Syntax');
    throw err;
  }
  const [header, ...data] = records;
  if (!header) throw unreadable('The file is empty: it needs at least the header row.', 'Empty');
  if (data.length > MAX_IMPORT_ROWS) {
    throw unreadable(`The file has ${data.length} rows; one import takes at most ${MAX_IMPORT_ROWS}. Split it into smaller files.`, 'TooManyRows');
  }
  const at = readHeader(header);
  return {
    rows: data.map((cells) => {
      const values = Object.fromEntries(CSV_COLUMNS.map((c) => [c.key, cells[at.get(c.key)!]!])) as Record<CsvColumn, string>;
      // The texts an export may have neutralized (a leading apostrophe before =, +, -, @).
      values.associateName = unneutralize(values.associateName);
      values.mailboxAddress = unneutralize(values.mailboxAddress);
      return values;
    }),
  };
}

const label = Object.fromEntries(CSV_COLUMNS.map((c) => [c.key, c.header])) as Record<CsvColumn, string>;
const quoted = (cell: string) => JSON.stringify(cell.length > 40 ? `${cell.slice(0, 40)}…` : cell);

function readBool(key: CsvColumn, cell: string, problems: string[]): boolean {
  const v = cell.trim().toLowerCase();
  if (v === 'true' || v === 'yes' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === '0') return false;
  problems.push(`${label[key]} must be true or false, not ${quoted(cell)}.`);
  return false;
}

interface Parsed {
  link: NewLink;
  /** `active` / `disabled`, or null when the cell is empty. */
  state: Link['state'] | null;
}

/** One row's cells as the link Save Added Users would be given (its own schema, NewLink, checks them), or why not. */
function parseRow(values: Record<CsvColumn, string>): Parsed | string {
  const problems: string[] = [];
  const id = values.associateId.trim();
  if (!/^\d+$/.test(id)) problems.push(`${label.associateId} must be a whole number, not ${quoted(values.associateId)}.`);
  const rank = values.rank.trim();
  const state = values.state.trim().toLowerCase();
  if (state !== '' && state !== 'active' && state !== 'disabled') problems.push(`${label.state} must be active, disabled or empty, not ${quoted(values.state)}.`);
  const candidate = {
    associateId: Number(id),
    associateName: values.associateName,
    mailboxId: values.mailboxId.trim(),
    mailboxAddress: values.mailboxAddress.trim(),
    diary: readBool('diary', values.diary, problems),
    task: readBool('task', values.task, problems),
    contact: readBool('contact', values.contact, problems),
    // Not a number at all: the rank's own message says what it must be.
    rank: /^-?\d+(\.\d+)?$/.test(rank) ? Number(rank) : rank,
  };
  const checked = NewLink.safeParse(candidate);
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const key = issue.path[0] as CsvColumn;
      if (key === 'associateId' && problems.some((p) => p.startsWith(label.associateId))) continue;
      const message = issue.message.startsWith(label[key] ?? '\0') ? issue.message : `${label[key] ?? key}: ${issue.message}`;
      problems.push(message.endsWith('.') ? message : `${message}.`);
    }
  }
  if (problems.length > 0 || !checked.success) return problems.join(' ');
  return { link: checked.data, state: state === '' ? null : (state as Link['state']) };
}

/** Every row appearing more than once by `key`: each is refused, naming the others. */
function refuseRepeats(parsed: (Parsed | string)[], key: (p: Parsed) => string, what: (p: Parsed) => string): void {
  const rowsOf = new Map<string, number[]>();
  parsed.forEach((p, i) => {
    if (typeof p === 'string') return;
    const k = key(p);
    rowsOf.set(k, [...(rowsOf.get(k) ?? []), i]);
  });
  for (const indexes of rowsOf.values()) {
    if (indexes.length < 2) continue;
    const rows = indexes.map((i) => i + 2);
    const text = `${what(parsed[indexes[0]!] as Parsed)} appears in rows ${rows.join(', ')}: each may appear once.`;
    for (const i of indexes) parsed[i] = text;
  }
}

/** What applying a file would write, with the preview it answers. */
interface Comparison {
  preview: ImportPreview;
  added: NewLink[];
  changes: OptionsChange[];
}

const base64url = (data: string | Buffer) => createHash('sha256').update(data).digest('base64url');

/**
 * The file against the tenant's links, row by row; changes nothing. A row names a link by its
 * associate and mailbox: neither linked is `new`, linked to each other is `changed` or
 * `unchanged`, linked elsewhere is `refused` (as Save Added Users would refuse it). The state is
 * not written (it follows from the options and, in OAuth mode, the mailbox's authorization): a
 * State cell that disagrees with what the row would have is refused rather than ignored.
 * The fingerprint covers the file and every link and authorization the rows were compared with,
 * so an apply with it can tell whether anything it depends on moved since.
 */
export async function compareFile(tx: Tx, tenantId: string, bytes: Buffer): Promise<Comparison> {
  const { rows } = readFile(bytes);
  const parsed = rows.map(parseRow);
  refuseRepeats(parsed, (p) => String(p.link.associateId), (p) => `Associate ${p.link.associateId}`);
  refuseRepeats(parsed, (p) => p.link.mailboxId, (p) => `The mailbox ${p.link.mailboxAddress}`);
  const valid = parsed.filter((p): p is Parsed => typeof p !== 'string');
  const byAssociate = new Map((await findLinksByAssociates(tx, tenantId, valid.map((p) => p.link.associateId))).map((r) => [r.associate_id, r]));
  const byMailbox = new Map((await findLinksByMailboxes(tx, tenantId, valid.map((p) => p.link.mailboxId))).map((r) => [r.mailbox_id, r]));
  const authorization = await authorizationLookup(tx, tenantId, valid.map((p) => p.link.mailboxId));

  const added: NewLink[] = [];
  const changes: OptionsChange[] = [];
  const counts: ImportCounts = { rows: rows.length, new: 0, changed: 0, unchanged: 0, refused: 0 };
  const seen: string[] = [];
  const out: ImportRow[] = parsed.map((p, i) => {
    const values = rows[i]!;
    const row: ImportRow = { row: i + 2, status: 'refused', reason: null, linkId: null, values, differences: [] };
    if (typeof p === 'string') {
      row.reason = p;
      counts.refused++;
      return row;
    }
    const { link } = p;
    const auth = authorization(link.mailboxId);
    seen.push(auth ?? '-');
    const linked = byAssociate.get(link.associateId);
    const other = byMailbox.get(link.mailboxId);
    let existing: LinkRow | undefined;
    if (linked && linked.mailbox_id === link.mailboxId) existing = linked;
    else if (linked) row.reason = `${linked.associate_name} is already linked to ${linked.mailbox_address}. Remove that link first to link another mailbox.`;
    else if (other) row.reason = `${other.mailbox_address} is already linked to ${other.associate_name}.`;
    if (row.reason === null) {
      const state = linkState(link, auth);
      if (p.state !== null && p.state !== state) {
        row.reason = `${label.state} would be ${state}, not ${p.state}: it follows from Diary, Task and Contact (and, in OAuth mode, whether the mailbox is authorized). Leave the cell empty or write ${state}.`;
      }
    }
    if (row.reason !== null) {
      row.linkId = (linked ?? other)?.id ?? null;
      counts.refused++;
      return row;
    }
    if (!existing) {
      row.status = 'new';
      counts.new++;
      added.push(link);
      return row;
    }
    const current = toLink(existing);
    row.linkId = current.id;
    for (const field of ['diary', 'task', 'contact', 'rank'] as const) {
      if (current[field] !== link[field]) row.differences.push({ field, from: current[field], to: link[field] });
    }
    if (current.associateName !== link.associateName || current.mailboxAddress.toLowerCase() !== link.mailboxAddress.toLowerCase()) {
      row.reason = `The name and address stay as stored (${current.associateName}, ${current.mailboxAddress}): an import changes Diary, Task, Contact and Server Rank only.`;
    }
    if (row.differences.length === 0) {
      row.status = 'unchanged';
      counts.unchanged++;
      return row;
    }
    row.status = 'changed';
    counts.changed++;
    changes.push({ id: current.id, diary: link.diary, task: link.task, contact: link.contact, rank: link.rank, expectedVersion: current.version });
    return row;
  });
  const compared = [...new Map([...byAssociate.values(), ...byMailbox.values()].map((r) => [r.id, r])).values()]
    .map((r) => `${r.id}:${r.version}`)
    .sort();
  const fingerprint = base64url(JSON.stringify([tenantId, base64url(bytes), compared, seen]));
  return { preview: { rows: out, counts, fingerprint }, added, changes };
}

/** POST /links/import/preview. */
export async function previewImport(store: Store, tenantId: string, bytes: Buffer): Promise<ImportPreview> {
  return (await store.transaction((tx) => compareFile(tx, tenantId, bytes))).preview;
}

/**
 * POST /links/import/apply: the file compared again inside the transaction that writes it, and
 * written only if that comparison is the one previewed (the same fingerprint; 409 otherwise) and,
 * unless `skipRefused`, has no refused row (409). New rows go through Save Added Users, changed
 * rows through Save Users Options (their checks, rows and audit entries), then one
 * `links.imported` entry with the counts. A file that changes nothing writes nothing at all.
 */
export async function applyImport(
  store: Store,
  actor: Actor,
  bytes: Buffer,
  options: { fingerprint: string; skipRefused: boolean },
  now: Date,
): Promise<ImportApplied> {
  return store.transaction(async (tx) => {
    const { preview, added, changes } = await compareFile(tx, actor.tenantId, bytes);
    if (preview.fingerprint !== options.fingerprint) {
      throw new ApiError(409, 'ImportStale', 'The linked users (or this file) changed since the preview. Preview the file again. Nothing was changed.');
    }
    const refused = preview.rows.filter((r) => r.status === 'refused');
    if (refused.length > 0 && !options.skipRefused) {
      throw new ApiError(
        409,
        'ImportHasRefusedRows',
        `${refused.length} rows of the file are refused. Correct them, or apply skipping the refused rows. Nothing was changed.`,
        refused.slice(0, MAX_DETAILS).map((r) => ({ path: `file.rows.${r.row}`, code: 'RowRefused', message: `Row ${r.row}: ${r.reason}` })),
      );
    }
    const result: ImportApplied = { created: added.length, updated: changes.length, unchanged: preview.counts.unchanged, skipped: refused.length };
    if (added.length === 0 && changes.length === 0) return result;
    // Each part undoable on its own, as when saved from the lists: the new links, the options.
    if (added.length > 0) await addLinksUndoable(tx, actor, added, now);
    if (changes.length > 0) await changeLinkOptions(tx, actor, changes, now);
    await appendAudit(
      tx,
      actor,
      [
        {
          action: 'links.imported',
          entityType: 'tenant',
          entityId: actor.tenantId,
          before: null,
          after: { rows: preview.counts.rows, ...result, fileSha256: createHash('sha256').update(bytes).digest('hex') },
        },
      ],
      now,
    );
    return result;
  });
}
