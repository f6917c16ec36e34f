import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { AUDIT_CATEGORIES } from '../../backend/audit/audit.categories.js';
import { DEMO_CASES } from '../../simulators/demo-tenant.js';
import { ADMIN, OTHER_ADMIN, USER, makeHarness, type Harness, type Reply } from '../helpers/harness.js';
import { makeIntegrationHarness, popupResult, PUBLIC_URL, type IntegrationHarness } from '../helpers/integration.js';
import { assertApiError, assertNoLeak, assertNoPollution, dumpWithout, seedTenant, type TenantSeed } from '../helpers/security.js';
import { HEALTH_PROBLEM_KINDS } from '../../backend/health/health.types.js';

/*
 * Property-based hostile input against every endpoint that takes input. Each generated request
 * must be answered without a 5xx; a request that is malformed (by construction of its generator)
 * must get a 4xx with `{"error":{"code":"PascalCase","message":"…"}}`; no answer may show a stack
 * trace, a path, SQL or a secret; and a refused request (or any read) must leave the database
 * byte-for-byte as it was. The seed is fixed (FUZZ_SEED overrides it) so a failure reproduces;
 * FUZZ_SCALE multiplies the number of runs.
 */

const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261125;
const SCALE = process.env.FUZZ_SCALE !== undefined ? Number(process.env.FUZZ_SCALE) : 1;
assert.ok(Number.isInteger(SEED), 'FUZZ_SEED must be an integer');
const runs = (n: number) => Math.max(1, Math.round(n * SCALE));

/** A stable, distinct seed per property, derived from the run's seed. */
function seedFor(label: string): number {
  let h = SEED | 0;
  for (const c of label) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping: what was sent, what came back.

class Tally {
  readonly byEndpoint = new Map<string, Map<number, number>>();
  private started = 0;
  record(endpoint: string, status: number) {
    this.started ||= Date.now();
    const m = this.byEndpoint.get(endpoint) ?? this.byEndpoint.set(endpoint, new Map()).get(endpoint)!;
    m.set(status, (m.get(status) ?? 0) + 1);
  }
  total() {
    let n = 0;
    for (const m of this.byEndpoint.values()) for (const c of m.values()) n += c;
    return n;
  }
  report(t: TestContext, title: string) {
    const statuses = new Map<number, number>();
    t.diagnostic(`${title}: seed ${SEED} (FUZZ_SEED=${SEED} reproduces), scale ${SCALE}`);
    for (const [endpoint, m] of [...this.byEndpoint].sort()) {
      const n = [...m.values()].reduce((a, b) => a + b, 0);
      const hist = [...m].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}×${c}`).join(' ');
      t.diagnostic(`  ${endpoint.padEnd(44)} ${String(n).padStart(5)}  ${hist}`);
      for (const [s, c] of m) statuses.set(s, (statuses.get(s) ?? 0) + c);
    }
    const hist = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, c]) => `${s}×${c}`).join(' ');
    t.diagnostic(`${title}: ${this.total()} requests in ${((Date.now() - this.started) / 1000).toFixed(1)} s; statuses ${hist}`);
  }
  /**
   * What the run's figures must show. No answer was a 5xx or a 429 (a throttled probe never reached
   * the code it was meant for). At the default scale or more, every endpoint in `reached` was probed,
   * and it gave each of the listed statuses at least once: the probes got past authentication to
   * validation (400), lookups (404), conflicts (409) and real answers (200), not only to the gates.
   */
  assertRun(reached: Record<string, number[]>) {
    const statuses = new Set([...this.byEndpoint.values()].flatMap((m) => [...m.keys()]));
    assert.deepEqual([...statuses].filter((s) => s >= 500 || s === 429), [], 'no 5xx and nothing throttled');
    if (SCALE < 1) return;
    assert.deepEqual([...this.byEndpoint.keys()].sort(), Object.keys(reached).sort(), 'the endpoints probed');
    for (const [endpoint, due] of Object.entries(reached)) {
      const got = this.byEndpoint.get(endpoint)!;
      assert.deepEqual(due.filter((s) => !got.has(s)), [], `${endpoint} never answered these (it answered ${[...got.keys()].sort().join(', ')})`);
    }
  }
}

/** One request the fuzzer sends. */
interface Probe {
  endpoint: string;
  method: string;
  url: string;
  /** The whole Authorization header; null sends none. */
  auth: string | null;
  raw?: string | Buffer;
  /** Content-Type; null sends none. */
  type?: string | null;
  headers?: Record<string, string>;
  /** `refused`: malformed by construction, a 4xx is due. `any`: may be valid by accident. */
  expect: 'refused' | 'any';
  /** What the generator did, for the failure message. */
  note: string;
}

interface Target {
  h: Harness;
  tally: Tally;
  secrets: string[];
  /** Ids that must never appear in a successful answer to this tenant (the other tenant's). */
  foreign: string[];
  /** Error answers that are pages (popup results), not JSON. */
  popup?: boolean;
  /** Tables a valid request may write to (e.g. login_state); refused requests write nothing at all. */
  mayWrite?: string[];
}

const preview = (raw: string | Buffer | undefined) => {
  if (raw === undefined) return '(none)';
  const s = Buffer.isBuffer(raw) ? `<${raw.length} bytes> ${raw.subarray(0, 120).toString('latin1')}` : raw;
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
};

/** Sends one probe and checks everything a hostile request must not achieve. */
async function send(target: Target, p: Probe): Promise<Reply> {
  const { h } = target;
  const before = await dumpWithout(h);
  const headers: Record<string, string> = { ...(p.headers ?? {}) };
  if (p.auth !== null) headers.authorization = p.auth;
  if (p.type !== undefined && p.type !== null) headers['content-type'] = p.type;
  const res = await h.request(p.method, p.url, { raw: p.raw, headers });
  target.tally.record(p.endpoint, res.status);
  const what = `${p.method} ${p.url.slice(0, 300)} [${p.note}] auth=${p.auth === null ? '(none)' : p.auth.slice(0, 60)} type=${p.type ?? '(none)'} body=${preview(p.raw)}\n → ${res.status} ${res.text.slice(0, 500)}`;
  assert.ok(res.status < 500, `a 5xx: ${what}`);
  if (p.expect === 'refused') assert.ok(res.status >= 400 && res.status < 500, `a 4xx was due: ${what}`);
  if (res.status >= 400) {
    if (target.popup) {
      const page = popupResult(res.status, res.text);
      assert.equal(page.origin, new URL(PUBLIC_URL).origin, `the popup posts elsewhere: ${what}`);
      assert.equal(page.message.type, 'mailbox-link:error', what);
      assert.match(page.message.code ?? '', /^[A-Z][A-Za-z0-9]*$/, what);
    } else {
      assertApiError(res, what);
    }
  } else if (res.status < 300) {
    for (const id of target.foreign) assert.ok(!res.text.includes(id), `another tenant's id ${id} in a successful answer: ${what}`);
  }
  assertNoLeak(res.text, target.secrets, what);
  assertNoPollution(what);
  const after = await dumpWithout(h);
  if (res.status >= 400 || p.method === 'GET') {
    assert.equal(after, before, `the database changed: ${what}`);
  } else if (target.mayWrite) {
    assert.equal(await dumpWithout(h, target.mayWrite), JSON.stringify(omit(JSON.parse(before), target.mayWrite)), `the database changed beyond ${target.mayWrite.join()}: ${what}`);
  }
  return res;
}

function omit(o: Record<string, unknown>, keys: readonly string[]) {
  for (const k of keys) delete o[k];
  return o;
}

/** fc.assert, with the failed assertion's own message (not only the counterexample) in the error. */
async function check<T>(label: string, arb: fc.Arbitrary<T>, numRuns: number, predicate: (value: T) => Promise<void>): Promise<void> {
  const seed = seedFor(label);
  try {
    await fc.assert(fc.asyncProperty(arb, predicate), { seed, numRuns: runs(numRuns), endOnFailure: true });
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    const why = cause instanceof Error ? cause.message : '';
    throw new Error(`${why}\n(property "${label}", FUZZ_SEED=${SEED}, fast-check seed ${seed})\n${(err as Error).message.slice(0, 3000)}`);
  }
}

async function property(target: Target, label: string, arb: fc.Arbitrary<Probe>, numRuns: number): Promise<void> {
  await check(label, arb, numRuns, async (p) => {
    await send(target, p);
  });
}

// ---------------------------------------------------------------------------------------------
// Hostile values.

const SQLISH = [
  "'; drop table link; --",
  "1' or '1'='1",
  '" or 1=1 --',
  "'); delete from session; --",
  "1; update tenant set mode='oauth'",
  "admin'--",
  "' union select token_hash from session --",
  "'||(select 1)||'",
  '%27%3B%20drop%20table%20link%3B%20--',
  "\\'; drop table invite; --",
  '1 waitfor delay \'0:0:5\'',
];
const WEIRD = [
  '', ' ', '\t', '\n', '\r\n', '\u0000', '\u0007', '\u001b[31m', '\u007f', '\u0085', '\u2028', '\u2029', '\uFEFF', '\u200B', '\u202E',
  '\uD800', '\uDFFF', '\uDBFF\uDFFF', 'a\uD800b', '\uFFFD', '\uFFFF', 'e\u0301', '😀', '𝕏', 'İ', 'ß', 'NaN', 'Infinity', '-Infinity',
  '1e308', '1e400', '-0', '0x10', '0b1', '1_000', '+1', '.5', '1.5', '-1', '0', '00', 'null', 'undefined', 'true', 'false', '[]', '{}',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '../../../etc/passwd', '..\\..\\windows\\win.ini', '${7*7}',
  '{{7*7}}', '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '%00', '%zz', '%ff', '\\u0000',
  'x'.repeat(65), 'a@b', '@', 'user@', '@contoso.example', 'a b@c.example', 'a@b@c.example', '00000000-0000-0000-0000-00000000000g',
  '00000000-0000-4000-8000-00000000000', '{00000000-0000-4000-8000-000000000001}', 'sls_', 'Bearer x', 'oauth ', 'OAUTH', 'Application',
  ...SQLISH,
];
const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const oddChar = fc.oneof(controlChar, loneSurrogate, fc.constantFrom('😀', 'é', '\u202e', '"', "'", '\\', '\uFEFF', '\u2028', '<', '&', '%'));
const longString = fc
  .tuple(fc.integer({ min: 257, max: 120_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', ' ', "'", '\uD800', 'x@'))
  .map(([n, c]) => c.repeat(Math.ceil(n / c.length)));

/** Characters that deceive a reader (bidi controls and marks, invisible ones), break a header line, or are not text at all. */
const SPOOF_CHARS = [
  '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C',
  '\u200B', '\u2060', '\uFEFF', '\r\n', '\n', '\u2028', '\u2029', '\u0085', '\uD800', '\uDBFF', '\uDC00', '\uDFFF',
];
/** A plausible name or subject with one such character inside it. */
const spoofed = fc
  .tuple(fc.constantFrom('Ada Admin', 'Kari Nordmann', 'Connect your mailbox', 'IT support', 'gpj.exe'), fc.nat(), fc.constantFrom(...SPOOF_CHARS))
  .map(([text, i, c]) => {
    const at = 1 + (i % (text.length - 1));
    return text.slice(0, at) + c + text.slice(at);
  });

const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WEIRD) },
  { weight: 3, arbitrary: spoofed },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: oddChar, minLength: 1, maxLength: 20 }) },
  { weight: 1, arbitrary: longString },
);
const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      1e308, -1e308, 2 ** 53 + 1, -(2 ** 53) - 1, 2 ** 53, -0, 0, -1, 0.5, 1.5, -1.5, 99.5, 100, 366, 2 ** 31, 2 ** 31 - 1, 2 ** 31 + 1,
      -(2 ** 31) - 1, 5e-324, 1e-7, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity,
    ),
  },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 }) },
);
const PROTO_JSON = [
  '{"__proto__":{"isAdmin":true,"polluted":1}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  '{"__proto__":null}',
  '{"__proto__":[]}',
  '{"toString":1,"valueOf":2,"hasOwnProperty":3}',
];
const protoObject = fc.constantFrom(...PROTO_JSON).map((s) => JSON.parse(s) as unknown);
const deepArray = fc.integer({ min: 10, max: 1500 }).map((n) => JSON.parse('['.repeat(n) + ']'.repeat(n)) as unknown);

