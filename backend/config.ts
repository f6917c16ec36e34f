import { z } from 'zod';
import { DEFAULT_DATABASE_URL, dialectOfUrl } from './db/store.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting, read from the environment once at start-up. The README lists them. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE_URL)
    .refine((url) => {
      try {
        dialectOfUrl(url);
        return true;
      } catch {
        return false;
      }
    }, 'must start with sqlite: or mssql://'),
  MIGRATE_ON_START: bool.default(true),
  /** Space-separated origins allowed to frame the panel (CSP frame-ancestors). */
  FRAME_ANCESTORS: z
    .string()
    .default("'self' https://*.superoffice.com")
    .transform((v) => v.split(/\s+/).filter(Boolean)),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'like 5mb or 512kb').default('5mb'),
  SESSION_TTL_MINUTES: z.coerce.number().int().min(5).max(7 * 24 * 60).default(480),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Where browsers reach this backend: redirect URIs and the panel's origin derive from it. */
  PUBLIC_URL: z.url().optional(),
  /** `auto`: run against the built-in simulators when no SuperOffice app is configured. */
  DEMO: z.enum(['auto', 'true', 'false']).default('auto'),
  SUPEROFFICE_URL: z.url().default('https://online.superoffice.com'),
  SUPEROFFICE_CLIENT_ID: z.string().min(1).optional(),
  SUPEROFFICE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Onsite: the Web API (`https://crm.example.com/SuperOffice/api/`) that validates `SOTicket` sign-ins. */
  SUPEROFFICE_ONSITE_WEBAPI_URL: z.url().optional(),
  ENTRA_AUTHORITY_URL: z.url().default('https://login.microsoftonline.com'),
  GRAPH_URL: z.url().default('https://graph.microsoft.com'),
  ENTRA_CLIENT_ID: z.string().min(1).optional(),
  ENTRA_CLIENT_SECRET: z.string().min(1).optional(),
  ENTRA_CLIENT_CERT_THUMBPRINT: z.string().regex(/^[0-9a-fA-F]{64}$/, 'a SHA-256 thumbprint in hex').optional(),
  ENTRA_CLIENT_KEY_FILE: z.string().min(1).optional(),
  /** 32 bytes (base64 or hex) that seal SuperOffice tokens at rest. */
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((v) => (/^[0-9a-f]{64}$/i.test(v) ? true : Buffer.from(v, 'base64').length === 32), 'must be 32 bytes, base64 or hex')
    .optional(),
  /** PEM file of extra certificate authorities to trust for outbound HTTPS. */
  EXTRA_CA_FILE: z.string().min(1).optional(),
  /** Behind a reverse proxy: take the client address from X-Forwarded-For (for the rate limit and logs). */
  TRUST_PROXY: bool.default(false),
  /**
   * With TRUST_PROXY: how many reverse proxies stand in front, each appending the address it saw to
   * X-Forwarded-For. The client address is that many entries from the right; whatever the client
   * wrote further left is ignored (it would let anyone choose their own rate-limit budget).
   */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  /** Requests per minute and address to the endpoints that need no session (sign-in start, ticket, accept page API). */
  PUBLIC_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(60),
  /** Provision the manifest's web panels when an administrator signs in (approves the app). */
  PROVISION_PANELS: bool.default(true),
  /** `auto`: the backend runs one sync worker for all ranks in its own process in demo mode only. */
  SYNC_IN_PROCESS: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Seconds from a mailbox's pass to its next (default: 300; the demo: 30). */
  SYNC_INTERVAL_SECONDS: z.coerce.number().min(0.1).max(86_400).optional(),
  /** Seconds a claimed mailbox stays leased to its worker unless renewed. */
  SYNC_LEASE_SECONDS: z.coerce.number().min(0.3).max(3600).default(60),
  /** Mailboxes one worker works at once. */
  SYNC_BATCH_SIZE: z.coerce.number().int().min(1).max(100).default(8),
  /** Seconds an idle worker waits before looking for due mailboxes again (default: 5; the demo: 1). */
  SYNC_POLL_SECONDS: z.coerce.number().min(0.05).max(600).optional(),
  /**
   * The public HTTPS base URL where Microsoft Graph and SuperOffice reach this backend's
   * notification endpoints (`/hooks/…`). Unset: nothing is subscribed, the sync polls alone.
   * Plain http is accepted for loopback only (the demo against its simulators).
   */
  NOTIFICATION_URL: z
    .url()
    .refine((v) => {
      const u = new URL(v);
      return u.protocol === 'https:' || (u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname));
    }, 'must be https (http only for localhost)')
    .optional(),
  /**
   * Let the alerts webhook reach loopback and private network addresses (off in production: a
   * webhook must not be a way into the server's own network). Always on in the demo.
   */
  ALERT_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
});

