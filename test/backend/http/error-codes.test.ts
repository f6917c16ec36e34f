import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ERROR_CODES } from '../../../backend/http/error-codes.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const BACKEND = join(ROOT, 'backend');

/** The product's TypeScript sources (the simulators answer as Microsoft and SuperOffice do, not as our API). */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'simulators' ? [] : sources(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * Every code the backend can answer with, read from the source: `new ApiError(status, 'Code'`,
 * `new SignInError('Code'`, `new DomainError(kind, 'Code'`, `new IdTokenError(status, 'Code'`, popup errors
 * (`type: 'mailbox-link:error', code: 'Code'`), the error handler's own (`error: { code: 'Code'`)
 * and its HTTP status table (`['Code', 'message']`). Codes inside `details` are not answer codes.
 */
function codesInSource(): Map<string, string[]> {
  const patterns = [
    /new (?:ApiError|IdTokenError)\(\s*\d+,\s*'([A-Za-z]+)'/g,
    /new SignInError\(\s*'([A-Za-z]+)'/g,
    /new DomainError\(\s*'[A-Za-z]+',\s*'([A-Za-z]+)'/g,
    /'mailbox-link:error',\s*code:\s*'([A-Za-z]+)'/g,
    /error:\s*\{\s*code:\s*'([A-Z][A-Za-z]+)'/g,
    /\d{3}:\s*\['([A-Z][A-Za-z]+)',/g,
    /\?\s*\['([A-Z][A-Za-z]+)',/g,
  ];
  const found = new Map<string, string[]>();
  for (const file of sources(BACKEND)) {
    const text = readFileSync(file, 'utf8');
    for (const re of patterns) {
      for (const m of text.matchAll(re)) found.set(m[1]!, [...(found.get(m[1]!) ?? []), relative(ROOT, file)]);
    }
  }
  return found;
}

test('every error code the backend sends is in the ErrorCode union, and every code in it is sent somewhere', () => {
  const found = codesInSource();
  const known = new Set<string>(ERROR_CODES);
  const unknown = [...found].filter(([code]) => !known.has(code)).map(([code, files]) => `${code} (${files.join(', ')})`);
  assert.deepEqual(unknown, [], 'codes missing from backend/http/error-codes.ts');
  const unused = ERROR_CODES.filter((code) => !found.has(code));
  assert.deepEqual(unused, [], 'codes in backend/http/error-codes.ts that nothing sends');
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length, 'no code listed twice');
  // The scan itself works: it finds codes in each way they are written.
  for (const code of ['ValidationFailed', 'AlreadyLinked', 'InvalidTicket', 'WrongOrganisation', 'SignInCancelled', 'InternalError', 'PayloadTooLarge', 'InvalidJson']) {
    assert.ok(found.has(code), `the scan finds ${code}`);
  }
});

test('every code has an English and a Norwegian text in the panel', () => {
  const table = readFileSync(join(ROOT, 'panel/src/api/api-errors.strings.ts'), 'utf8');
  const [en, nb] = [table.indexOf('\n  en: {'), table.indexOf('\n  nb: {')];
  assert.ok(en > 0 && nb > en, 'the table has an en and an nb part');
  const keys = (part: string) => new Set([...part.matchAll(/^ {4}([A-Za-z]+): ['"]/gm)].map((m) => m[1]!));
  const enKeys = keys(table.slice(en, nb));
  const nbKeys = keys(table.slice(nb));
  for (const code of ERROR_CODES) {
    assert.ok(enKeys.has(code), `en text for ${code}`);
    assert.ok(nbKeys.has(code), `nb text for ${code}`);
  }
});