/** Anything at all, including the wrong type for every field. */
const anyHostile: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: hostileString },
  { weight: 4, arbitrary: hostileNumber },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], [1], ['1'], [true], { id: 1 }) },
  { weight: 1, arbitrary: protoObject },
  { weight: 1, arbitrary: deepArray },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 4 }) },
);

/** What survives JSON: NaN becomes null, -0 becomes 0, lone surrogates stay. */
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v) ?? 'null');
/** Values that are certainly not acceptable where `ok` says what is. */
const invalid = (ok: (v: unknown) => boolean) => anyHostile.map(roundTrip).filter((v) => !ok(v));

// The documented contract of each kind of field (README, API), as independent oracles.
const isInt = (min: number, max: number) => (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
const isBool = (v: unknown) => typeof v === 'boolean';
const isUuid = (v: unknown) => typeof v === 'string' && z.uuid().safeParse(v).success;
const isGuid = (v: unknown) => typeof v === 'string' && z.guid().safeParse(v).success;
const isEmail = (v: unknown) => typeof v === 'string' && v.length <= 320 && z.email().safeParse(v).success;
/** Every text field: no lone surrogate (ill-formed UTF-16). */
const wellFormed = (v: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(v);
/** Names and invite texts: no bidi control or mark, zero-width space, word joiner or inner BOM. */
const undeceptive = (v: string) => !/[\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/.test(v.trim());
/** One line (a name, a mail header): no control character or line separator. */
const isLine = (max: number) => (v: unknown) =>
  typeof v === 'string' && wellFormed(v) && undeceptive(v) && v.trim().length >= 1 && v.trim().length <= max && !/[\p{Cc}\u2028\u2029]/u.test(v.trim());
const isName = isLine(200);
/** Several lines (the invite message): tab and line breaks allowed, no other control character. */
const isText = (max: number) => (v: unknown) =>
  typeof v === 'string' && wellFormed(v) && undeceptive(v) && v.trim().length >= 1 && v.trim().length <= max &&
  !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/.test(v.trim());
const isOneOf = (values: readonly unknown[]) => (v: unknown) => values.includes(v);
const isStringOf = (min: number, max: number) => (v: unknown) => typeof v === 'string' && wellFormed(v) && v.length >= min && v.length <= max;
const isArrayOf = (min: number, max: number, item: (v: unknown) => boolean) => (v: unknown) =>
  Array.isArray(v) && v.length >= min && v.length <= max && v.every(item);

// ---------------------------------------------------------------------------------------------
// Malformed JSON bodies, made from a valid one.

type Path = (string | number)[];
type SlotKind = 'number' | 'boolean' | 'string' | 'text' | 'array';
interface Slot {
  path: Path;
  kind: SlotKind;
  ok: (v: unknown) => boolean;
}
interface BodySpec {
  /** A valid body; every mutation below makes it certainly invalid. */
  base: fc.Arbitrary<Record<string, unknown>>;
  slots: Slot[];
  /** Keys whose absence is invalid. */
  required: Path[];
  /** The keys the schema knows, at the top and in an item of the body's array. */
  keys: { top: string[]; item?: { array: string; keys: string[] } };
  /** Items of the array must be unique (a duplicate item is invalid). */
  uniqueItems?: string;
  /** Extra hand-written malformed bodies. */
  extra?: unknown[];
  /** An empty body means "no input" and is valid (the endpoint takes none). */
  emptyIsValid?: boolean;
}

const define = (target: any, key: string | number, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
const getAt = (obj: any, path: Path): any => path.reduce((t, k) => t?.[k], obj);
function setAt(obj: any, path: Path, value: unknown) {
  define(getAt(obj, path.slice(0, -1)), path.at(-1)!, value);
}
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface BodyProbe {
  raw: string | Buffer;
  type: string | null;
  note: string;
}
const JSON_TYPE = 'application/json';
const asJson = (raw: string | Buffer, note: string): BodyProbe => ({ raw, type: JSON_TYPE, note });

/** A raw JSON literal that is invalid for a slot of this kind (each is checked by the slot's oracle). */
const RAW_LITERALS: Record<SlotKind, string[]> = {
  number: ['1e400', '-1e400', '-0', '1e-400', '0.5', '-1', '9007199254740993', '1.5e0', '"1"', 'true', 'null', '[1]', '{}'],
  boolean: ['1', '0', '"true"', 'null', '[]', '{}', '-0'],
  string: ['1', 'true', 'null', '[]', '{}', '["x"]', '-0'],
  text: ['1', 'true', 'null', '[]', '{}', '""', '"   "', '"\\u0000x"'],
  array: ['{}', '"x"', 'null', '1', '[]', '{"0":1,"length":1}'],
};
const NON_JSON_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  'application/jsonx',
  'application/octet-stream',
  'text/html',
  'json',
  'application',
  '*/*',
  'application/json-seq',
];
/** Byte sequences that are not UTF-8 (stray continuation, overlong, CESU surrogate, 0xFF, truncated). */
const BAD_UTF8 = [[0xff], [0xfe, 0xff], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc3], [0xf4, 0x90, 0x80, 0x80]].map((b) =>
  Buffer.from(b),
);
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'isAdmin', 'tenantId', 'tenant_id', 'id', 'version', '', ' ', 'Links', 'IDS', 'ids ', '\u0000', '\uD800', "'; drop table link; --"),
  hostileString.filter((s) => s.length < 200),
);

function malformedBodies(spec: BodySpec): fc.Arbitrary<BodyProbe> {
  const { base } = spec;
  const leaf = spec.slots.map((slot) =>
    fc.tuple(base, invalid(slot.ok)).map(([b, v]) => {
      const body = clone(b);
      setAt(body, slot.path, v);
      return asJson(JSON.stringify(body), `${slot.path.join('.')} = ${preview(JSON.stringify(v))}`);
    }),
  );
  const rawLeaf = fc
    .tuple(base, spec.slots.length > 0 ? fc.constantFrom(...spec.slots) : fc.constant(null as unknown as Slot), fc.nat())
    .map(([b, slot, i]) => {
      const literals = RAW_LITERALS[slot.kind].filter((lit) => !slot.ok(JSON.parse(lit)));
      const lit = literals[i % literals.length]!;
      const body = clone(b);
      setAt(body, slot.path, '@@RAW@@');
      return asJson(JSON.stringify(body).replace('"@@RAW@@"', lit), `${slot.path.join('.')} = raw ${lit}`);
    });
  // The same key twice; JSON.parse keeps the last, which is invalid.
  const dupKey = spec.slots
    .filter((slot) => typeof slot.path.at(-1) === 'string')
    .map((slot) =>
      fc.tuple(base, invalid(slot.ok)).map(([b, v]) => {
        const body = clone(b);
        const parentPath = slot.path.slice(0, -1);
        const key = String(slot.path.at(-1));
        const parent = getAt(body, parentPath);
        if (!(key in parent)) define(parent, key, 'placeholder');
        const parentRaw = `${JSON.stringify(parent).slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(v)}}`;
        let raw: string;
        if (parentPath.length === 0) raw = parentRaw;
        else {
          setAt(body, parentPath, '@@PARENT@@');
          raw = JSON.stringify(body).replace('"@@PARENT@@"', parentRaw);
        }
        return asJson(raw, `duplicated key ${slot.path.join('.')}, last = ${preview(JSON.stringify(v))}`);
      }),
    );
  const extraKey = fc.tuple(base, hostileKey, fc.oneof(anyHostile, fc.constantFrom<unknown>(1, true, 'x', null)), fc.boolean()).filter(([, key, , inItem]) => {
    const known = inItem && spec.keys.item ? spec.keys.item.keys : spec.keys.top;
    return !known.includes(key);
  }).map(([b, key, v, inItem]) => {
    const body = clone(b);
    const target = inItem && spec.keys.item ? getAt(body, [spec.keys.item.array, 0]) : body;
    define(target, key, roundTrip(v));
    return asJson(JSON.stringify(body), `extra key ${preview(JSON.stringify(key))}${inItem && spec.keys.item ? ' in an item' : ''}`);
  });
  const dropKey = fc.tuple(base, spec.required.length > 0 ? fc.constantFrom(...spec.required) : fc.constant<Path>([])).map(([b, path]) => {
    const body = clone(b);
    delete getAt(body, path.slice(0, -1))[path.at(-1)!];
    return asJson(JSON.stringify(body), `without ${path.join('.')}`);
  });
  const notObject = fc.oneof(
    anyHostile.map(roundTrip).filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
    base.map((b) => [b] as unknown),
    fc.tuple(base, base).map(([a, b]) => [a, b] as unknown),
  ).map((v) => asJson(JSON.stringify(v), `not an object: ${preview(JSON.stringify(v))}`));
  const deep = fc
    .tuple(fc.integer({ min: 1000, max: 60_000 }), fc.constantFrom('array', 'object', 'in-field'))
    .map(([n, how]) => {
      const arrays = '['.repeat(n) + ']'.repeat(n);
      const raw =
        how === 'array' ? arrays : how === 'object' ? '{"a":'.repeat(n) + '1' + '}'.repeat(n) : `{${JSON.stringify(spec.keys.item?.array ?? spec.keys.top[0] ?? 'x')}:${arrays}}`;
      return asJson(raw, `${n} levels deep (${how})`);
    });
  const badJson = fc.tuple(base, fc.nat(), fc.constantFrom('truncate', 'trailing-comma', 'single-quotes', 'nan', 'comment', 'bom-truncated', 'concat', 'garbage', 'unquoted-keys', 'nul')).map(([b, n, how]) => {
    const text = JSON.stringify(b);
    const raw = {
      truncate: text.slice(0, 1 + (n % (text.length - 1))),
      'trailing-comma': `${text.slice(0, -1)},}`,
      'single-quotes': text.includes('"') ? text.replace(/"/g, "'") : `{'a':${text}}`,
      nan: `${text.slice(0, -1)},"x":NaN}`.replace(/^{,/, '{'),
      comment: `/* hi */${text}`,
      'bom-truncated': `\uFEFF${text.slice(0, -1)}`,
      concat: `${text}${text}`,
      garbage: `${text} trailing`,
      'unquoted-keys': text.includes('":') ? text.replace(/"([A-Za-z]+)":/g, '$1:') : `{a:${text}}`,
      nul: `${text.slice(0, 1)}\u0000${text.slice(1)}`,
    }[how];
    return asJson(raw, `bad JSON (${how})`);
  });
  // Invalid UTF-8: inside a text value (where U+FFFD would be acceptable), inside a key, between tokens.
  const textSlots = spec.slots.filter((s) => s.kind === 'text');
  const badUtf8 = fc.tuple(base, fc.constantFrom(...BAD_UTF8), fc.constantFrom('value', 'key', 'between'), fc.nat()).map(([b, bytes, where, i]) => {
    const body = clone(b);
    let text: string;
    if (where === 'value' && textSlots.length > 0) {
      const slot = textSlots[i % textSlots.length]!;
      setAt(body, slot.path, 'Name @@BAD@@');
      text = JSON.stringify(body);
    } else if (where === 'key' || (where === 'value' && textSlots.length === 0)) {
      define(body, 'k@@BAD@@', 1);
      text = JSON.stringify(body);
    } else {
      text = `${JSON.stringify(body).slice(0, -1)} @@BAD@@}`;
    }
    const [head, tail] = text.split('@@BAD@@') as [string, string];
    return asJson(Buffer.concat([Buffer.from(head), bytes, Buffer.from(tail)]), `invalid UTF-8 ${bytes.toString('hex')} (${where})`);
  });
  const wrongType = fc.tuple(base, fc.constantFrom<string | null>(...NON_JSON_TYPES, null)).map(([b, type]) => ({ raw: JSON.stringify(b), type, note: `content type ${type}` }));
  const empty = fc.constantFrom('', ' ', '\n', '\r\n\t').map((raw) => asJson(raw, `empty body ${JSON.stringify(raw)}`));
  const arms: fc.Arbitrary<BodyProbe>[] = [...leaf, ...leaf, ...dupKey, extraKey, extraKey, notObject, deep, badJson, badUtf8, wrongType];
  if (spec.slots.length > 0) arms.push(rawLeaf);
  if (spec.required.length > 0) arms.push(dropKey);
  if (!spec.emptyIsValid) arms.push(empty);
  if (spec.uniqueItems) {
    const key = spec.uniqueItems;
    arms.push(base.map((b) => {
      const body = clone(b);
      const items = body[key] as unknown[];
      items.push(typeof items[0] === 'string' ? (items[0] as string).toUpperCase() : clone(items[0]));
      return asJson(JSON.stringify(body), `a duplicate item in ${key}`);
    }));
  }
  if (spec.extra?.length) arms.push(fc.constantFrom(...spec.extra).map((v) => asJson(JSON.stringify(v), `hand-written ${preview(JSON.stringify(v))}`)));
  return fc.oneof(...arms);
}

/** Bodies of several megabytes: over every limit (5 MB for the API, 32 KB and 8 KB for the public ones). */
const hugeBodies = (field: string): fc.Arbitrary<BodyProbe> =>
  fc.tuple(fc.constantFrom(5.5, 10, 10.5), fc.constantFrom('string', 'array', 'raw', 'numbers')).map(([mb, how]) => {
    const bytes = Math.round(mb * 1024 * 1024);
    const raw =
      how === 'string'
        ? `{${JSON.stringify(field)}:"${'a'.repeat(bytes)}"}`
        : how === 'array'
          ? `{${JSON.stringify(field)}:[${'"00000000-0000-4000-8000-000000000001",'.repeat(Math.ceil(bytes / 39))}"x"]}`
          : how === 'numbers'
            ? `{${JSON.stringify(field)}:[${'1,'.repeat(Math.ceil(bytes / 2))}1]}`
            : 'x'.repeat(bytes);
    return asJson(raw, `${mb} MB (${how})`);
  });

// ---------------------------------------------------------------------------------------------
// Query strings and headers.

/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates become U+FFFD, as a browser would send them). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const RAW_QUERIES = ['%', '%zz', '%ff%fe', 'a=%c0%af', '&&&', '=', '==', 'a[b]=1', '__proto__[isAdmin]=true', 'constructor[prototype][isAdmin]=true', '__proto__=1', 'a=1&a=2&a=3', '%00=%00', '?', '#x', 'a=%E2%80%AE', 'x'.repeat(9000)];
const queryNoise = fc.oneof(
  fc.array(fc.tuple(hostileKey.filter((k) => k.length < 300), hostileString.filter((s) => s.length < 3000)), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')),
  fc.constantFrom(...RAW_QUERIES),
);
const latin1Printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 200 });
const headerNoise = fc.dictionary(
  fc.constantFrom('x-request-id', 'accept', 'accept-language', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'origin', 'referer', 'if-none-match', 'range', 'cookie', 'content-type', 'x-http-method-override'),
  fc.oneof(latin1Printable, fc.constantFrom('../../etc/passwd', 'evil.example', 'https://evil.example', 'DELETE', 'bytes=0-1', 'session=sls_x', "'; drop table link; --")),
  { maxKeys: 3 },
);

