import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateToLatest } from './db/migrate.js';
import { openStore } from './db/store.js';
import type { DemoEnvironment } from './demo/demo-environment.js';
import { createLogger } from './http/logging.js';
import { gracefulStop } from './http/shutdown.js';
import { createIntegration, type Integration } from './integration.js';
import { MAX_RANK, MIN_RANK } from './sync/ranks.js';
import { diarySync } from './sync/diary/engine.js';
import { startSyncWorker, type SyncWorker } from './sync/worker.js';
import { TriggerManager } from './triggers/trigger-manager.js';
import { purgeExpiredRemovals } from './links/removed-link.service.js';
import { ClaimBackoff, runAlertDigests } from './alerts/digest.js';
import { healthSourceOf } from './health/health.service.js';

/**
 * The demo's token key lives beside the demo database, so sign-ins survive a restart; a real
 * deployment sets TOKEN_ENCRYPTION_KEY.
 */
function demoTokenKey(config: Config): string {
  if (config.tokenEncryptionKey) return config.tokenEncryptionKey;
  const dir = config.databaseUrl.startsWith('sqlite:') && !config.databaseUrl.includes(':memory:')
    ? dirname(resolve(config.databaseUrl.slice('sqlite:'.length)))
    : resolve('data');
  const file = resolve(dir, 'demo-token-key');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/** Starts the backend: configuration, database (migrated), HTTP server, graceful shutdown. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const store = openStore(config.databaseUrl);
  logger.info({ database: store.description }, 'database opened');
  if (config.migrateOnStart) {
    const applied = await migrateToLatest(store);
    logger.info({ applied }, applied.length ? 'migrations applied' : 'schema up to date');
  }

  let demo: DemoEnvironment | null = null;
  let integration: Integration | null;
  if (config.demo) {
    // Loaded only here: a production start never loads the simulators.
    const { startDemoEnvironment } = await import('./demo/demo-environment.js');
    const { seedDemoTenant } = await import('./demo/seed.js');
    demo = await startDemoEnvironment({ publicUrl: config.publicUrl, tokenEncryptionKey: demoTokenKey(config) });
    config = { ...config, ...demo.config };
    integration = createIntegration(config, { extraCa: demo.extraCa });
    const seeded = await seedDemoTenant(store, demo.tenant);
    logger.info(
      { superoffice: demo.superoffice.url, entra: demo.entra.url, graph: demo.graph.url, seededLinks: seeded },
      'demo mode: SuperOffice, Entra ID and Microsoft Graph simulators started',
    );
  } else {
    integration = createIntegration(config);
  }

  const app = createApp({ store, config, logger, clock: () => new Date(), integration });
  const server = createServer(app.callback());
  // Headers and bodies must arrive promptly; a slow client cannot hold a connection forever.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;

  // SYNC_IN_PROCESS (on in the demo): one worker for every rank, stopped with the server.
  let worker: SyncWorker | null = null;
  if (config.sync.inProcess) {
    const ranks = Array.from({ length: MAX_RANK - MIN_RANK + 1 }, (_, i) => MIN_RANK + i);
    worker = startSyncWorker(store, config.sync, ranks, logger, diarySync(store, integration, config.sync.intervalMs, logger));
    logger.info({ owner: worker.owner, intervalMs: config.sync.intervalMs }, 'sync worker started in process for all ranks');
  }

  // NOTIFICATION_URL: Graph subscriptions and SuperOffice webhooks that bring passes forward (started once listening).
  const triggers = config.triggers && integration ? new TriggerManager({ store, integration, baseUrl: config.triggers.baseUrl, logger }) : null;

  // The periodic sweep: removed users older than 30 days are purged for good (audited), hourly
  // and once at start; one failed sweep is logged and the next one tries again.
  const sweep = () =>
    purgeExpiredRemovals(store, new Date()).then(
      (purged) => purged > 0 && logger.info({ purged }, 'removed users older than 30 days purged'),
      (err) => logger.error({ err }, 'the purge of old removed users failed'),
    );
  const sweeper = setInterval(() => void sweep(), 3_600_000);
  sweeper.unref();
  void sweep();
  // Alerts: each tenant's digest goes out once a day at its hour (the day is claimed in the
  // database, so several backends or a restart never send it twice); checked every 10 minutes.
  const healthSource = healthSourceOf({ store, clock: () => new Date(), integration });
  const backoff = new ClaimBackoff();
  const alertSweep = () =>
    runAlertDigests({ store, healthSource, integration, config, now: new Date(), log: logger, backoff }).then(
      (run) => (run.sent > 0 || run.failed > 0) && logger.info(run, 'alert digests delivered'),
      (err) => logger.error({ err }, 'the alert digest sweep failed'),
    );
  const alertSweeper = setInterval(() => void alertSweep(), 600_000);
  alertSweeper.unref();
  void alertSweep();

  // Signal handlers before listening: a SIGTERM right after start-up still shuts down cleanly.
  const stop = gracefulStop(server);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    try {
      await stop(config.shutdownTimeoutMs, () => logger.warn('requests still running after the shutdown timeout; closing them'));
      clearInterval(sweeper);
      clearInterval(alertSweeper);
      await triggers?.stop();
      await worker?.stop();
      await demo?.close();
      await store.destroy();
      logger.info('shutdown complete');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, pid: process.pid }, 'listening');
  if (triggers) {
    triggers.start();
    logger.info({ notificationUrl: config.triggers!.baseUrl }, 'change notifications and webhooks on');
  }
  console.log(`Mailbox link backend is running: http://localhost:${port}/`);
  if (demo) {
    // The panel URL as SuperOffice's web panel template fills it in: <uctx>, <usid>, <lani>.
    const admin = demo.tenant.associates.find((a) => a.functionRights.includes('admin-all'))!;
    console.log(
      `Demo (simulated SuperOffice and Microsoft 365): open ${config.publicUrl}/panel/?ctx=${demo.tenant.contextId}&uid=${admin.associateId}&lang=en`,
    );
  }

}

main().catch((err) => {
  console.error('failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