export interface Config {
  port: number;
  host: string | undefined;
  databaseUrl: string;
  migrateOnStart: boolean;
  frameAncestors: string[];
  bodyLimit: string;
  sessionTtlMinutes: number;
  logLevel: string;
  shutdownTimeoutMs: number;
  publicUrl: string;
  demo: boolean;
  superoffice: { url: string; clientId: string; clientSecret: string } | null;
  superofficeOnsite: { webApiUrl: string; appToken?: string } | null;
  microsoft: {
    authorityUrl: string;
    graphUrl: string;
    clientId: string;
    clientSecret?: string;
    certificate?: { thumbprintSha256: string; keyFile: string };
  } | null;
  tokenEncryptionKey: string | undefined;
  extraCaFile: string | undefined;
  provisionPanels: boolean;
  publicRateLimit: number;
  trustProxy: boolean;
  /** Reverse proxies in front (with trustProxy): Koa's `maxIpsCount`. */
  trustProxyHops: number;
  sync: SyncConfig;
  /** Change notifications and webhooks (hints that bring a mailbox's next pass forward); null: polling alone. */
  triggers: TriggerConfig | null;
  /** The alerts webhook may call loopback and private addresses (tests and the demo only). */
  alertWebhookAllowPrivate: boolean;
}

export interface TriggerConfig {
  /** Base of the notification URLs Graph and SuperOffice are given, without a trailing slash. */
  baseUrl: string;
}

export interface SyncConfig {
  /** Run a worker for all ranks inside the backend process. */
  inProcess: boolean;
  intervalMs: number;
  leaseMs: number;
  batchSize: number;
  pollMs: number;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    // Name the setting, never echo its value: DATABASE_URL may hold a password.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const demo = e.DEMO === 'true' || (e.DEMO === 'auto' && !e.SUPEROFFICE_CLIENT_ID);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    migrateOnStart: e.MIGRATE_ON_START,
    frameAncestors: e.FRAME_ANCESTORS,
    bodyLimit: e.BODY_LIMIT,
    sessionTtlMinutes: e.SESSION_TTL_MINUTES,
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    demo,
    superoffice:
      e.SUPEROFFICE_CLIENT_ID && e.SUPEROFFICE_CLIENT_SECRET
        ? { url: e.SUPEROFFICE_URL, clientId: e.SUPEROFFICE_CLIENT_ID, clientSecret: e.SUPEROFFICE_CLIENT_SECRET }
        : null,
    superofficeOnsite: e.SUPEROFFICE_ONSITE_WEBAPI_URL
      ? { webApiUrl: e.SUPEROFFICE_ONSITE_WEBAPI_URL, appToken: e.SUPEROFFICE_CLIENT_SECRET }
      : null,
    microsoft: e.ENTRA_CLIENT_ID
      ? {
          authorityUrl: e.ENTRA_AUTHORITY_URL,
          graphUrl: e.GRAPH_URL,
          clientId: e.ENTRA_CLIENT_ID,
          clientSecret: e.ENTRA_CLIENT_SECRET,
          certificate:
            e.ENTRA_CLIENT_CERT_THUMBPRINT && e.ENTRA_CLIENT_KEY_FILE
              ? { thumbprintSha256: e.ENTRA_CLIENT_CERT_THUMBPRINT, keyFile: e.ENTRA_CLIENT_KEY_FILE }
              : undefined,
        }
      : null,
    tokenEncryptionKey: e.TOKEN_ENCRYPTION_KEY,
    extraCaFile: e.EXTRA_CA_FILE,
    provisionPanels: e.PROVISION_PANELS,
    publicRateLimit: e.PUBLIC_RATE_LIMIT,
    trustProxy: e.TRUST_PROXY,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    sync: syncConfig(e, demo),
    triggers: e.NOTIFICATION_URL ? { baseUrl: e.NOTIFICATION_URL.replace(/\/$/, '') } : null,
    alertWebhookAllowPrivate: e.ALERT_WEBHOOK_ALLOW_PRIVATE || demo,
  };
}

function syncConfig(e: z.infer<typeof Env>, demo: boolean): SyncConfig {
  return {
    inProcess: e.SYNC_IN_PROCESS === 'true' || (e.SYNC_IN_PROCESS === 'auto' && demo),
    // The demo moves items within half a minute, so a newcomer sees them move.
    intervalMs: (e.SYNC_INTERVAL_SECONDS ?? (demo ? 30 : 300)) * 1000,
    leaseMs: e.SYNC_LEASE_SECONDS * 1000,
    batchSize: e.SYNC_BATCH_SIZE,
    pollMs: (e.SYNC_POLL_SECONDS ?? (demo ? 1 : 5)) * 1000,
  };
}

/** Defaults for tests and tools that build an app without an environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests send thousands of requests from one address; the rate limit has its own test.
  return { ...loadConfig({ DEMO: 'false' }), databaseUrl: 'sqlite::memory:', publicRateLimit: 1_000_000, ...overrides };
}
