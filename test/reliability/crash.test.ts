import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test, type TestContext } from 'node:test';
import { openStore, type Store } from '../../backend/db/store.js';
import { ADMIN } from '../helpers/harness.js';
import {
  auditDisagreements,
  call,
  count,
  fileSize,
  integrity,
  issueTokens,
  killAll,
  listAllLinks,
  migratedFile,
  pair,
  seedHistoryBulk,
  sendRaw,
  startServer,
  TENANT,
} from './support.js';

/**
 * The backend process SIGKILLed while a large change is in flight (the request body fully sent),
 * then started again on the same SQLite file. Whatever the moment of the kill, the change is all
 * there with one audit row per link, or not there at all with no audit row; the file passes
 * `pragma integrity_check`; and the same request sent again completes the change.
 *
 * When to kill is taken from an uninterrupted run of the same request (measured first): at 30 %
 * of its time (before the transaction), as soon as the WAL file grows by one page (SQLite has
 * begun spilling the uncommitted transaction to it), when it has grown by 60 % of what the whole
 * change writes, at 105 % of the time (around the commit and the reply) and at 160 % (after). A kill
 * counts as "mid-transaction" when nothing was committed but pages had been written to the WAL
 * (SQLite ignores them when the file is opened again).
 */

const LINKS = Number(process.env.CRASH_LINKS) || 10_000;
const HISTORY_PER_LINK = 10;
/** Kill after this long (fraction of the uninterrupted time), or once the WAL grew by this much (fraction of what the change writes; 0 = one page). */
type Trigger = { time: number } | { wal: number };
const TRIGGERS: Trigger[] = [{ time: 0.3 }, { wal: 0 }, { wal: 0.6 }, { time: 1.05 }, { time: 1.6 }];
const PAGE = 4096;

type Outcome = 'all' | 'none';
interface Kill {
  trigger: string;
  /** From the last byte of the body sent to the kill. */
  delayMs: number;
  /** The reply, if it came before the kill. */
  replied: boolean;
  walGrowth: number;
  outcome: Outcome;
  retry: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SIGKILL in the middle of a large change, then a restart on the same file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailbox-link-crash-'));
  after(() => {
    killAll();
    rmSync(dir, { recursive: true, force: true });
  });

  let runs = 0;

  /**
   * One kill: a copy of `template`, the server started on it, the request sent, SIGKILL after
   * `afterMs` from the last byte of the body going out or once the WAL grew by `walBytes`, the
   * server started again, `check` on what is there.
   */
  async function killDuring(
    template: string,
    token: string,
    method: string,
    path: string,
    body: string,
    when: { label: string; afterMs?: number; walBytes?: number; latestMs: number },
    check: (store: Store, base: string) => Promise<{ outcome: Outcome; retry: number }>,
  ): Promise<Kill> {
    const file = join(dir, `run-${++runs}.db`);
    copyFileSync(template, file);
    const first = await startServer(file, { logLevel: 'warn' });
    const walBefore = fileSize(`${file}-wal`);
    const { sent, reply } = sendRaw(first.base, method, path, token, body);
    let repliedAt: number | null = null;
    void reply.then((r) => {
      if ('status' in r) repliedAt = performance.now();
    });
    const sentAt = await sent;
    if (when.walBytes !== undefined) {
      // Watch the WAL file: kill as soon as the transaction has written that much to it.
      const deadline = sentAt + when.latestMs;
      while (fileSize(`${file}-wal`) - walBefore < when.walBytes && performance.now() < deadline && repliedAt === null) await sleep(1);
    } else {
      await sleep(when.afterMs ?? 0);
    }
    const killedAt = performance.now();
    first.child.kill('SIGKILL');
    const exit = await first.exit;
    assert.equal(exit.signal, 'SIGKILL');
    await reply;
    const walGrowth = fileSize(`${file}-wal`) - walBefore;

    const second = await startServer(file, { logLevel: 'warn' });
    const store = openStore(`sqlite:${file}`);
    try {
      assert.deepEqual(await integrity(store), ['ok'], 'the file is sound after the kill');
      const result = await check(store, second.base);
      assert.deepEqual(await auditDisagreements(store), [], 'the audit log agrees with the data');
      return { trigger: when.label, delayMs: Math.round(killedAt - sentAt), replied: repliedAt !== null && repliedAt <= killedAt, walGrowth, ...result };
    } finally {
      await store.destroy();
      await second.stop();
      rmSync(file, { force: true });
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
    }
  }

