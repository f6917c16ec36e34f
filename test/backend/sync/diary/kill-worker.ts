/**
 * A sync worker process for kill.test.ts: the product's `npm run sync` runner with the real diary
 * pass, that SIGKILLs itself at a kill point — right after the external write KILL_AT names has
 * been answered, before the pass can commit what it learned: `graph-batch` (a `$batch` of
 * creates applied in Outlook), `superoffice-create` (an appointment saved in SuperOffice),
 * `todo-create` (a To Do task created, test/backend/sync/task/) or `graph-contact-create` (a
 * contact created in our contact folder).
 * The hook wraps `fetch` in this child only; the product has none. Runs only when
 * SYNC_TEST_CHILD=1: `node --test` also loads this file.
 */
import { runWorkerProcess } from '../../../../backend/sync/worker-process.js';

if (process.env.SYNC_TEST_CHILD === '1') {
  const killAt = process.env.KILL_AT;
  const real = globalThis.fetch;
  const hits = (method: string, url: string) =>
    method === 'POST' &&
    (killAt === 'graph-batch'
      ? /\/v1\.0\/\$batch$/.test(url)
      : killAt === 'superoffice-create'
        ? /\/api\/v1\/Appointment$/.test(url)
        : killAt === 'todo-create'
          ? /\/todo\/lists\/[^/]+\/tasks$/.test(url)
          : killAt === 'graph-contact-create' && /\/contactFolders\/[^/]+\/contacts$/.test(url));
  globalThis.fetch = async (input, init) => {
    const res = await real(input, init);
    const url = input instanceof Request ? input.url : String(input);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (res.ok && hits(method, url)) {
      // The write is applied and its answer here: die before the pass sees it.
      process.kill(process.pid, 'SIGKILL');
      await new Promise(() => {});
    }
    return res;
  };
  await runWorkerProcess({ argv: process.argv.slice(2) });
}
