/**
 * The server process of bench/wire.ts: the app (createApp) over the bench's SQLite file on
 * 127.0.0.1, in a process of its own so the client's decompression and parsing cost it nothing.
 * Only here, never in the app: `GET /__bench/stats` answers what the server saw since the last
 * call (and starts over): the longest event-loop block (perf_hooks monitorEventLoopDelay, 1 ms
 * resolution), each request's time from arrival to its last byte handed to the socket, and the
 * process's CPU time in that span (one request at a time: with identity replies nearly all of it is
 * the event loop's; unlike the wall-clock block, other processes on the machine do not stretch it).
 *
 *   node dist/bench/wire-server.js <sqlite file> <after|before>
 *
 * `before` answers GET /api/v1/links as the backend did before paging and compression: the whole
 * list in one identity reply (the session still checked), for the before/after comparison.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { Context, Next } from 'koa';
import { createApp } from '../backend/app.js';
import { verifySession } from '../backend/auth/session.service.js';
import { testConfig } from '../backend/config.js';
import { openStore } from '../backend/db/store.js';
import { createLogger } from '../backend/http/logging.js';
import { listLinkedUsers } from '../backend/links/link.service.js';

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'after' && mode !== 'before')) {
  console.error('usage: wire-server.js <sqlite file> <after|before>');
  process.exit(2);
}
const store = openStore(`sqlite:${file}`);
const logger = createLogger('info', new Writable({ write: (_c, _e, done) => done() }));
const app = createApp({ store, config: testConfig(), logger, clock: () => new Date(), integration: null });

if (mode === 'before') {
  // The old handler: every link in one answer, no Content-Encoding.
  app.middleware.unshift(async (ctx: Context, next: Next) => {
    if (ctx.method !== 'GET' || ctx.path !== '/api/v1/links') return next();
    const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1] ?? '';
    const session = await verifySession(store, token, new Date());
    if (!session) {
      ctx.status = 401;
      return;
    }
    ctx.body = { links: await listLinkedUsers(store, session.tenantId) };
  });
}

const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
let requests: number[] = [];
let cpu: number[] = [];
const handler = app.callback();
const server = createServer((req, res) => {
  if (req.url === '/__bench/stats') {
    const stats = { maxBlockMs: loop.max / 1e6, requests, cpu };
    loop.reset();
    requests = [];
    cpu = [];
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats));
    return;
  }
  const arrived = performance.now();
  const cpuAtArrival = process.cpuUsage();
  res.on('finish', () => {
    requests.push(performance.now() - arrived);
    const used = process.cpuUsage(cpuAtArrival);
    cpu.push((used.user + used.system) / 1000);
  });
  void handler(req, res);
});
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void store.destroy().then(() => process.exit(0));
});