  /** How long the request takes when nothing stops it (body sent → reply), and how much it writes to the WAL. */
  async function uninterrupted(template: string, token: string, method: string, path: string, body: string, status: number): Promise<{ ms: number; wal: number }> {
    const file = join(dir, `calibrate-${++runs}.db`);
    copyFileSync(template, file);
    const server = await startServer(file, { logLevel: 'warn' });
    try {
      // Once to warm up (the first request compiles the code paths), once to measure.
      const warm = await call(server.base, method, path, token, JSON.parse(body));
      assert.equal(warm.status, status, warm.text.slice(0, 300));
      await server.stop();
      copyFileSync(template, file);
      rmSync(`${file}-wal`, { force: true });
      rmSync(`${file}-shm`, { force: true });
      const again = await startServer(file, { logLevel: 'warn' });
      try {
        const walBefore = fileSize(`${file}-wal`);
        const { sent, reply } = sendRaw(again.base, method, path, token, body);
        const at = await sent;
        const r = await reply;
        assert.ok('status' in r && r.status === status, JSON.stringify(r).slice(0, 300));
        return { ms: performance.now() - at, wal: fileSize(`${file}-wal`) - walBefore };
      } finally {
        await again.stop();
      }
    } finally {
      await server.stop();
      rmSync(file, { force: true });
    }
  }

  /** One kill per trigger, each on a fresh copy; reports when each landed and what was there after. */
  async function campaign(t: TestContext, label: string, plain: { ms: number; wal: number }, one: (when: Parameters<typeof killDuring>[5]) => Promise<Kill>): Promise<Kill[]> {
    const kills: Kill[] = [];
    for (const trigger of TRIGGERS) {
      kills.push(
        await one(
          'time' in trigger
            ? { label: `${Math.round(trigger.time * 100)} % of the time`, afterMs: Math.round(trigger.time * plain.ms), latestMs: plain.ms * 3 }
            : { label: trigger.wal === 0 ? 'first WAL page' : `WAL ${Math.round(trigger.wal * 100)} % written`, walBytes: Math.max(PAGE, Math.round(trigger.wal * plain.wal)), latestMs: plain.ms * 3 },
        ),
      );
    }
    // At least one page (4 KiB) of the transaction written to the WAL, and none of it committed.
    const mid = (k: Kill) => !k.replied && k.outcome === 'none' && k.walGrowth >= PAGE;
    // On a machine fast enough to commit before the kill lands, try the first-page trigger again.
    for (let extra = 0; extra < 2 && !kills.some(mid); extra++) {
      kills.push(await one({ label: 'first WAL page (again)', walBytes: PAGE, latestMs: plain.ms * 3 }));
    }
    for (const k of kills) {
      const when = k.replied ? 'after the reply' : k.outcome === 'all' ? 'after the commit, before the reply' : mid(k) ? 'mid-transaction' : 'before any page was written';
      t.diagnostic(
        `${label}: SIGKILL at ${k.trigger}, ${k.delayMs} ms after the body was sent (${when}; WAL +${k.walGrowth.toLocaleString('en')} bytes) → ${k.outcome === 'all' ? 'all there' : 'nothing there'}; retry ${k.retry}`,
      );
    }
    const beforeReply = kills.filter((k) => !k.replied).length;
    t.diagnostic(
      `${label}: ${kills.length} kills (uninterrupted: ${plain.ms.toFixed(0)} ms, ${plain.wal.toLocaleString('en')} WAL bytes), ${beforeReply} before the reply, ` +
        `${kills.filter(mid).length} mid-transaction, outcomes ${kills.filter((k) => k.outcome === 'all').length} all / ${kills.filter((k) => k.outcome === 'none').length} none, never partial`,
    );
    assert.ok(beforeReply > 0, 'at least one kill came before the reply');
    assert.ok(kills.some(mid), 'at least one kill landed mid-transaction');
    return kills;
  }

