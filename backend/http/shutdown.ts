import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Graceful stop for an HTTP server: no new connections; idle keep-alive connections close at
 * once; every reply in flight finishes — one still being computed, and one already handed to the
 * socket but not yet flushed to the client — and its connection closes after it. Whatever is
 * left after `timeoutMs` is cut.
 *
 * Node's own `server.close()` destroys "idle" connections, and counts a connection as idle as
 * soon as `res.end()` was called, even with megabytes of the reply still buffered in the socket:
 * a 20,000-link reply was cut after 4 MB. So the server's idle check is replaced by one that
 * looks at what is still to be written.
 */
export function gracefulStop(server: Server): (timeoutMs: number, onTimeout: () => void) => Promise<void> {
  const sockets = new Set<Socket>();
  // Weak: a socket that closed mid-reply leaves nothing behind.
  const inFlight = new WeakMap<Socket, number>();
  const replies = new Set<ServerResponse>();
  let stopping = false;

  /** Closes `socket` once nothing is in flight on it; what it still has to write is written first. */
  const settle = (socket: Socket) => {
    if ((inFlight.get(socket) ?? 0) > 0 || socket.writableEnded) return;
    if (socket.writableLength === 0) {
      socket.destroy();
      return;
    }
    socket.end();
    socket.once('finish', () => socket.destroy());
  };

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, (inFlight.get(socket) ?? 0) + 1);
    replies.add(res);
    if (stopping) res.shouldKeepAlive = false;
    res.once('close', () => {
      replies.delete(res);
      inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1);
      if (stopping) settle(socket);
    });
  });
  // server.close() calls this; Node's version would cut replies still being written.
  server.closeIdleConnections = () => {
    for (const socket of sockets) settle(socket);
  };

  return (timeoutMs, onTimeout) =>
    new Promise<void>((resolve) => {
      stopping = true;
      // Replies not yet started tell their client that the connection ends with them.
      for (const res of replies) if (!res.headersSent) res.shouldKeepAlive = false;
      const force = setTimeout(() => {
        onTimeout();
        server.closeAllConnections();
      }, timeoutMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
    });
}
