import { runWorkerProcess } from '../backend/sync/worker-process.js';

/**
 * `npm run sync -- --ranks 1-10`: a sync worker for those Server Ranks (or SYNC_RANKS), against
 * DATABASE_URL. Run as many as you like, on as many hosts: leases keep each mailbox to one worker.
 */
await runWorkerProcess({ argv: process.argv.slice(2) });
