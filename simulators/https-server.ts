import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import { simulatorTls } from './tls.js';

export interface RunningServer {
  /** `https://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves a Koa app over HTTPS on 127.0.0.1 only (the simulators hold fake credentials and must
 * never be reachable from the network). Port 0 picks a free port.
 */
export async function listenHttps(app: Koa<any, any>, port = 0): Promise<RunningServer> {
  const { key, cert } = await simulatorTls();
  const server = createServer({ key, cert }, app.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets from fetch clients would otherwise hold close() open.
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
