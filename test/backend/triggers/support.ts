import pino from 'pino';

/** What the trigger tests share: a quiet logger, a polling interval no test waits for, and a probe loop. */
export const silent = pino({ level: 'silent' });

/** The worker's polling interval in these tests: anything synced within seconds was brought forward by a trigger. */
export const TEN_MINUTES = 600_000;

/** Probes until it gives a value (not undefined, null or false), or fails after `timeoutMs`. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 8000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && (v as unknown) !== false) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
