import { z } from 'zod';
import { MAX_BATCH } from './link.schemas.js';

/** The largest file an import takes (the request body, in bytes). */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
/** The most rows one import takes: as many links as one Save Added Users / Save Users Options. */
export const MAX_IMPORT_ROWS = MAX_BATCH;

/**
 * The file's columns, in the order an export writes them. An import finds them by their header
 * (any order, letter case and surrounding spaces ignored); each must be there once, and no other.
 */
export const CSV_COLUMNS = [
  { key: 'associateId', header: 'Associate ID' },
  { key: 'associateName', header: 'Associate' },
  { key: 'mailboxId', header: 'Mailbox ID' },
  { key: 'mailboxAddress', header: 'Mailbox' },
  { key: 'diary', header: 'Diary' },
  { key: 'task', header: 'Task' },
  { key: 'contact', header: 'Contact' },
  { key: 'rank', header: 'Server Rank' },
  { key: 'state', header: 'State' },
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number]['key'];

export const ImportQuery = z.strictObject({
  fingerprint: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be the fingerprint a preview of this file answered'),
  skipRefused: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false').transform((v) => v === 'true'),
});

// ---- Answers ------------------------------------------------------------------------------------

const Count = z.number().int().min(0);

/** What an import changes of a link: only options and rank (the name and address come from SuperOffice and Microsoft 365). */
export const ImportField = z.enum(['diary', 'task', 'contact', 'rank']);

export const ImportRow = z.strictObject({
  /** The row's number as a spreadsheet shows it: the header is row 1, so the first link is row 2. */
  row: z.number().int().min(2),
  /**
   * `new`: a link Save Added Users would create; `changed`: an existing link whose options or rank
   * differ; `unchanged`: an existing link exactly so; `refused`: a row the import cannot apply.
   */
  status: z.enum(['new', 'changed', 'unchanged', 'refused']),
  /** Why a row is refused; for other rows, a note (or null). */
  reason: z.string().nullable(),
  /** The existing link the row is compared with, when there is one. */
  linkId: z.uuid().nullable(),
  /** The cells as read (formula apostrophes taken off the texts). */
  values: z.strictObject(Object.fromEntries(CSV_COLUMNS.map((c) => [c.key, z.string()])) as Record<CsvColumn, z.ZodString>),
  /** For `changed`: each value the import would change, from the stored one to the file's. */
  differences: z.array(z.strictObject({ field: ImportField, from: z.union([z.boolean(), z.number().int()]), to: z.union([z.boolean(), z.number().int()]) })),
});
export type ImportRow = z.output<typeof ImportRow>;

export const ImportCounts = z.strictObject({ rows: Count, new: Count, changed: Count, unchanged: Count, refused: Count });
export type ImportCounts = z.output<typeof ImportCounts>;

/**
 * POST /api/v1/links/import/preview: the file row by row against the tenant's links, and the
 * fingerprint of both (the file, and the links and authorizations it was compared with) that
 * POST /api/v1/links/import/apply must be given with the same file.
 */
export const ImportPreview = z.strictObject({ rows: z.array(ImportRow), counts: ImportCounts, fingerprint: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });
export type ImportPreview = z.output<typeof ImportPreview>;

/** POST /api/v1/links/import/apply: what was written (skipped: refused rows left out with skipRefused). */
export const ImportApplied = z.strictObject({ created: Count, updated: Count, unchanged: Count, skipped: Count });
export type ImportApplied = z.output<typeof ImportApplied>;