/** Authorization headers that name no live session. */
function badAuthorization(liveTokens: string[]): fc.Arbitrary<string | null> {
  const live = fc.constantFrom(...liveTokens);
  return fc.oneof(
    fc.constant(null),
    fc.constantFrom('Bearer', 'Bearer ', 'Basic x', 'Basic YWRtaW46YWRtaW4=', 'Bearer a b', 'Bearer null', 'Bearer undefined', 'Bearer sls_', `Bearer sls_${'A'.repeat(43)}`, 'Bearer ' + "'; drop table session; --", `Bearer ${'a'.repeat(10_000)}`, 'Negotiate abc', 'Digest x', ''),
    fc.stringMatching(/^sls_[A-Za-z0-9_-]{43}$/).map((t) => `Bearer ${t}`),
    fc.string({ unit: 'binary-ascii', maxLength: 80 }).map((s) => `Bearer ${s}`),
    fc.tuple(live, fc.constantFrom('lower', 'space', 'trailing', 'no-scheme', 'cut', 'extra', 'case', 'token-scheme', 'comma', 'twice', 'nul')).map(([t, how]) => {
      switch (how) {
        case 'lower': return `bearer ${t}`;
        case 'space': return `Bearer  ${t}`;
        case 'trailing': return `Bearer ${t} `;
        case 'no-scheme': return t;
        case 'cut': return `Bearer ${t.slice(0, -1)}`;
        case 'extra': return `Bearer ${t}x`;
        case 'case': return `Bearer ${t.slice(0, 4)}${t.slice(4).toUpperCase() === t.slice(4) ? t.slice(4).toLowerCase() : t.slice(4).toUpperCase()}`;
        case 'token-scheme': return `Token ${t}`;
        case 'comma': return `Bearer ${t}, Bearer ${t}`;
        case 'twice': return `Bearer Bearer ${t}`;
        default: return `Bearer ${t}\u0000`;
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// The endpoints.

interface Endpoint {
  method: string;
  path: string;
}
/** Every route under /api/v1 (all need a session). */
const API_ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/api/v1/session' },
  { method: 'DELETE', path: '/api/v1/session' },
  { method: 'GET', path: '/api/v1/tenant' },
  { method: 'PATCH', path: '/api/v1/tenant' },
  { method: 'PUT', path: '/api/v1/tenant/sync-settings' },
  { method: 'GET', path: '/api/v1/links' },
  { method: 'POST', path: '/api/v1/links' },
  { method: 'PATCH', path: '/api/v1/links' },
  { method: 'POST', path: '/api/v1/links/removal-preview' },
  { method: 'POST', path: '/api/v1/links/removal' },
  { method: 'GET', path: '/api/v1/audit' },
  { method: 'GET', path: '/api/v1/associates' },
  { method: 'POST', path: '/api/v1/microsoft/consent' },
  { method: 'GET', path: '/api/v1/mailboxes' },
  { method: 'POST', path: '/api/v1/mailboxes/check' },
  { method: 'GET', path: '/api/v1/invites' },
  { method: 'POST', path: '/api/v1/invites' },
  { method: 'POST', path: '/api/v1/invites/revoke' },
  { method: 'GET', path: '/api/v1/authorizations' },
  { method: 'POST', path: '/api/v1/authorizations/revoke' },
  { method: 'POST', path: '/api/v1/sync/run' },
  { method: 'POST', path: '/api/v1/sync/release' },
  { method: 'GET', path: '/api/v1/links/removed' },
  { method: 'POST', path: '/api/v1/links/removed/restore' },
  { method: 'POST', path: '/api/v1/links/removed/purge' },
  { method: 'GET', path: '/api/v1/undo' },
  { method: 'POST', path: '/api/v1/undo' },
  { method: 'GET', path: '/api/v1/health' },
  { method: 'POST', path: '/api/v1/health/ignores' },
  { method: 'POST', path: '/api/v1/health/ignores/remove' },
  { method: 'POST', path: '/api/v1/health/repoint' },
  { method: 'GET', path: '/api/v1/alerts/settings' },
  { method: 'PUT', path: '/api/v1/alerts/settings' },
  { method: 'GET', path: '/api/v1/alerts/admins' },
  { method: 'POST', path: '/api/v1/alerts/webhook/secret' },
  { method: 'POST', path: '/api/v1/alerts/test' },
  { method: 'POST', path: '/api/v1/explain' },
  { method: 'GET', path: '/api/v1/ranks' },
  { method: 'POST', path: '/api/v1/ranks/proposal' },
  { method: 'GET', path: '/api/v1/links/export' },
  { method: 'POST', path: '/api/v1/links/import/preview' },
  { method: 'POST', path: '/api/v1/links/import/apply' },
  { method: 'GET', path: '/api/v1/audit/actors' },
  { method: 'GET', path: '/api/v1/audit/export' },
];
const label = (method: string, path: string) => `${method} ${path}`;

const guidOf = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The request body schemas as the README documents them, one spec per mutation. */
function specs(a: TenantSeed, tenantVersion: () => number) {
  const linkIds = a.links.map((l) => l.id);
  const linkItem = fc
    .record({ n: fc.integer({ min: 50_000, max: 59_999 }), diary: fc.boolean(), task: fc.boolean(), contact: fc.boolean(), rank: fc.integer({ min: 1, max: 99 }) })
    .map(({ n, ...options }) => ({ associateId: n, associateName: `Fuzz ${n}`, mailboxId: guidOf(n), mailboxAddress: `fuzz${n}@contoso.example`, ...options }));
  const textSlots = (fields: [string, number, 'line' | 'lines'][]): Slot[] =>
    fields.map(([f, max, lines]) => ({ path: [f], kind: 'text' as const, ok: lines === 'line' ? isLine(max) : isText(max) }));
  return {
    tenant: {
      base: fc.record({ expectedVersion: fc.constant(0).map(() => tenantVersion()), mode: fc.constantFrom('application', 'oauth'), inviteTtlDays: fc.integer({ min: 1, max: 365 }) }),
      slots: [
        { path: ['expectedVersion'], kind: 'number', ok: isInt(1, 2_147_483_647) },
        { path: ['mode'], kind: 'string', ok: isOneOf(['application', 'oauth']) },
        { path: ['inviteTtlDays'], kind: 'number', ok: isInt(1, 365) },
      ],
      required: [['expectedVersion']],
      keys: { top: ['expectedVersion', 'mode', 'inviteTtlDays'] },
      extra: [{ expectedVersion: 1 }, { mode: 'oauth' }, { inviteTtlDays: 7 }],
    } satisfies BodySpec,
    syncSettings: {
      base: fc.record({
        expectedVersion: fc.constant(0).map(() => tenantVersion()),
        windowPastDays: fc.integer({ min: 0, max: 365 }),
        windowFutureDays: fc.integer({ min: 1, max: 730 }),
        conflictWinner: fc.constantFrom('superoffice', 'outlook'),
        timeZone: fc.constantFrom('Europe/Oslo', 'UTC', 'America/New_York', 'Asia/Kolkata'),
      }),
      slots: [
        { path: ['expectedVersion'], kind: 'number', ok: isInt(1, 2_147_483_647) },
        { path: ['windowPastDays'], kind: 'number', ok: isInt(0, 365) },
        { path: ['windowFutureDays'], kind: 'number', ok: isInt(1, 730) },
        { path: ['conflictWinner'], kind: 'string', ok: isOneOf(['superoffice', 'outlook']) },
        { path: ['timeZone'], kind: 'string', ok: (v) => typeof v === 'string' && v.length >= 1 && v.length <= 64 && IANAZone.isValidZone(v) },
      ],
      required: [['expectedVersion'], ['windowPastDays'], ['windowFutureDays'], ['conflictWinner'], ['timeZone']],
      keys: { top: ['expectedVersion', 'windowPastDays', 'windowFutureDays', 'conflictWinner', 'timeZone'] },
      extra: [
        { expectedVersion: 1, windowPastDays: 366, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' },
        { expectedVersion: 1, windowPastDays: 30, windowFutureDays: 731, conflictWinner: 'superoffice', timeZone: 'Europe/Oslo' },
        { expectedVersion: 1, windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: 'Europe/Nowhere' },
        { expectedVersion: 1, windowPastDays: 30, windowFutureDays: 120, conflictWinner: 'superoffice', timeZone: `Europe/${'O'.repeat(60)}` },
      ],
    } satisfies BodySpec,
    syncLinks: {
      base: fc.subarray(linkIds, { minLength: 1 }).map((ids) => ({ linkIds: ids })),
      slots: [
        { path: ['linkIds'], kind: 'array', ok: () => false },
        { path: ['linkIds', 0], kind: 'string', ok: isUuid },
      ],
      required: [['linkIds']],
      keys: { top: ['linkIds'] },
      uniqueItems: 'linkIds',
      extra: [{ linkIds: [] }, { linkIds: Array.from({ length: 1001 }, () => randomUUID()) }],
    } satisfies BodySpec,
    saveLinks: {
      base: fc.uniqueArray(linkItem, { minLength: 1, maxLength: 3, selector: (l) => l.associateId }).map((links) => ({ links })),
      slots: [
        // No hostile value is a valid list of links.
        { path: ['links'], kind: 'array', ok: () => false },
        { path: ['links', 0, 'associateId'], kind: 'number', ok: isInt(1, 2_147_483_647) },
        { path: ['links', 0, 'associateName'], kind: 'text', ok: isName },
        { path: ['links', 0, 'mailboxId'], kind: 'string', ok: isGuid },
        { path: ['links', 0, 'mailboxAddress'], kind: 'string', ok: isEmail },
        { path: ['links', 0, 'diary'], kind: 'boolean', ok: isBool },
        { path: ['links', 0, 'task'], kind: 'boolean', ok: isBool },
        { path: ['links', 0, 'contact'], kind: 'boolean', ok: isBool },
        { path: ['links', 0, 'rank'], kind: 'number', ok: isInt(1, 99) },
      ],
      required: [['links'], ['links', 0, 'associateId'], ['links', 0, 'associateName'], ['links', 0, 'mailboxId'], ['links', 0, 'mailboxAddress']],
      keys: { top: ['links'], item: { array: 'links', keys: ['associateId', 'associateName', 'mailboxId', 'mailboxAddress', 'diary', 'task', 'contact', 'rank'] } },
      uniqueItems: 'links',
      extra: [
        { links: [] },
        // 101 emoji: 101 code points, but 202 UTF-16 units, and nvarchar(200) counts those.
        { links: [{ associateId: 70_001, associateName: '😀'.repeat(101), mailboxId: guidOf(70_001), mailboxAddress: 'emoji@contoso.example' }] },
        { links: [{ associateId: 70_002, associateName: `${'a'.repeat(199)}😀`, mailboxId: guidOf(70_002), mailboxAddress: 'emoji2@contoso.example' }] },
        { links: Array.from({ length: 20_001 }, (_, i) => ({ associateId: i + 1, associateName: 'x', mailboxId: guidOf(i + 1), mailboxAddress: `u${i}@c.example` })) },
      ],
    } satisfies BodySpec,
    saveOptions: {
      base: fc.subarray(a.links.slice(0, 4), { minLength: 1 }).chain((links) =>
        fc.tuple(...links.map((l) => fc.record({ id: fc.constant(l.id), diary: fc.boolean(), task: fc.boolean(), contact: fc.boolean(), rank: fc.integer({ min: 1, max: 99 }), expectedVersion: fc.constant(l.version) }))),
      ).map((changes) => ({ changes })),
      slots: [
        { path: ['changes'], kind: 'array', ok: () => false },
        { path: ['changes', 0, 'id'], kind: 'string', ok: isUuid },
        { path: ['changes', 0, 'diary'], kind: 'boolean', ok: isBool },
        { path: ['changes', 0, 'task'], kind: 'boolean', ok: isBool },
        { path: ['changes', 0, 'contact'], kind: 'boolean', ok: isBool },
        { path: ['changes', 0, 'rank'], kind: 'number', ok: isInt(1, 99) },
        { path: ['changes', 0, 'expectedVersion'], kind: 'number', ok: isInt(1, 2_147_483_647) },
      ],
      required: ['id', 'diary', 'task', 'contact', 'rank', 'expectedVersion'].map((k) => ['changes', 0, k]).concat([['changes']]),
      keys: { top: ['changes'], item: { array: 'changes', keys: ['id', 'diary', 'task', 'contact', 'rank', 'expectedVersion'] } },
      uniqueItems: 'changes',
      extra: [{ changes: [] }],
    } satisfies BodySpec,
    removal: {
      base: fc.subarray(linkIds, { minLength: 1 }).map((ids) => ({ ids })),
      slots: [
        { path: ['ids'], kind: 'array', ok: () => false },
        { path: ['ids', 0], kind: 'string', ok: isUuid },
      ],
      required: [['ids']],
      keys: { top: ['ids'] },
      uniqueItems: 'ids',
      extra: [{ ids: [] }, { ids: Array.from({ length: 20_001 }, () => randomUUID()) }],
    } satisfies BodySpec,
    check: {
      base: fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 5 }).map((ns) => ({ ids: ns.map(guidOf) })),
      slots: [
        { path: ['ids'], kind: 'array', ok: () => false },
        { path: ['ids', 0], kind: 'string', ok: isGuid },
      ],
      required: [['ids']],
      keys: { top: ['ids'] },
      extra: [{ ids: [] }, { ids: Array.from({ length: 1001 }, (_, i) => guidOf(i + 1)) }],
    } satisfies BodySpec,
    invite: {
      base: fc.record(
        {
          associateIds: fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }),
          delivery: fc.constantFrom('email', 'link'),
          senderAddress: fc.constant('kari.nordmann@nordlys.example'),
          senderName: fc.constant('Kari'),
          subject: fc.constant('Connect your mailbox'),
          message: fc.constant('Hello {name}, open {link}'),
          allowOtherMailbox: fc.boolean(),
        },
        { requiredKeys: ['associateIds', 'delivery', 'senderName', 'subject', 'message'] },
      ),
      slots: [
        { path: ['associateIds'], kind: 'array', ok: isArrayOf(1, 100, isInt(1, 2_147_483_647)) },
        { path: ['associateIds', 0], kind: 'number', ok: isInt(1, 2_147_483_647) },
        { path: ['delivery'], kind: 'string', ok: isOneOf(['email', 'link']) },
        { path: ['senderAddress'], kind: 'string', ok: isEmail },
        ...textSlots([['senderName', 200, 'line'], ['subject', 300, 'line'], ['message', 4000, 'lines']]),
        { path: ['allowOtherMailbox'], kind: 'boolean', ok: isBool },
      ],
      required: [['associateIds'], ['delivery']],
      keys: { top: ['associateIds', 'delivery', 'senderAddress', 'senderName', 'subject', 'message', 'allowOtherMailbox'] },
      extra: [
        { associateIds: Array.from({ length: 101 }, (_, i) => i + 1), delivery: 'link' },
        // Within the limits in code points, over them in UTF-16 units (what nvarchar(n) counts).
        { associateIds: [1], delivery: 'email', senderName: '😀'.repeat(101) },
        { associateIds: [1], delivery: 'email', subject: '😀'.repeat(151) },
        { associateIds: [1], delivery: 'email', message: '😀'.repeat(2001) },
      ],
    } satisfies BodySpec,
    revokeInvites: {
      base: fc.subarray([a.invites.open.id, a.invites.expired.id, a.invites.revoked.id], { minLength: 1 }).map((ids) => ({ ids })),
      slots: [
        { path: ['ids'], kind: 'array', ok: isArrayOf(1, 1000, isUuid) },
        { path: ['ids', 0], kind: 'string', ok: isUuid },
      ],
      required: [['ids']],
      keys: { top: ['ids'] },
      extra: [{ ids: Array.from({ length: 1001 }, () => randomUUID()) }],
    } satisfies BodySpec,
    revokeAuthorizations: {
      base: fc.subarray(a.authorizedMailboxIds, { minLength: 1 }).map((mailboxIds) => ({ mailboxIds })),
      slots: [
        { path: ['mailboxIds'], kind: 'array', ok: isArrayOf(1, 1000, isGuid) },
        { path: ['mailboxIds', 0], kind: 'string', ok: isGuid },
      ],
      required: [['mailboxIds']],
      keys: { top: ['mailboxIds'] },
    } satisfies BodySpec,
    open: {
      base: fc.constant({ token: a.invites.open.token }),
      slots: [{ path: ['token'], kind: 'string', ok: isStringOf(1, 100) }],
      required: [['token']],
      keys: { top: ['token'] },
    } satisfies BodySpec,
    restore: {
      base: fc.constant({ ids: [a.removedLinkId] }),
      slots: [
        { path: ['ids'], kind: 'array', ok: () => false },
        { path: ['ids', 0], kind: 'string', ok: isUuid },
      ],
      required: [['ids']],
      keys: { top: ['ids'] },
      uniqueItems: 'ids',
      extra: [{ ids: [] }, { ids: Array.from({ length: 20_001 }, () => randomUUID()) }],
    } satisfies BodySpec,
    purge: {
      base: fc.constant({ ids: [a.removedLinkId], confirm: true, count: 1 }),
      slots: [
        { path: ['ids'], kind: 'array', ok: () => false },
        { path: ['ids', 0], kind: 'string', ok: isUuid },
        // Purging is for good: only `true` confirms, and only the number of ids counts.
        { path: ['confirm'], kind: 'boolean', ok: (v) => v === true },
        { path: ['count'], kind: 'number', ok: (v) => v === 1 },
      ],
      required: [['ids'], ['confirm'], ['count']],
      keys: { top: ['ids', 'confirm', 'count'] },
      uniqueItems: 'ids',
      extra: [{ ids: [a.removedLinkId], confirm: false, count: 1 }, { ids: [a.removedLinkId], confirm: true, count: 2 }, { ids: [a.removedLinkId], count: 1 }],
    } satisfies BodySpec,
    undo: {
      base: fc.constant({ actionId: randomUUID() }),
      slots: [{ path: ['actionId'], kind: 'string', ok: isUuid }],
      required: [['actionId']],
      keys: { top: ['actionId'] },
    } satisfies BodySpec,
    healthKeys: {
      base: fc
        .subarray(linkIds, { minLength: 1 })
        .chain((ids) => fc.tuple(...ids.map((id) => fc.constantFrom('mailbox_disabled', 'sync_breaker', 'email_mismatch').map((kind) => `${kind}:${id}`))))
        .map((keys) => ({ keys })),
      slots: [
        { path: ['keys'], kind: 'array', ok: () => false },
        { path: ['keys', 0], kind: 'string', ok: (v) => typeof v === 'string' && v.length <= 128 && new RegExp(`^(${HEALTH_PROBLEM_KINDS.join('|')}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|a[1-9][0-9]{0,9})$`).test(v.toLowerCase()) },
      ],
      required: [['keys']],
      keys: { top: ['keys'] },
      uniqueItems: 'keys',
      extra: [{ keys: [] }, { keys: ['no_such_kind:a1'] }, { keys: ['unlinked_match:a0'] }, { keys: Array.from({ length: 1001 }, (_, i) => `unlinked_match:a${i + 1}`) }],
    } satisfies BodySpec,
    repoint: {
      base: fc.constantFrom(...a.links.slice(0, 3)).map((l) => ({ linkId: l.id, expectedVersion: l.version })),
      slots: [
        { path: ['linkId'], kind: 'string', ok: isUuid },
        { path: ['expectedVersion'], kind: 'number', ok: isInt(1, 2_147_483_647) },
      ],
      required: [['linkId']],
      keys: { top: ['linkId', 'expectedVersion'] },
      extra: [{ linkId: 'x', expectedVersion: 1 }, { linkId: randomUUID(), expectedVersion: 0 }],
    } satisfies BodySpec,
    rankProposal: {
      base: fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 1, maxLength: 5 }).map((ranks) => ({ ranks })),
      slots: [
        { path: ['ranks'], kind: 'array', ok: () => false },
        { path: ['ranks', 0], kind: 'number', ok: isInt(1, 99) },
      ],
      required: [['ranks']],
      keys: { top: ['ranks'] },
      uniqueItems: 'ranks',
      extra: [{ ranks: [] }, { ranks: [1], linkIds: [] }, { ranks: Array.from({ length: 100 }, (_, i) => i + 1) }],
    } satisfies BodySpec,
  };
}

