import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent } from 'undici';

export type Fetch = typeof fetch;

/** One connection pool that also trusts `extraCa`; undefined means Node's defaults. */
export function trustingDispatcher(extraCa: string | undefined): Agent | undefined {
  // `ca` replaces Node's trusted roots, so keep those and add the extra ones. One context for every
  // connection: given as `ca`, each new TLS connection parses the ~140 roots again (a tenth of a
  // sync worker's CPU in the bench).
  return extraCa ? new Agent({ connect: { secureContext: createSecureContext({ ca: [...rootCertificates, extraCa] }) } }) : undefined;
}

/**
 * The `fetch` every outbound call uses (SuperOffice, Entra ID, Graph): a time limit on each
 * request, and extra trusted CAs when configured (a corporate proxy, or the local simulators'
 * self-signed certificate) without turning certificate checks off anywhere.
 */
export function createFetch(options: { extraCa?: string; dispatcher?: Agent; timeoutMs?: number } = {}): Fetch {
  const dispatcher = options.dispatcher ?? trustingDispatcher(options.extraCa);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return (input, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal, ...(dispatcher ? { dispatcher } : {}) } as RequestInit);
  };
}
