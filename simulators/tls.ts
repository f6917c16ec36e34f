import { Agent as HttpsAgent } from 'node:https';
import { generate } from 'selfsigned';

/**
 * The certificate the Microsoft simulators serve. Graph's JS client only sends the bearer token
 * to, and only follows `@odata.nextLink` through, `https://` URLs, so the simulators must speak
 * TLS. Clients trust this one certificate explicitly (as a CA); nothing turns TLS checks off.
 */
export interface SimulatorTls {
  key: string;
  cert: string;
}

let cached: Promise<SimulatorTls> | undefined;

/** Generated once per process (RSA 2048, SHA-256, valid for `localhost` and `127.0.0.1`). */
export function simulatorTls(): Promise<SimulatorTls> {
  cached ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      // Marked as a CA so it can be passed as `ca` and anchor its own chain.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  }).then((pems) => ({ key: pems.private, cert: pems.cert }));
  return cached;
}

/** An `https.Agent` that trusts the simulator certificate (for node:https clients). */
export async function simulatorHttpsAgent(): Promise<HttpsAgent> {
  const { cert } = await simulatorTls();
  return new HttpsAgent({ ca: cert, keepAlive: false });
}

/** What `fetch(url, { dispatcher })` accepts; typed loosely because Node 20 does not export undici. */
export interface FetchDispatcher {
  close(): Promise<void>;
}

/**
 * A dispatcher for Node's built-in `fetch` that trusts the simulator certificate. Node 20 bundles
 * undici without exporting it, so the Agent class is taken from the global dispatcher undici
 * registers under its documented cross-version symbol; a harmless `data:` fetch makes sure undici
 * has loaded. Pass it per request (`fetch(url, { dispatcher })`, or the Graph client's
 * `fetchOptions`) so the trust stays scoped to the simulators.
 */
export async function simulatorFetchDispatcher(): Promise<FetchDispatcher> {
  const { cert } = await simulatorTls();
  const key = Symbol.for('undici.globalDispatcher.1');
  type AgentClass = new (options: { connect: { ca: string } }) => FetchDispatcher;
  const globalDispatcher = (): { constructor: AgentClass } | undefined =>
    (globalThis as unknown as Record<symbol, { constructor: AgentClass } | undefined>)[key];
  if (!globalDispatcher()) await fetch('data:text/plain,');
  const current = globalDispatcher();
  if (!current) throw new Error('Node did not register an undici dispatcher; cannot build a trusting fetch agent.');
  return new current.constructor({ connect: { ca: cert } });
}

/**
 * `fetch` bound to a dispatcher that trusts the simulator certificate, plus `close()` for its
 * sockets. For backend code and tests that call the simulators directly.
 */
export async function simulatorFetch(): Promise<{ fetch: typeof fetch; dispatcher: FetchDispatcher; close(): Promise<void> }> {
  const dispatcher = await simulatorFetchDispatcher();
  const bound = ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    fetch(input, { ...init, dispatcher } as RequestInit)) as typeof fetch;
  return { fetch: bound, dispatcher, close: () => dispatcher.close() };
}
