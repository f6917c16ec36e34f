import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { issueSession } from '../../backend/auth/session.service.js';
import { openStore } from '../../backend/db/store.js';
import { ADMIN, newLink } from '../helpers/harness.js';

const MAIN = fileURLToPath(new URL('../../backend/main.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-main-'));
const children = new Set<ChildProcess>();
/** Server processes started under npm (not our children): their pids, from the "listening" line. */
const grandchildren = new Set<number>();
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
after(() => {
  // A failed assertion must not leave a server running (it would keep this test file alive).
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of grandchildren) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exit: Promise<number | null>;
}

/** Starts the real server process the way `npm start` does, on a free port (or `npm start` itself). */
async function start(env: Record<string, string>, how: 'node' | 'npm' = 'node'): Promise<Running> {
  const child =
    how === 'node'
      ? spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
      : // --ignore-scripts skips prestart's build: it would replace the dist/ these tests run from.
        spawn('npm', ['start', '--ignore-scripts'], { cwd: ROOT, env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', DEMO: 'false', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 15_000);
    const check = () => {
      const m = /running: http:\/\/localhost:(\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      } else if (child.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`server exited:\n${out}`));
      } else setTimeout(check, 50);
    };
    check();
  });
  return { child, port, output: () => out, exit };
}

/** Log lines are written asynchronously: wait (briefly) for one to show up. */
async function eventually(output: () => string, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !pattern.test(output()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(output(), pattern);
}

describe('the server process', () => {
  const dbFile = join(dir, 'nested', 'links.db');

  test('creates and migrates the embedded database on first start, and not again on the second', async () => {
    const first = await start({ DATABASE_URL: `sqlite:${dbFile}` });
    assert.ok(existsSync(dbFile));
    await eventually(first.output, /migrations applied/);
    const res = await fetch(`http://127.0.0.1:${first.port}/api/v1/links`);
    assert.equal(res.status, 401);
    first.child.kill('SIGTERM');
    assert.equal(await first.exit, 0);

    const second = await start({ DATABASE_URL: `sqlite:${dbFile}` });
    await eventually(second.output, /schema up to date/);
    second.child.kill('SIGTERM');
    assert.equal(await second.exit, 0);
  });

  test('on SIGTERM it finishes the request in flight, then exits 0', async () => {
    const server = await start({ DATABASE_URL: `sqlite:${dbFile}` });
    const store = openStore(`sqlite:${dbFile}`);
    const { token } = await issueSession(store, ADMIN, 30);
    await store.destroy();

    const body = JSON.stringify({ links: [newLink(900_001)] });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/v1/links',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, SIGTERM, the rest a moment later.
      req.write(body.slice(0, 20));
      setTimeout(() => {
        server.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(20)), 300);
      }, 200);
    });
    const res = await response;
    assert.equal(res.status, 201, res.text);
    assert.equal(await server.exit, 0);
    await eventually(server.output, /shutdown complete/);
    // New connections are refused once it has stopped.
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/api/v1/links`));
  });

  test('on SIGTERM a large reply already handed to the socket reaches the client whole before the server exits', async () => {
    const server = await start({ DATABASE_URL: `sqlite:${join(dir, 'large.db')}`, BODY_LIMIT: '20mb' });
    await eventually(server.output, /migrations applied/);
    const store = openStore(`sqlite:${join(dir, 'large.db')}`);
    const { token } = await issueSession(store, ADMIN, 30);
    await store.destroy();
    // About 12 MB of reply: far more than the sockets on both ends buffer while the client does not read.
    const name = (i: number) => `${'Long Associate Name '.repeat(9)}${i}`;
    const body = JSON.stringify({ links: Array.from({ length: 20_000 }, (_, i) => newLink(800_000 + i, { associateName: name(i) })) });
    const res = await new Promise<{ status: number; text: string } | { error: string }>((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/v1/links',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (reply) => {
          // The whole reply is written by now (Koa ends it in one go); stop reading, stop the server.
          reply.pause();
          server.child.kill('SIGTERM');
          let text = '';
          reply.setEncoding('utf8');
          reply.on('data', (d) => (text += d));
          reply.on('end', () => resolve({ status: reply.statusCode ?? 0, text }));
          reply.on('error', (err) => resolve({ error: err.message }));
          void eventually(server.output, /shutting down/).then(() => setTimeout(() => reply.resume(), 300));
        },
      );
      req.on('error', (err) => resolve({ error: err.message }));
      req.end(body);
    });
    assert.ok('status' in res, `the reply was cut: ${'error' in res ? res.error : ''}`);
    assert.equal(res.status, 201);
    assert.ok(res.text.length > 10_000_000, `${res.text.length} bytes`);
    assert.equal(JSON.parse(res.text).created.length, 20_000);
    assert.equal(await server.exit, 0);
    await eventually(server.output, /shutdown complete/);
  });

  test('SIGTERM to `npm start` (as a process manager sends it) reaches the server: it shuts down gracefully and frees the port', async () => {
    const server = await start({ DATABASE_URL: `sqlite:${join(dir, 'npm.db')}` }, 'npm');
    await eventually(server.output, /"pid":\d+,"msg":"listening"/);
    const pid = Number(/"pid":(\d+),"msg":"listening"/.exec(server.output())![1]);
    grandchildren.add(pid);
    assert.notEqual(pid, server.child.pid, 'npm runs the server as its own process');
    assert.equal((await fetch(`http://127.0.0.1:${server.port}/api/v1/links`)).status, 401);
    server.child.kill('SIGTERM');
    assert.equal(await server.exit, 0, server.output());
    assert.match(server.output(), /shutdown complete/);
    assert.equal(alive(pid), false, 'the server outlived npm');
    await assert.rejects(fetch(`http://127.0.0.1:${server.port}/api/v1/links`));
  });

  test('demo mode starts the simulators, seeds the demo tenant and prints the panel URL; sign-in works against it', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const server = await start({ DEMO: 'true', PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'demo', 'demo.db')}` });
    try {
      // The demo line follows the "running" line; on a busy machine it can arrive a moment later.
      await eventually(server.output, /open http:\/\/localhost:\d+\/panel\//);
      const url = /open (http:\/\/localhost:\d+\/panel\/\?ctx=Cust12345&uid=\d+&lang=en)/.exec(server.output())?.[1];
      assert.ok(url, server.output());
      assert.ok(existsSync(join(dir, 'demo', 'demo-token-key')), 'the demo key is kept beside the demo database');
      // The sign-in popup's first hop goes to the SuperOffice simulator's authorize page.
      const start = await fetch(`http://127.0.0.1:${port}/auth/superoffice/start?tenant=Cust12345`, { redirect: 'manual' });
      assert.equal(start.status, 302);
      const page = await fetch(start.headers.get('location')!);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /Sign in to SuperOffice/);
      assert.ok(!/secret|8A:Cust/i.test(server.output()), 'a secret reached the log');
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exit, 0);
    }
  });

  test('refuses to start with a bad setting, naming it', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: 'http' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2);
    assert.match(err, /PORT/);
  });
});
