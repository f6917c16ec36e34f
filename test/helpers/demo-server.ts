import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../backend/main.js', import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface DemoServer {
  /** The panel URL `npm start` prints. */
  panelUrl: string;
  /** The backend's origin, e.g. `http://localhost:41234`. */
  origin: string;
  /** The simulators' base URLs, from the start-up log line. */
  simulators: { superoffice: string; entra: string; graph: string };
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** The SQLite database file (and its WAL beside it) and the folder it is in (the demo keeps its token key there). */
  databaseFile: string;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * `npm start`'s demo as a real process: simulators, a fresh SQLite file, the printed panel URL.
 * `host: '127.0.0.1'` serves the panel on the simulators' host (its `PUBLIC_URL`), so SuperID's
 * cookie is first-party in the panel's frames: `localhost` and `127.0.0.1` are different sites,
 * and the e2e browser blocks third-party cookies.
 */
export async function startDemoServer(env: Record<string, string> = {}, host: 'localhost' | '127.0.0.1' = 'localhost'): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-e2e-'));
  const port = await freePort();
  if (host !== 'localhost') env = { PUBLIC_URL: `http://${host}:${port}`, ...env };
  let output = '';
  const server: ChildProcess = spawn(process.execPath, [MAIN], {
    env: { ...process.env, DEMO: 'true', PORT: String(port), DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  const exited = new Promise((r) => server.once('exit', r));
  const stop = async () => {
    if (server.exitCode === null) server.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const panelUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no panel URL printed:\n${output}`)), 20_000);
      const check = () => {
        const m = /open (http:\/\/(?:localhost|127\.0\.0\.1):\d+\/panel\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        } else setTimeout(check, 100);
      };
      check();
    });
    const line = output.split('\n').find((l) => l.includes('simulators started'));
    const sims = line ? (JSON.parse(line) as { superoffice: string; entra: string; graph: string }) : null;
    if (!sims) throw new Error(`no simulator URLs logged:\n${output}`);
    return {
      panelUrl,
      origin: new URL(panelUrl).origin,
      simulators: { superoffice: sims.superoffice, entra: sims.entra, graph: sims.graph },
      output: () => output,
      databaseFile: join(dir, 'demo.db'),
      dataDir: dir,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
