import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { inject } from 'light-my-request';
import { createApp } from '../backend/app.js';
import { createLogger } from '../backend/http/logging.js';
import type { Harness } from '../test/helpers/harness.js';

export interface TimedReply {
  status: number;
  ms: number;
  bytes: number;
  text: string;
  /** Loopback only: the server's own time, from the request's arrival to the reply's last byte written. */
  serverMs?: number;
}

export interface Client {
  send(method: string, url: string, token: string, body?: string): Promise<TimedReply>;
  close(): Promise<void>;
}

/** Throws unless the reply is 2xx: a benchmark of failing requests measures nothing. */
export function ok(what: string, reply: { status: number; text: string }): void {
  if (reply.status < 200 || reply.status > 299) {
    throw new Error(`${what}: HTTP ${reply.status} ${reply.text.slice(0, 500)}`);
  }
}

/** A log destination that keeps nothing (the production logger writes to stdout). */
function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}

/** The same app as the harness's (its store, config and clock), built from `createApp`. */
function appOf(h: Harness) {
  return createApp({ store: h.store, config: h.config, logger: createLogger('info', discard()), clock: () => h.now.value });
}

function headers(token: string, body: string | undefined): Record<string, string> {
  const h: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) h['content-type'] = 'application/json';
  return h;
}

/**
 * Server time: `app.callback()` called in-process through light-my-request, as the harness does,
 * but with the body serialized beforehand and the reply left unparsed, so the figure is the
 * app's own time (the harness's `request` JSON-encodes the body and parses the reply on top).
 */
export function injectClient(h: Harness): Client {
  const handler = appOf(h).callback();
  return {
    async send(method, url, token, body) {
      const start = performance.now();
      const res = await inject(handler, { method: method as 'GET', url, headers: headers(token, body), payload: body });
      const ms = performance.now() - start;
      return { status: res.statusCode, ms, bytes: res.rawPayload.length, text: res.body };
    },
    close: async () => {},
  };
}

/**
 * End to end: a real HTTP server on 127.0.0.1, requests with fetch, the reply body read in full.
 * The server also times each request itself, from its arrival (headers read; the body still
 * streaming in) to 'finish' (the last byte of the reply handed to the socket).
 */
export async function loopbackClient(h: Harness): Promise<Client> {
  const handler = appOf(h).callback();
  const serverTimes = new Map<string, Promise<number>>();
  const server: Server = createServer((req, res) => {
    const start = performance.now();
    const id = String(req.headers['x-bench-seq']);
    serverTimes.set(id, new Promise((resolve) => res.once('finish', () => resolve(performance.now() - start))));
    void handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let seq = 0;
  return {
    async send(method, url, token, body) {
      const id = String(++seq);
      const start = performance.now();
      const res = await fetch(base + url, { method, headers: { ...headers(token, body), 'x-bench-seq': id }, body });
      const buf = Buffer.from(await res.arrayBuffer());
      const ms = performance.now() - start;
      const serverMs = await serverTimes.get(id);
      serverTimes.delete(id);
      return { status: res.status, ms, serverMs, bytes: buf.length, text: buf.toString('utf8') };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