  test(`Save Added Users of ${LINKS.toLocaleString('en')} links`, async (t) => {
    const started = performance.now();
    const template = join(dir, 'save-template.db');
    await migratedFile(template);
    const [token] = (await issueTokens(template, [ADMIN])) as [string];
    const body = JSON.stringify({ links: Array.from({ length: LINKS }, (_, i) => pair(i + 1, i + 1)) });
    const plain = await uninterrupted(template, token, 'POST', '/api/v1/links', body, 201);

    await campaign(t, 'save', plain, (when) =>
      killDuring(template, token, 'POST', '/api/v1/links', body, when, async (store, base) => {
        const links = await count(store, 'link');
        const audit = await count(store, 'audit_log');
        const created = await count(store, 'audit_log', 'link.created');
        assert.ok(
          (links === LINKS && created === LINKS && audit === LINKS) || (links === 0 && audit === 0),
          `partial save: ${links} links, ${created} link.created rows, ${audit} audit rows`,
        );
        // The same request again: created (if it had not landed) or unchanged (if it had).
        const retry = await call(base, 'POST', '/api/v1/links', token, body);
        if (links === 0) {
          assert.equal(retry.status, 201, retry.text.slice(0, 300));
          assert.equal(retry.body.created.length, LINKS);
        } else {
          assert.equal(retry.status, 200, retry.text.slice(0, 300));
          assert.deepEqual([retry.body.created.length, retry.body.unchanged.length], [0, LINKS]);
        }
        assert.equal(await count(store, 'link'), LINKS);
        assert.equal(await count(store, 'audit_log', 'link.created'), LINKS);
        assert.equal((await listAllLinks(base, token)).length, LINKS);
        return { outcome: links === 0 ? 'none' : 'all', retry: retry.status };
      }),
    );
    t.diagnostic(`save: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  test(`Remove Selected Users of ${LINKS.toLocaleString('en')} links with ${(LINKS * HISTORY_PER_LINK).toLocaleString('en')} history rows`, async (t) => {
    const started = performance.now();
    const template = join(dir, 'remove-template.db');
    await migratedFile(template);
    const [token] = (await issueTokens(template, [ADMIN])) as [string];
    {
      const server = await startServer(template, { logLevel: 'warn' });
      const saved = await call(server.base, 'POST', '/api/v1/links', token, { links: Array.from({ length: LINKS }, (_, i) => pair(i + 1, i + 1)) });
      assert.equal(saved.status, 201);
      await server.stop();
      const store = openStore(`sqlite:${template}`);
      assert.equal(await seedHistoryBulk(store, TENANT, HISTORY_PER_LINK), LINKS * HISTORY_PER_LINK);
      await store.destroy();
    }
    const ids = await (async () => {
      const store = openStore(`sqlite:${template}`);
      const rows = await store.db.selectFrom('link').select('id').orderBy('associate_id').execute();
      await store.destroy();
      return rows.map((r) => r.id);
    })();
    const body = JSON.stringify({ ids });
    const plain = await uninterrupted(template, token, 'POST', '/api/v1/links/removal', body, 200);

    await campaign(t, 'removal', plain, (when) =>
      killDuring(template, token, 'POST', '/api/v1/links/removal', body, when, async (store, base) => {
        const links = await count(store, 'link');
        const history = await count(store, 'sync_item');
        const removed = await count(store, 'audit_log', 'link.removed');
        const kept = links === LINKS && history === LINKS * HISTORY_PER_LINK && removed === 0;
        const gone = links === 0 && history === 0 && removed === LINKS;
        assert.ok(kept || gone, `partial removal: ${links} links, ${history} history rows, ${removed} link.removed rows`);
        const retry = await call(base, 'POST', '/api/v1/links/removal', token, body);
        if (kept) {
          assert.equal(retry.status, 200, retry.text.slice(0, 300));
          assert.deepEqual([retry.body.removed.links, retry.body.removed.historyRows], [LINKS, LINKS * HISTORY_PER_LINK]);
        } else {
          // Already removed: the retry finds none of them and changes nothing.
          assert.equal(retry.status, 404, retry.text.slice(0, 300));
          assert.equal(retry.body.error.code, 'LinkNotFound');
        }
        assert.deepEqual([await count(store, 'link'), await count(store, 'sync_item'), await count(store, 'audit_log', 'link.removed')], [0, 0, LINKS]);
        return { outcome: kept ? 'none' : 'all', retry: retry.status };
      }),
    );
    t.diagnostic(`removal: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
});