const bodyProbe = (endpoint: string, method: string, url: string, auth: string | null, b: BodyProbe): Probe => ({
  endpoint,
  method,
  url,
  auth,
  raw: b.raw,
  type: b.type,
  expect: 'refused',
  note: b.note,
});

// ---------------------------------------------------------------------------------------------

describe('fuzz: hostile input against the API (no outbound calls)', () => {
  let h: Harness;
  let target: Target;
  let admin: string;
  let user: string;
  let other: string;
  let a: TenantSeed;
  let b: TenantSeed;
  let bearer: string;
  let spec: ReturnType<typeof specs>;
  const tally = new Tally();

  const tenantVersion = async () => (await h.request('GET', '/api/v1/tenant', { token: admin })).body.version as number;
  let version = 1;

  before(async () => {
    h = await makeHarness();
    admin = await h.token(ADMIN);
    user = await h.token(USER);
    other = await h.token(OTHER_ADMIN);
    a = await seedTenant(h, admin, ADMIN.tenantId, 1000, h.now.value);
    b = await seedTenant(h, other, OTHER_ADMIN.tenantId, 2000, h.now.value);
    // The other tenant works in OAuth mode; this one switched there and back (audited, version 3).
    for (const [token, mode] of [[other, 'oauth'], [admin, 'oauth'], [admin, 'application']] as const) {
      const t = (await h.request('GET', '/api/v1/tenant', { token })).body;
      assert.equal((await h.request('PATCH', '/api/v1/tenant', { token, body: { expectedVersion: t.version, mode } })).status, 200);
    }
    version = await tenantVersion();
    bearer = `Bearer ${admin}`;
    const foreign = [...b.links.map((l) => l.id), b.removedLinkId, ...Object.values(b.invites).map((i) => i.id), ...b.authorizedMailboxIds, b.revokedMailboxId];
    const secrets = [admin, user, other, ...Object.values(a.invites).map((i) => i.token), ...Object.values(b.invites).map((i) => i.token)];
    target = { h, tally, secrets, foreign };
    spec = specs(a, () => version);
  });
  after(() => h.close());

  test('every /api/v1 endpoint refuses hostile Authorization headers with 401 (and reads no body)', async () => {
    const arb = fc
      .tuple(fc.constantFrom(...API_ENDPOINTS), badAuthorization([admin, user, other]), fc.option(malformedBodies(spec.removal), { nil: undefined }))
      .map(([e, auth, body]): Probe => ({ endpoint: label(e.method, e.path), method: e.method, url: e.path, auth, raw: body?.raw, type: body?.type ?? (e.method === 'GET' ? null : JSON_TYPE), expect: 'refused', note: 'hostile authorization' }));
    await check('auth', arb, 500, async (p) => {
      const res = await send(target, p);
      assert.equal(res.status, 401, `${p.method} ${p.url} with ${JSON.stringify(p.auth?.slice(0, 80))}: ${res.status}`);
      assert.ok(['Unauthenticated', 'InvalidSession'].includes(res.body.error.code), res.text);
    });
  });

  const mutation = (name: keyof ReturnType<typeof specs>, method: string, path: string, numRuns = 250) =>
    test(`${method} ${path}: malformed bodies are refused with 4xx and change nothing`, async () => {
      await property(target, `${method} ${path}`, malformedBodies(spec[name]).map((body) => bodyProbe(label(method, path), method, path, bearer, body)), numRuns);
    });
  mutation('tenant', 'PATCH', '/api/v1/tenant');
  mutation('syncSettings', 'PUT', '/api/v1/tenant/sync-settings');
  mutation('syncLinks', 'POST', '/api/v1/sync/run');
  mutation('syncLinks', 'POST', '/api/v1/sync/release');
  mutation('saveLinks', 'POST', '/api/v1/links');
  mutation('saveOptions', 'PATCH', '/api/v1/links');
  mutation('removal', 'POST', '/api/v1/links/removal-preview');
  mutation('removal', 'POST', '/api/v1/links/removal');
  mutation('check', 'POST', '/api/v1/mailboxes/check');
  mutation('invite', 'POST', '/api/v1/invites');
  mutation('revokeInvites', 'POST', '/api/v1/invites/revoke');
  mutation('revokeAuthorizations', 'POST', '/api/v1/authorizations/revoke');
  mutation('restore', 'POST', '/api/v1/links/removed/restore');
  mutation('purge', 'POST', '/api/v1/links/removed/purge');
  mutation('undo', 'POST', '/api/v1/undo');
  mutation('healthKeys', 'POST', '/api/v1/health/ignores');
  mutation('healthKeys', 'POST', '/api/v1/health/ignores/remove');
  mutation('repoint', 'POST', '/api/v1/health/repoint');
  mutation('rankProposal', 'POST', '/api/v1/ranks/proposal');

  test('hand-written edge bodies (limits, emoji against column sizes) all get 400 ValidationFailed', async () => {
    const routes: [keyof ReturnType<typeof specs>, string, string][] = [
      ['tenant', 'PATCH', '/api/v1/tenant'],
      ['syncSettings', 'PUT', '/api/v1/tenant/sync-settings'],
      ['saveLinks', 'POST', '/api/v1/links'],
      ['saveOptions', 'PATCH', '/api/v1/links'],
      ['removal', 'POST', '/api/v1/links/removal-preview'],
      ['removal', 'POST', '/api/v1/links/removal'],
      ['check', 'POST', '/api/v1/mailboxes/check'],
      ['invite', 'POST', '/api/v1/invites'],
      ['revokeInvites', 'POST', '/api/v1/invites/revoke'],
      ['syncLinks', 'POST', '/api/v1/sync/run'],
      ['syncLinks', 'POST', '/api/v1/sync/release'],
      ['healthKeys', 'POST', '/api/v1/health/ignores'],
      ['healthKeys', 'POST', '/api/v1/health/ignores/remove'],
      ['repoint', 'POST', '/api/v1/health/repoint'],
    ];
    for (const [name, method, path] of routes) {
      for (const body of (spec[name] as BodySpec).extra ?? []) {
        const res = await send(target, bodyProbe(label(method, path), method, path, bearer, asJson(JSON.stringify(body), 'hand-written')));
        assert.equal(res.status, 400, `${method} ${path} ${preview(JSON.stringify(body))}: ${res.status} ${res.text.slice(0, 300)}`);
        assert.equal(res.body.error.code, 'ValidationFailed');
      }
    }
  });

  // (The retired id-token accept reads no body: 410 whatever it is sent; see the public probes below.)
  for (const [name, path] of [['open', '/api/public/invites/open']] as const) {
    test(`POST ${path}: malformed bodies are refused with 4xx and change nothing`, async () => {
      await property(target, path, malformedBodies(spec[name]).map((body) => bodyProbe(label('POST', path), 'POST', path, null, body)), 250);
    });
  }

  test('bodies of 5–10 MB are refused with 413 everywhere, before they are read', async () => {
    const endpoints: [string, string, string | null][] = [
      ['PATCH', '/api/v1/tenant', bearer],
      ['PUT', '/api/v1/tenant/sync-settings', bearer],
      ['POST', '/api/v1/sync/run', bearer],
      ['POST', '/api/v1/sync/release', bearer],
      ['POST', '/api/v1/links', bearer],
      ['PATCH', '/api/v1/links', bearer],
      ['POST', '/api/v1/links/removal-preview', bearer],
      ['POST', '/api/v1/links/removal', bearer],
      ['POST', '/api/v1/mailboxes/check', bearer],
      ['POST', '/api/v1/microsoft/consent', bearer],
      ['POST', '/api/v1/invites', bearer],
      ['POST', '/api/v1/invites/revoke', bearer],
      ['POST', '/api/v1/authorizations/revoke', bearer],
      ['POST', '/api/public/invites/open', null],
      ['POST', '/api/public/invites/accept', null],
      ['POST', '/auth/superoffice/ticket', null],
      // Without a session nothing is read at all: still 401.
      ['POST', '/api/v1/links', null],
    ];
    const arb = fc.tuple(fc.constantFrom(...endpoints), hugeBodies('ids')).map(([[method, path, auth], body]): Probe => ({ ...bodyProbe(label(method, path), method, path, auth, body), note: `${body.note}` }));
    await check('huge', arb, 34, async (p) => {
      const res = await send(target, p);
      if (p.auth === null && p.url.startsWith('/api/v1')) assert.equal(res.status, 401);
      else if (p.url === '/auth/superoffice/ticket') assert.ok([404, 413].includes(res.status), `${res.status}`);
      else assert.equal(res.status, 413, `${p.method} ${p.url} ${p.note}: ${res.status} ${res.text.slice(0, 200)}`);
    });
  });

  test("another tenant's ids, unknown ids and stale versions are refused (404/409) and change nothing", async () => {
    const bLinks = b.links.map((l) => l.id);
    const unknown = fc.uuid({ version: 4 });
    const someId = fc.oneof(fc.constantFrom(...bLinks, b.removedLinkId, a.removedLinkId), unknown, fc.constantFrom(...bLinks).map((s) => s.toUpperCase()));
    const options = { diary: fc.boolean(), task: fc.boolean(), contact: fc.boolean(), rank: fc.integer({ min: 1, max: 99 }) };
    const json = (endpoint: string, method: string, path: string, body: unknown, note: string): Probe => ({ endpoint, method, url: path, auth: bearer, raw: JSON.stringify(body), type: JSON_TYPE, expect: 'refused', note });
    // One foreign or unknown id in an otherwise good batch of this tenant's ids: all or nothing.
    const mixedIds = fc.tuple(fc.subarray(a.links.map((l) => l.id)), someId, fc.nat()).map(([own, foreign, at]) => {
      const ids = [...own];
      ids.splice(at % (ids.length + 1), 0, foreign);
      return [...new Set(ids.map((x) => x.toLowerCase()))].length === ids.length ? ids : [foreign];
    });
    const arb = fc.oneof(
      mixedIds.map((ids) => json('POST /api/v1/links/removal-preview', 'POST', '/api/v1/links/removal-preview', { ids }, 'foreign id')),
      mixedIds.map((ids) => json('POST /api/v1/links/removal', 'POST', '/api/v1/links/removal', { ids }, 'foreign id')),
      mixedIds.map((linkIds) => json('POST /api/v1/sync/run', 'POST', '/api/v1/sync/run', { linkIds }, 'foreign id')),
      mixedIds.map((linkIds) => json('POST /api/v1/sync/release', 'POST', '/api/v1/sync/release', { linkIds }, 'foreign id')),
      fc.tuple(fc.integer({ min: -2, max: 50 }).filter((d) => d !== 0), fc.integer({ min: 0, max: 365 })).map(([d, past]) =>
        json('PUT /api/v1/tenant/sync-settings', 'PUT', '/api/v1/tenant/sync-settings', { expectedVersion: Math.max(1, version + d) === version ? version + 1 : Math.max(1, version + d), windowPastDays: past, windowFutureDays: 120, conflictWinner: 'outlook', timeZone: 'UTC' }, 'stale tenant version'),
      ),
      fc.tuple(someId, fc.record(options), fc.integer({ min: 1, max: 5 })).map(([id, o, v]) => json('PATCH /api/v1/links', 'PATCH', '/api/v1/links', { changes: [{ id, ...o, expectedVersion: v }] }, 'foreign link')),
      fc.tuple(fc.constantFrom(...a.links), fc.record(options), fc.integer({ min: -3, max: 3 }).filter((d) => d !== 0)).map(([l, o, d]) =>
        json('PATCH /api/v1/links', 'PATCH', '/api/v1/links', { changes: [{ id: l.id, ...o, expectedVersion: Math.max(1, l.version + d) === l.version ? l.version + 1 : Math.max(1, l.version + d) }] }, 'stale version'),
      ),
      fc.tuple(fc.constantFrom(...a.links), fc.integer({ min: 60_000, max: 69_999 }), fc.boolean()).map(([l, n, sameAssociate]) =>
        json('POST /api/v1/links', 'POST', '/api/v1/links', { links: [sameAssociate ? { associateId: l.associateId, associateName: 'Again', mailboxId: guidOf(n), mailboxAddress: `again${n}@contoso.example` } : { associateId: n, associateName: 'Again', mailboxId: l.mailboxId.toUpperCase(), mailboxAddress: `again${n}@contoso.example` }] }, 'already linked'),
      ),
      fc.tuple(fc.constantFrom(...Object.values(b.invites).map((i) => i.id), a.invites.accepted.id), unknown, fc.boolean()).map(([id, u, both]) => json('POST /api/v1/invites/revoke', 'POST', '/api/v1/invites/revoke', { ids: both ? [a.invites.open.id, id, u] : [id] }, 'foreign invite')),
      fc.tuple(fc.constantFrom(...b.authorizedMailboxIds, b.revokedMailboxId, guidOf(424242)), fc.boolean()).map(([id, both]) => json('POST /api/v1/authorizations/revoke', 'POST', '/api/v1/authorizations/revoke', { mailboxIds: both ? [...a.authorizedMailboxIds, id] : [id] }, 'foreign mailbox')),
      fc.tuple(fc.integer({ min: -2, max: 50 }).filter((d) => d !== 0), fc.constantFrom('application', 'oauth')).map(([d, mode]) => json('PATCH /api/v1/tenant', 'PATCH', '/api/v1/tenant', { expectedVersion: Math.max(1, version + d) === version ? version + 1 : Math.max(1, version + d), mode }, 'stale tenant version')),
    );
    await check('foreign', arb, 400, async (p) => {
      const res = await send(target, p);
      assert.ok([404, 409].includes(res.status), `${p.note}: ${res.status} ${res.text.slice(0, 300)}`);
    });
  });

  test('GET endpoints: hostile query strings and headers never fail, never change anything, never show another tenant', async () => {
    const gets = ['/api/v1/session', '/api/v1/tenant', '/api/v1/links', '/api/v1/invites', '/api/v1/authorizations', '/api/v1/audit'];
    const arb = fc.tuple(fc.constantFrom(...gets), queryNoise, headerNoise, fc.constantFrom(admin, user, other)).map(([path, q, headers, token]): Probe => ({
      endpoint: label('GET', path),
      method: 'GET',
      url: `${path}?${q}`,
      auth: `Bearer ${token}`,
      headers,
      type: headers['content-type'] ?? null,
      expect: 'any',
      note: 'query noise',
    }));
    await check('gets', arb, 400, async (p) => {
      const asOther = p.auth === `Bearer ${other}`;
      await send({ ...target, foreign: asOther ? [...a.links.map((l) => l.id), ...Object.values(a.invites).map((i) => i.id), ...a.authorizedMailboxIds] : target.foreign }, p);
    });
  });

  test('GET /api/v1/audit: bad paging values are refused; hostile entity ids find nothing', async () => {
    const INVALID: Record<string, string[]> = {
      limit: ['0', '-1', '501', '1.5', 'NaN', 'Infinity', '-Infinity', '1e400', '1e308', 'abc', '', "'; drop table audit_log; --", '9007199254740993', '-0', '[]', '5 5'],
      before: ['0', '-1', '1.5', 'NaN', 'Infinity', '1e400', '1e308', 'abc', '', '9007199254740993', '-0', "1'--"],
      entityId: ['', 'x'.repeat(65), 'é'.repeat(65)],
    };
    const bad = fc.oneof(
      fc.constantFrom(...Object.entries(INVALID).flatMap(([k, vs]) => vs.map((v) => `${k}=${pct(v)}`))),
      fc.tuple(fc.constantFrom('limit', 'before', 'entityId'), fc.constantFrom('1', '2', 'x')).map(([k, v]) => `${k}=${v}&${k}=${v}`),
      fc.tuple(hostileKey.filter((k) => !['limit', 'before', 'entityId', ''].includes(k) && k.length < 100), fc.constantFrom('1', 'x')).map(([k, v]) => `${pct(k)}=${v}`),
    );
    const probes = fc.oneof(
      bad.map((q): Probe => ({ endpoint: 'GET /api/v1/audit', method: 'GET', url: `/api/v1/audit?${q}`, auth: bearer, expect: 'refused', note: 'bad paging' })),
      fc.oneof(hostileString.filter((s) => s.length >= 1 && s.length <= 40 && !/[\uD800-\uDFFF]/.test(s)), fc.constantFrom(...b.links.map((l) => l.id), b.revokedMailboxId, OTHER_ADMIN.tenantId, b.invites.open.id)).map((id): Probe => ({
        endpoint: 'GET /api/v1/audit',
        method: 'GET',
        url: `/api/v1/audit?entityId=${pct(id)}&limit=${1 + (id.length % 500)}`,
        auth: bearer,
        expect: 'any',
        note: `entity ${JSON.stringify(id)}`,
      })),
    );
    await check('audit', probes, 300, async (p) => {
      const res = await send(target, p);
      // Another tenant's ids are checked by send(): they never appear in a successful answer.
      if (res.status === 200 && p.note.startsWith('entity')) assert.deepEqual(res.body.entries, [], `${p.note} found entries`);
    });
  });

  test('GET /api/v1/mailboxes: cursors that are not URLs are refused before Microsoft 365 is asked', async () => {
    const notUrl = fc.oneof(hostileString, fc.constantFrom('graph.microsoft.com/v1.0/users', '/v1.0/users?$skiptoken=x', '//evil.example/x', 'x'.repeat(4001))).filter((s) => !z.url().safeParse(s).success || s.length > 4000);
    const arb = fc.oneof(
      notUrl.map((c) => `cursor=${pct(c)}`),
      fc.constantFrom('cursor=https://graph.microsoft.com/v1.0/users&cursor=https://graph.microsoft.com/v1.0/users', 'cursor[]=x', 'top=5', 'cursor=https://graph.microsoft.com/v1.0/users&extra=1', `cursor=https://graph.microsoft.com/${'a'.repeat(4000)}`),
    ).map((q): Probe => ({ endpoint: 'GET /api/v1/mailboxes', method: 'GET', url: `/api/v1/mailboxes?${q}`, auth: bearer, expect: 'refused', note: 'bad cursor' }));
    await property(target, 'mailboxes-plain', arb, 150);
  });

  test('DELETE /api/v1/session signs nobody out for a hostile token', async () => {
    const arb = badAuthorization([admin, user, other]).map((auth): Probe => ({ endpoint: 'DELETE /api/v1/session', method: 'DELETE', url: '/api/v1/session', auth, expect: 'refused', note: 'hostile token' }));
    await property(target, 'signout', arb, 150);
    for (const token of [admin, user, other]) assert.equal((await h.request('GET', '/api/v1/session', { token })).status, 200, 'the sessions still work');
  });

  test('POST /api/v1/links/import/preview and /apply: hostile files and fingerprints never fail, change nothing unless valid, show no other tenant', async () => {
    const exported = await send(target, { endpoint: 'GET /api/v1/links/export', method: 'GET', url: '/api/v1/links/export', auth: bearer, expect: 'any', note: 'export' });
    assert.equal(exported.status, 200);
    const header = 'Associate ID,Associate,Mailbox ID,Mailbox,Diary,Task,Contact,Server Rank,State';
    const cell = hostileString.map((v) => `"${v.replace(/"/g, '""')}"`);
    const file = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((b) => ({ raw: Buffer.from(b), note: 'random bytes' })),
      fc.array(fc.array(cell, { minLength: 9, maxLength: 9 }), { maxLength: 6 }).map((rows) => ({ raw: [header, ...rows.map((r) => r.join(','))].join('\r\n'), note: 'hostile cells' })),
      fc.array(cell, { minLength: 1, maxLength: 12 }).map((h) => ({ raw: `${h.join(',')}\r\n`, note: 'hostile header' })),
    );
    const arb = fc
      .tuple(file, fc.constantFrom('preview', 'apply'), fc.oneof(fc.string({ unit: fc.constantFrom(...'AZaz09_-'.split('')), minLength: 43, maxLength: 43 }), hostileString.filter(wellFormed)))
      .map(([f, path, fp]): Probe => {
        const url = path === 'preview' ? '/api/v1/links/import/preview' : `/api/v1/links/import/apply?fingerprint=${encodeURIComponent(fp)}&skipRefused=true`;
        return { endpoint: label('POST', `/api/v1/links/import/${path}`), method: 'POST', url, auth: bearer, raw: f.raw, type: 'text/csv', expect: 'any', note: f.note };
      });
    await check('csv import', arb, 250, async (p) => {
      const res = await send(target, p);
      assert.ok([200, 400, 409].includes(res.status), `${p.url} ${p.note}: ${res.status} ${res.text.slice(0, 300)}`);
    });
  });

  test('GET /api/v1/audit, /audit/export and /audit/actors: hostile filter values are refused; any valid filter shows only this tenant', async () => {
    const INVALID: Record<string, string[]> = {
      actor: ['0', '-1', '1.5', 'NaN', 'Infinity', '1e400', 'abc', '', '2147483648', '9007199254740993', "5'--", '[]'],
      category: ['', 'Links', 'link', 'everything', "links'--", 'links%', '_', 'other ', '\u0000links'],
      action: ['', 'link', 'link.', '.removed', 'LINK.removed', 'link.%', 'link._', 'link.removed;--', 'link removed', `a.${'b'.repeat(63)}`, 'é.x'],
      from: ['', 'yesterday', '2026-02-30', '2026-13-01', '2026-12-03T10:00:00', '1999-12-31', '0000-01-01', '+275760-09-13', '2026-12-03T25:00:00Z', '1733270400000'],
      to: ['', 'now', '2026-12-32', '2026-12-03 10:00:00Z', '10000-01-01'],
    };
    const keys = ['actor', 'category', 'action', 'entityId', 'from', 'to'];
    const bad = fc.oneof(
      fc.constantFrom(...Object.entries(INVALID).flatMap(([k, vs]) => vs.map((v) => `${k}=${pct(v)}`))),
      fc.tuple(fc.constantFrom(...keys), fc.constantFrom('5', 'links', '2026-12-01')).map(([k, v]) => `${k}=${v}&${k}=${v}`),
      fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 400 })).map(([d, back]) => {
        const to = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();
        return `from=${new Date(Date.parse(to) + back).toISOString()}&to=${to}`;
      }),
      fc.tuple(hostileString.filter((v) => !(AUDIT_CATEGORIES as readonly string[]).includes(v)), fc.constant('category')).map(([v, k]) => `${k}=${pct(v)}`),
      fc.tuple(hostileString.filter((v) => !/^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$/.test(v) || v.length > 64), fc.constant('action')).map(([v, k]) => `${k}=${pct(v)}`),
    );
    const day = fc.integer({ min: 0, max: 60 }).map((d) => new Date(Date.UTC(2026, 10, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const valid = fc
      .record(
        {
          actor: fc.constantFrom('5', '6', '1', '2147483647'),
          category: fc.constantFrom(...AUDIT_CATEGORIES),
          action: fc.constantFrom('link.created', 'link.removed', 'tenant.mode_changed', 'invite.created', 'links.imported', 'nothing.here'),
          entityId: fc.constantFrom(...b.links.map((l) => l.id), OTHER_ADMIN.tenantId, a.links[0]!.id),
          from: day,
          to: day,
        },
        { requiredKeys: [] },
      )
      .map((q) => {
        if (q.from && q.to && q.from > q.to) [q.from, q.to] = [q.to, q.from];
        return Object.entries(q).map(([k, v]) => `${k}=${pct(v!)}`).join('&');
      });
    const paths = ['/api/v1/audit', '/api/v1/audit/export'];
    const probes = fc.oneof(
      fc.tuple(fc.constantFrom(...paths), bad).map(([path, q]): Probe => ({ endpoint: label('GET', path), method: 'GET', url: `${path}?${q}`, auth: bearer, expect: 'refused', note: 'bad filter' })),
      fc.tuple(fc.constantFrom(...paths), valid).map(([path, q]): Probe => ({ endpoint: label('GET', path), method: 'GET', url: `${path}?${q}`, auth: bearer, expect: 'any', note: 'valid filter' })),
      fc.tuple(hostileKey.filter((k) => k.length > 0 && k.length < 100), fc.constantFrom('1', 'x')).map(([k, v]): Probe => ({ endpoint: 'GET /api/v1/audit/actors', method: 'GET', url: `/api/v1/audit/actors?${pct(k)}=${v}`, auth: bearer, expect: 'refused', note: 'actors take no parameter' })),
      fc.constant<Probe>({ endpoint: 'GET /api/v1/audit/actors', method: 'GET', url: '/api/v1/audit/actors', auth: bearer, expect: 'any', note: 'actors' }),
    );
    await check('audit-filters', probes, 300, async (p) => {
      const res = await send({ ...target, foreign: [...target.foreign, OTHER_ADMIN.associateName] }, p);
      if (p.note === 'valid filter') assert.equal(res.status, 200, `${p.url}: ${res.text.slice(0, 300)}`);
    });
  });

  test('totals', (t) => {
    tally.report(t, 'fuzz (store only)');
    const reached: Record<string, number[]> = Object.fromEntries(API_ENDPOINTS.map((e) => [label(e.method, e.path), [401]]));
    for (const path of ['/api/v1/session', '/api/v1/tenant', '/api/v1/links', '/api/v1/invites', '/api/v1/authorizations', '/api/v1/audit']) reached[label('GET', path)]!.push(200);
    for (const [method, path] of [['GET', '/api/v1/audit'], ['GET', '/api/v1/mailboxes'], ['PATCH', '/api/v1/tenant'], ['POST', '/api/v1/links'], ['PATCH', '/api/v1/links'], ['POST', '/api/v1/links/removal-preview'], ['POST', '/api/v1/links/removal'], ['POST', '/api/v1/mailboxes/check'], ['POST', '/api/v1/invites'], ['POST', '/api/v1/invites/revoke'], ['POST', '/api/v1/authorizations/revoke'], ['PUT', '/api/v1/tenant/sync-settings'], ['POST', '/api/v1/sync/run'], ['POST', '/api/v1/sync/release']]) reached[label(method!, path!)]!.push(400);
    for (const path of ['/api/v1/links/removal-preview', '/api/v1/links/removal', '/api/v1/invites/revoke', '/api/v1/authorizations/revoke', '/api/v1/sync/run', '/api/v1/sync/release']) reached[label('POST', path)]!.push(404);
    reached[label('PUT', '/api/v1/tenant/sync-settings')]!.push(409);
    reached[label('PATCH', '/api/v1/links')]!.push(404, 409);
    reached[label('POST', '/api/v1/links')]!.push(409);
    reached[label('PATCH', '/api/v1/tenant')]!.push(409);
    for (const path of ['/api/v1/links/removed/restore', '/api/v1/links/removed/purge', '/api/v1/undo']) reached[label('POST', path)]!.push(400);
    reached[label('POST', '/api/v1/ranks/proposal')]!.push(400);
    for (const path of ['/api/v1/audit/actors', '/api/v1/audit/export']) reached[label('GET', path)]!.push(200, 400);
    reached[label('POST', '/api/public/invites/open')] = [400];
    // The retired id-token accept is only sent huge bodies here (413).
    reached[label('POST', '/api/public/invites/accept')] = [];
    // Only the huge bodies go there in this part (the simulators part sends it tickets).
    reached[label('POST', '/auth/superoffice/ticket')] = [];
    for (const path of ['/api/v1/health/ignores', '/api/v1/health/ignores/remove', '/api/v1/health/repoint']) reached[label('POST', path)]!.push(400);
    reached[label('GET', '/api/v1/links/export')]!.push(200);
    reached[label('POST', '/api/v1/links/import/preview')]!.push(200, 400);
    reached[label('POST', '/api/v1/links/import/apply')]!.push(400, 409);
    tally.assertRun(reached);
  });
});

