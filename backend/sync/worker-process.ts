import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type SyncConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { openStore } from '../db/store.js';
import { createLogger } from '../http/logging.js';
import { createIntegration } from '../integration.js';
import { diarySync } from './diary/engine.js';
import { parseRanks, RanksError } from './ranks.js';
import { startSyncWorker, type RunPass } from './worker.js';

export const USAGE =
  'usage: npm run sync -- [--ranks <ranks>]   ranks 1 to 99 as a list and ranges, e.g. 1-10 or 1-3,7 (default: SYNC_RANKS, else 1-99)';

/** A one-line complaint and the usage, exit code 2: a mistake in the command, not a failure. */
function refuse(problem: string): never {
  console.error(`${problem}\n${USAGE}`);
  process.exit(2);
}

function readRanks(argv: string[], env: NodeJS.ProcessEnv): number[] {
  let values;
  try {
    values = parseArgs({ args: argv, options: { ranks: { type: 'string' } } }).values;
  } catch (err) {
    return refuse(err instanceof Error ? err.message : String(err));
  }
  const [text, from] = values.ranks !== undefined ? [values.ranks, '--ranks'] : env.SYNC_RANKS !== undefined ? [env.SYNC_RANKS, 'SYNC_RANKS'] : ['1-99', ''];
  try {
    return parseRanks(text);
  } catch (err) {
    if (err instanceof RanksError) return refuse(`${from}: ${err.message}`);
    throw err;
  }
}

/**
 * `npm run sync`: one worker process serving the given ranks until SIGTERM or SIGINT, which let
 * the passes in flight finish, release their leases, and exit 0. `runPass` replaces the diary
 * pass (tests).
 */
export async function runWorkerProcess(options: { argv: string[]; env?: NodeJS.ProcessEnv; runPass?: (sync: SyncConfig) => RunPass }): Promise<void> {
  const env = options.env ?? process.env;
  const ranks = readRanks(options.argv, env);
  let config;
  let integration;
  try {
    config = loadConfig(env);
    integration = options.runPass ? null : createIntegration(config);
  } catch (err) {
    if (err instanceof ConfigError) refuse(err.message);
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const store = openStore(config.databaseUrl);
  if (config.migrateOnStart) await migrateToLatest(store);
  const runPass = options.runPass?.(config.sync) ?? diarySync(store, integration, config.sync.intervalMs, logger);
  const worker = startSyncWorker(store, config.sync, ranks, logger, runPass);
  logger.info({ owner: worker.owner, ranks, database: store.description }, 'sync worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'sync worker stopping: finishing the passes in flight');
    try {
      await worker.stop();
      await store.destroy();
      logger.info('sync worker stopped; its leases are released');
      process.exit(0);
    } catch (err) {
      logger.error({ err: err instanceof Error ? err.message : String(err) }, 'sync worker: stopping failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
