import { ANSWERS, CsvFile, ErrorEnvelope, type Endpoint } from '../../backend/contract.js';

/** Every `METHOD /path` the contract names, with how often a test saw its success and its refusal. */
export const seen = new Map<Endpoint, { ok: number; refused: number }>();

const endpoint = (method: string, url: string): Endpoint | null => {
  const key = `${method.toUpperCase()} ${new URL(url, 'http://x').pathname}`;
  return Object.hasOwn(ANSWERS, key) ? (key as Endpoint) : null;
};

/**
 * Checks one answer of the app against the API contract (backend/contract.ts): a success of
 * a JSON endpoint must parse with that endpoint's answer schema, and every JSON refusal with the
 * error envelope (its code one of ERROR_CODES); a CSV download is checked as text. Throws, naming the endpoint and what differs, so
 * every test that drives the app through the harness also checks that the panel's types are true.
 */
export function checkAnswer(method: string, url: string, status: number, contentType: string, body: unknown): void {
  const path = new URL(url, 'http://x').pathname;
  const api = path.startsWith('/api/') || path === '/auth/superoffice/ticket';
  if (!api || method.toUpperCase() === 'HEAD') return;
  const key = endpoint(method, url);
  const json = contentType.startsWith('application/json');
  if (status >= 400) {
    if (!json) throw new Error(`${method} ${path} answered ${status} without the JSON error envelope`);
    const parsed = ErrorEnvelope.safeParse(body);
    if (!parsed.success) throw new Error(`${method} ${path} answered ${status} outside the error envelope: ${parsed.error.message}`);
    if (key) bump(key, 'refused');
    return;
  }
  if (!key) throw new Error(`${method} ${path} answered ${status} but the API contract has no such endpoint (add it to ANSWERS)`);
  const schema = ANSWERS[key];
  if (schema === CsvFile) {
    if (!contentType.startsWith('text/csv')) throw new Error(`${key} answered ${status} without text/csv`);
    const parsed = CsvFile.safeParse(body);
    if (!parsed.success) throw new Error(`${key} answered outside its contract: ${parsed.error.message}`);
  } else if (schema === null) {
    if (status !== 204) throw new Error(`${key} answered ${status}, the contract says 204 without a body`);
  } else {
    if (!json) throw new Error(`${key} answered ${status} without JSON`);
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new Error(`${key} answered outside its contract: ${parsed.error.message}`);
  }
  bump(key, 'ok');
}

function bump(key: Endpoint, kind: 'ok' | 'refused') {
  const n = seen.get(key) ?? { ok: 0, refused: 0 };
  n[kind]++;
  seen.set(key, n);
}
