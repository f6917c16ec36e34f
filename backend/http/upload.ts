import { ApiError } from './errors.js';
import type { ApiContext } from './types.js';

/**
 * The API routes that take a file instead of JSON (`METHOD path` as mounted). The JSON body parser
 * in front of the API leaves them alone, so that each can check the caller's role before a byte
 * of the body is read and then read it itself with {@link readUpload}.
 */
export const UPLOAD_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/links/import/preview', 'POST /api/v1/links/import/apply']);

export const isUpload = (ctx: ApiContext): boolean => UPLOAD_ROUTES.has(`${ctx.method} ${ctx.path}`);

const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * The request body as bytes, if it is `type` and at most `limit` bytes: 415 for another content
 * type or a charset other than UTF-8, 413 when it is larger (told by Content-Length before
 * anything is read, else counted while reading, which stops at the limit).
 */
export async function readUpload(ctx: ApiContext, type: string, limit: number): Promise<Buffer> {
  // By the header itself: `ctx.is()` answers null for an empty body, which is read (and refused as empty) instead.
  if (ctx.request.type !== type) throw new ApiError(415, 'UnsupportedMediaType', `Send the file as ${type}.`);
  const charset = ctx.request.charset;
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new ApiError(415, 'UnsupportedMediaType', `Send the file in UTF-8 (charset=utf-8), not ${charset.slice(0, 40)}.`);
  }
  const tooLarge = () => new ApiError(413, 'PayloadTooLarge', `The file is larger than ${mb(limit)}, the most one upload may be.`);
  if (Number(ctx.request.length ?? 0) > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    let over = false;
    ctx.req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        // Refused now; the rest is read and dropped, so the client gets the answer rather than a reset connection.
        over = true;
        chunks.length = 0;
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    ctx.req.on('end', () => resolve());
    ctx.req.on('error', reject);
  });
  return Buffer.concat(chunks, size);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Bytes as UTF-8 text, a leading byte order mark dropped. Anything else is refused with what it
 * looks like, so the administrator knows how to save the file again: UTF-16 (Excel's "Unicode
 * text"), or a legacy 8-bit encoding such as Windows-1252 / Latin-1 (Excel's plain "CSV").
 * Decoding leniently would put U+FFFD in names and save them mangled.
 */
export function decodeUtf8(bytes: Buffer): string {
  const resave = 'Save it again as "CSV UTF-8 (Comma delimited)".';
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new ApiError(400, 'CsvUnreadable', 'The file is not UTF-8.', [{ code: 'Encoding', message: `The file is UTF-16 (Unicode text). ${resave}` }]);
  }
  if (bytes.includes(0)) {
    throw new ApiError(400, 'CsvUnreadable', 'The file is not UTF-8.', [{ code: 'Encoding', message: `The file contains NUL bytes: it is UTF-16 or not a text file. ${resave}` }]);
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiError(400, 'CsvUnreadable', 'The file is not UTF-8.', [
      { code: 'Encoding', message: `The file is not UTF-8 (it looks like Windows-1252 or Latin-1, where Æ, Ø and Å are single bytes). ${resave}` },
    ]);
  }
}
