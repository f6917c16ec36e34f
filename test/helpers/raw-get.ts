import { request } from 'node:http';

export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they crossed the wire (still encoded). */
  body: Buffer;
  /** From sending the request to the reply's last byte read. */
  ms: number;
}

/** A GET over HTTP that keeps the body as sent: fetch would decode it behind our back. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawReply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
