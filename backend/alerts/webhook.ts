import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

/** The header a receiver checks: `sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>`. */
export const SIGNATURE_HEADER = 'X-Signature-256';
/** How long one webhook call may take, connection included. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** A new signing secret: `whsec_` and 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** How a receiver checks a delivery (the README shows the same in a few lines): constant-time compare. */
export function verifySignature(secret: string, body: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Addresses a webhook must not reach in production: loopback, private networks, link-local
 * (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and the unspecified
 * addresses; IPv4-mapped IPv6 addresses are checked as the IPv4 address they carry.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class WebhookRefused extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * The name lookup the webhook's connection uses: the address checked is the address connected
 * to, so a name that resolves to a public address when saved and a private one later (DNS
 * rebinding) is still refused.
 */
function guardedLookup(hostname: string, options: object, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad || list.length === 0) return callback(Object.assign(new WebhookRefused(`${hostname} resolves to a private or loopback address`), { code: 'EPRIVATE' }), []);
    if ((options as { all?: boolean }).all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

export interface WebhookPolicy {
  /** Test and demo configurations only: let the webhook reach loopback and private addresses. */
  allowPrivate: boolean;
  /** Extra CA certificates to trust (the local test receiver's), PEM. */
  extraCa?: string;
}

export interface WebhookOutcome {
  ok: boolean;
  /** The receiver's HTTP status; 0 when there was no answer. */
  status: number;
  message: string;
}

/**
 * POSTs the JSON body, signed, once: no redirects followed (a 3xx is a failure: the signed body
 * must not be replayed somewhere the administrator did not name), a time limit, and (unless the
 * policy allows) no private or loopback address, checked at connect time.
 */
export async function postWebhook(url: string, secret: string, body: string, policy: WebhookPolicy, headers: Record<string, string> = {}): Promise<WebhookOutcome> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!policy.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
    return { ok: false, status: 0, message: 'The webhook address is a private or loopback address; it was not called.' };
  }
  const dispatcher = new Agent({
    connect: {
      ...(policy.allowPrivate ? {} : { lookup: guardedLookup }),
      ...(policy.extraCa ? { ca: [...rootCertificates, policy.extraCa] } : {}),
    },
    connectTimeout: WEBHOOK_TIMEOUT_MS,
  });
  try {
    const res = await fetch(target, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: { 'content-type': 'application/json', 'user-agent': 'superoffice-mailbox-link-alerts', [SIGNATURE_HEADER]: signBody(secret, body), ...headers },
      body,
      dispatcher,
    } as RequestInit);
    // The answer is not read beyond its status (a receiver has nothing to tell us).
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, message: `The webhook answered ${res.status}.` };
    if (res.status >= 300 && res.status < 400) return { ok: false, status: res.status, message: `The webhook answered ${res.status} (a redirect, not followed).` };
    return { ok: false, status: res.status, message: `The webhook answered ${res.status}.` };
  } catch (err) {
    return { ok: false, status: 0, message: describeFailure(err) };
  } finally {
    void dispatcher.close();
  }
}

function describeFailure(err: unknown): string {
  const chain: unknown[] = [];
  for (let e: unknown = err; e && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  if (chain.some((e) => e instanceof WebhookRefused || (e as { code?: string }).code === 'EPRIVATE')) {
    return 'The webhook address resolves to a private or loopback address; it was not called.';
  }
  if (chain.some((e) => (e as { name?: string }).name === 'TimeoutError' || (e as { code?: string }).code === 'UND_ERR_CONNECT_TIMEOUT')) {
    return `The webhook did not answer within ${WEBHOOK_TIMEOUT_MS / 1000} seconds.`;
  }
  const code = chain.map((e) => (e as { code?: string }).code).find((c) => typeof c === 'string');
  return `The webhook could not be reached${code ? ` (${code})` : ''}.`;
}
