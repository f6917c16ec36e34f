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
  };
}

/** Defaults for tests and tools that build an app without an environment. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), databaseUrl: 'sqlite::memory:', ...overrides };
}