describe('fuzz: hostile input against the endpoints that call SuperOffice or Microsoft 365 (simulators)', () => {
  let h: IntegrationHarness;
  let target: Target;
  let admin: string;
  let other: string;
  let a: TenantSeed;
  let b: TenantSeed;
  let bearer: string;
  let graphOrigin: string;
  let nextLink: string;
  const tally = new Tally();

  before(async () => {
    h = await makeIntegrationHarness({ consentGranted: false });
    admin = (await h.signIn(DEMO_CASES.adminAssociateIds[0]!)).message.token!;
    other = await h.token(OTHER_ADMIN);
    assert.equal((await h.consent(admin)).message.type, 'mailbox-link:consented');
    const me = (await h.request('GET', '/api/v1/session', { token: admin })).body;
    a = await seedTenant(h, admin, me.tenantId, 1000, new Date());
    b = await seedTenant(h, other, OTHER_ADMIN.tenantId, 2000, new Date());
    bearer = `Bearer ${admin}`;
    graphOrigin = new URL(h.env.config.microsoft!.graphUrl).origin;
    // A short first page, so there is a real next link to page on with.
    const first = await h.request('GET', `/api/v1/mailboxes?cursor=${pct(`${graphOrigin}/v1.0/users?$select=id,mail&$top=5`)}`, { token: admin });
    assert.equal(first.status, 200, first.text);
    nextLink = first.body.next;
    assert.ok(nextLink?.startsWith(`${graphOrigin}/v1.0/users?`), `a next link: ${nextLink}`);
    const foreign = [...b.links.map((l) => l.id), ...Object.values(b.invites).map((i) => i.id), ...b.authorizedMailboxIds];
    const secrets = [admin, other, ...Object.values(a.invites).map((i) => i.token), ...Object.values(b.invites).map((i) => i.token)];
    target = { h, tally, secrets, foreign };
  });
  after(() => h.closeAll());

  test('GET /api/v1/mailboxes?cursor=: a cursor that is not a Graph next link is refused (no token goes elsewhere)', async () => {
    const id = DEMO_CASES.adminMailboxId;
    const notGraphUsers = fc.oneof(
      fc.constantFrom(
        'https://evil.example/v1.0/users',
        'http://127.0.0.1/v1.0/users',
        'HTTPS://evil.example/v1.0/users',
        'mailto:admin@contoso.example',
        'javascript:alert(1)',
        'data:text/plain,hello',
        'file:///etc/passwd',
        'graph.microsoft.com:https://x@evil.example/v1.0/users',
        'x:https://evil.example/v1.0/users',
        'urn:https://evil.example/v1.0/users',
        'https://graph.microsoft.com@evil.example/v1.0/users',
        'https://evil.example/https://graph.microsoft.com/v1.0/users',
        `${graphOrigin.replace('https:', 'http:')}/v1.0/users`,
        `${graphOrigin.replace('https://', 'https://user:pw@')}/v1.0/users`,
      ),
      fc.constantFrom('/v1.0/me', `/v1.0/users/${id}`, `/v1.0/users/${id}/mailboxSettings`, `/v1.0/users/${id}/sendMail`, '/v1.0/organization', '/beta/users', '/v1.0/users/$count', '/v1.0/$batch', '/v1.0/groups', '/v1.0/users/..%2f..%2fgroups', '/v1.0/users/', '/v1.0/users#x', '/v1.0/Users', '/v1.0//users').map((p) => `${graphOrigin}${p}`),
    );
    // The users list with other query options: no other resource, so possibly valid; never a 5xx.
    const graphUsers = fc.oneof(
      fc.constantFrom('$skiptoken=garbage', '$top=999&$skiptoken=%00', "$filter=startswith(displayName,'a')", '$select=displayName', '$select=', '$top=0', '$top=-1', '$top=1000000', '$expand=manager', '$count=maybe', '$search="x"', '$select=mailboxSettings', '$select=id,mailboxSettings', '$orderby=nothing desc'),
      fc.tuple(fc.constantFrom('$skiptoken', '$top', '$select', '$filter', '$expand', '$orderby', 'api-version'), hostileString.filter((s) => s.length < 500)).map(([k, v]) => `${k}=${pct(v)}`),
    ).map((q) => `${graphOrigin}/v1.0/users?${q}`);
    const arb = fc.oneof(
      notGraphUsers.map((c): Probe => ({ endpoint: 'GET /api/v1/mailboxes', method: 'GET', url: `/api/v1/mailboxes?cursor=${pct(c)}`, auth: bearer, expect: 'refused', note: `cursor ${c.slice(0, 120)}` })),
      graphUsers.map((c): Probe => ({ endpoint: 'GET /api/v1/mailboxes', method: 'GET', url: `/api/v1/mailboxes?cursor=${pct(c)}`, auth: bearer, expect: 'any', note: `users cursor ${c.slice(0, 120)}` })),
    );
    await check('cursor', arb, 100, async (p) => {
      const res = await send(target, p);
      if (p.expect === 'refused') assert.equal(res.body.error.code, 'InvalidCursor', res.text);
    });
    // The real next link still pages on.
    const page = await h.request('GET', `/api/v1/mailboxes?cursor=${pct(nextLink)}`, { token: admin });
    assert.equal(page.status, 200, page.text);
  });

  test('POST /api/v1/mailboxes/check: hostile but well-formed ids are answered per id; malformed bodies are refused', async () => {
    const good = fc.uniqueArray(fc.oneof(fc.uuid().map((u) => u.toUpperCase()), fc.constantFrom(...b.authorizedMailboxIds, DEMO_CASES.roomMailboxId, guidOf(0), 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000')), { minLength: 1, maxLength: 25 });
    const spec = specs(a, () => 1).check;
    const arb = fc.oneof(
      good.map((ids): Probe => ({ endpoint: 'POST /api/v1/mailboxes/check', method: 'POST', url: '/api/v1/mailboxes/check', auth: bearer, raw: JSON.stringify({ ids }), type: JSON_TYPE, expect: 'any', note: 'well-formed ids' })),
      malformedBodies(spec).map((body) => bodyProbe('POST /api/v1/mailboxes/check', 'POST', '/api/v1/mailboxes/check', bearer, body)),
    );
    // The answer names the ids it was asked about (another tenant's mailbox ids included): no foreign-id check here.
    await property({ ...target, foreign: [] }, 'check-sim', arb, 60);
  });

  test('POST /api/v1/microsoft/consent: the request takes no input; anything but {} is refused', async () => {
    const spec: BodySpec = { base: fc.constant({}), slots: [], required: [], keys: { top: [] }, emptyIsValid: true };
    const arb = malformedBodies(spec).map((body) => bodyProbe('POST /api/v1/microsoft/consent', 'POST', '/api/v1/microsoft/consent', bearer, body));
    await property({ ...target, mayWrite: ['login_state'] }, 'consent', arb, 80);
  });

  test('GET /api/v1/associates: hostile query strings and headers change nothing', async () => {
    const arb = fc.tuple(queryNoise, headerNoise).map(([q, headers]): Probe => ({ endpoint: 'GET /api/v1/associates', method: 'GET', url: `/api/v1/associates?${q}`, auth: bearer, headers, type: headers['content-type'] ?? null, expect: 'any', note: 'query noise' }));
    await property(target, 'associates', arb, 25);
  });

  test('POST /api/v1/invites: unknown associates and senders invite nobody; malformed bodies are refused', async () => {
    const spec = specs(a, () => 1).invite;
    const arb = fc.oneof(
      fc.record({ ids: fc.uniqueArray(fc.integer({ min: 100_000, max: 2_147_483_647 }), { minLength: 1, maxLength: 5 }), allow: fc.boolean() }).map(({ ids, allow }): Probe => ({
        endpoint: 'POST /api/v1/invites', method: 'POST', url: '/api/v1/invites', auth: bearer, raw: JSON.stringify({ associateIds: ids, delivery: 'link', allowOtherMailbox: allow }), type: JSON_TYPE, expect: 'any', note: 'unknown associates',
      })),
      fc.tuple(fc.constantFrom('nobody@nordlys.example', 'x@evil.example', 'a.b+c@nordlys.example', `${'a'.repeat(64)}@nordlys.example`), fc.integer({ min: 1, max: 80 })).map(([sender, id]): Probe => ({
        endpoint: 'POST /api/v1/invites', method: 'POST', url: '/api/v1/invites', auth: bearer, raw: JSON.stringify({ associateIds: [id], delivery: 'email', senderAddress: sender }), type: JSON_TYPE, expect: 'refused', note: 'unknown sender',
      })),
      malformedBodies(spec).map((body) => bodyProbe('POST /api/v1/invites', 'POST', '/api/v1/invites', bearer, body)),
    );
    await check('invites-sim', arb, 50, async (p) => {
      const before = await dumpWithout(h);
      const res = await send(target, p);
      if (p.note === 'unknown associates') {
        assert.equal(res.status, 200, res.text);
        assert.deepEqual(res.body.invites, []);
        assert.equal(await dumpWithout(h), before, 'inviting nobody wrote something');
      }
    });
  });

  test('POST /api/public/invites/open and /accept: every token but a live one is refused (404/409/410) and changes nothing', async () => {
    const dead = [a.invites.revoked, a.invites.expired, a.invites.accepted, a.invites.failed, b.invites.revoked, b.invites.accepted].map((i) => i.token);
    const live = a.invites.open.token;
    const token = fc.oneof(
      hostileString.filter((s) => s.length >= 1 && s.length <= 100),
      fc.constantFrom(...dead),
      fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      fc.constantFrom(live.toUpperCase(), live.toLowerCase(), `${live.slice(0, -1)}${live.at(-1) === 'A' ? 'B' : 'A'}`, live.slice(0, 42), `${live}=`, ` ${live}`, `${live}\u0000`, encodeURIComponent(`${live}'`)),
    ).filter((t) => t !== live);
    const idToken = fc.oneof(
      hostileString.filter((s) => s.length >= 1 && s.length <= 16_384),
      fc.constantFrom(
        'eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4Iiwibm9uY2UiOiJzZWVkZWQtbm9uY2UifQ.',
        'eyJhbGciOiJIUzI1NiJ9.eyJub25jZSI6InNlZWRlZC1ub25jZSJ9.c2ln',
        `${Buffer.from('{"alg":"RS256","kid":"../../../../etc/passwd"}').toString('base64url')}.${Buffer.from('{"nonce":"seeded-nonce","oid":"x","tid":"y"}').toString('base64url')}.${randomBytes(256).toString('base64url')}`,
        `${Buffer.from('{"alg":"RS256","jku":"https://evil.example/keys"}').toString('base64url')}.e30.${randomBytes(256).toString('base64url')}`,
        'a.b.c',
        '...',
        `${'eyJ'.repeat(5000)}.x.y`,
      ),
    );
    const arb = fc.oneof(
      token.map((t): Probe => ({ endpoint: 'POST /api/public/invites/open', method: 'POST', url: '/api/public/invites/open', auth: null, raw: JSON.stringify({ token: t }), type: JSON_TYPE, expect: 'refused', note: 'dead token' })),
      fc.tuple(fc.oneof(token, fc.constant(live)), idToken).map(([t, id]): Probe => ({ endpoint: 'POST /api/public/invites/accept', method: 'POST', url: '/api/public/invites/accept', auth: null, raw: JSON.stringify({ token: t, idToken: id }), type: JSON_TYPE, expect: 'refused', note: t === live ? 'live token, hostile id token (retired: 410)' : 'dead token (retired: 410)' })),
    );
    await property(target, 'public', arb, 120);
  });

  test('POST /auth/superoffice/ticket: hostile tickets are refused and change nothing', async () => {
    const ticketSpec: BodySpec = {
      base: fc.constant({ ticket: '7T:dGVzdA==', tenant: 'Cust12345' }),
      slots: [
        { path: ['ticket'], kind: 'string', ok: (v) => typeof v === 'string' && v.length >= 4 && v.length <= 2000 && /^\S+$/.test(v) },
        { path: ['tenant'], kind: 'string', ok: (v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v) },
      ],
      required: [['ticket']],
      keys: { top: ['ticket', 'tenant'] },
    };
    const wellFormed = fc.oneof(
      fc.string({ unit: fc.oneof(fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), oddChar), minLength: 4, maxLength: 300 }),
      fc.constantFrom("7T:'';drop table session;--", '7T:\u0000\u0000\u0000\u0000', '7T:\uD800\uD800', '7T:😀😀😀', `7T:${'A'.repeat(1990)}`, '8A:Cust12345.x', 'SOTicket', '7T:é\u202e'),
    ).filter((t) => t.length >= 4 && t.length <= 2000 && /^\S+$/.test(t));
    const arb = fc.oneof(
      wellFormed.map((t): Probe => ({ endpoint: 'POST /auth/superoffice/ticket', method: 'POST', url: '/auth/superoffice/ticket', auth: null, raw: JSON.stringify({ ticket: t }), type: JSON_TYPE, expect: 'refused', note: 'forged ticket' })),
      malformedBodies(ticketSpec).map((body) => bodyProbe('POST /auth/superoffice/ticket', 'POST', '/auth/superoffice/ticket', null, body)),
    );
    await property(target, 'ticket', arb, 100);
  });

  test('GET /auth/superoffice/start?tenant=: a hostile hint is dropped, never reflected; only a login state is written', async () => {
    const superoffice = new URL(h.env.superoffice.url).origin;
    const arb = fc.oneof(queryNoise, hostileString.map((s) => `tenant=${pct(s)}`), fc.constantFrom('tenant=Cust12345&tenant=Cust99999', 'tenant[]=x')).map((q): Probe => ({ endpoint: 'GET /auth/superoffice/start', method: 'GET', url: `/auth/superoffice/start?${q}`, auth: null, expect: 'any', note: 'hint' }));
    await check('start', arb, 60, async (p) => {
      const before = await dumpWithout(h, ['login_state']);
      const headers: Record<string, string> = {};
      const res = await h.request(p.method, p.url, { headers });
      tally.record(p.endpoint, res.status);
      assert.equal(res.status, 302, res.text);
      const location = new URL(String(res.headers.location));
      assert.equal(location.origin, superoffice, 'the popup goes to SuperOffice only');
      const hint = new URLSearchParams(p.url.split('?')[1]).getAll('tenant');
      const acr = location.searchParams.get('acr_values');
      if (hint.length === 1 && /^[A-Za-z0-9_-]{1,64}$/.test(hint[0]!)) assert.equal(acr, `tenant:${hint[0]}`);
      else assert.equal(acr, null, `a hostile tenant hint reached SuperOffice: ${acr}`);
      assertNoLeak(res.text, target.secrets, p.url);
      assert.equal(await dumpWithout(h, ['login_state']), before);
    });
  });

  test('GET /auth/superoffice/callback, /auth/microsoft/signin/callback and /auth/microsoft/consent/callback: hostile answers show an error page to the panel origin only', async () => {
    const value = fc.oneof(hostileString.filter((s) => s.length < 5000), fc.stringMatching(/^[A-Za-z0-9_-]{43}$/));
    const params = fc.array(fc.tuple(fc.constantFrom('code', 'state', 'error', 'error_description', 'admin_consent', 'tenant', 'scope', 'session_state', 'iss'), value), { minLength: 0, maxLength: 5 });
    const arb = fc.tuple(fc.constantFrom('/auth/superoffice/callback', '/auth/microsoft/signin/callback', '/auth/microsoft/consent/callback'), fc.oneof(params.map((ps) => ps.map(([k, v]) => `${k}=${pct(v)}`).join('&')), fc.constantFrom(...RAW_QUERIES))).map(([path, q]): Probe => ({
      endpoint: label('GET', path),
      method: 'GET',
      url: `${path}?${q}`,
      auth: null,
      expect: 'refused',
      note: 'forged answer',
    }));
    await property({ ...target, popup: true }, 'callbacks', arb, 150);
  });

  test('totals', (t) => {
    tally.report(t, 'fuzz (simulators)');
    tally.assertRun({
      'GET /api/v1/mailboxes': [400],
      'POST /api/v1/mailboxes/check': [200, 400],
      'POST /api/v1/microsoft/consent': [400],
      'GET /api/v1/associates': [200],
      'POST /api/v1/invites': [200, 400],
      'POST /api/public/invites/open': [404],
      'POST /api/public/invites/accept': [410],
      'POST /auth/superoffice/ticket': [400, 401],
      'GET /auth/superoffice/start': [302],
      'GET /auth/superoffice/callback': [400],
      'GET /auth/microsoft/signin/callback': [400],
      'GET /auth/microsoft/consent/callback': [400],
    });
  });
});
