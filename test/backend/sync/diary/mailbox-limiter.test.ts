import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { mailboxLimiter } from '../../../../backend/sync/mailbox-limiter.js';
import { eventWrite, outlookSimsPerSuite, type OutlookSims } from './outlook-support.js';

describe('per-mailbox Graph limits', () => {
  const sims = outlookSimsPerSuite();
  let o: OutlookSims;
  beforeEach(() => {
    o = sims();
  });

  const peak = async () => (await o.control('GET', '/concurrency')).peakByMailbox[o.user] ?? 0;
  const requests = async () => (await o.control('GET', '/requests')).total as number;

  it('keeps at most 4 requests in flight for a mailbox under 50 parallel calls and a $batch', async () => {
    const { outlook } = o.calendar();
    const [made] = await outlook.create([{ transactionId: 't', tag: 'so:1', event: eventWrite('A', '2026-12-01T10:00:00', '2026-12-01T11:00:00') }]);
    assert.ok(made && 'ok' in made);
    o.sims.graph.control.setFaults({ delayMs: 40 });
    const batch = outlook.create([{ transactionId: 'u', tag: 'so:2', event: eventWrite('B', '2026-12-02T10:00:00', '2026-12-02T11:00:00') }]);
    const got = await Promise.all(Array.from({ length: 50 }, () => outlook.get(made.ok.id)));
    assert.ok(got.every((e) => e?.id === made.ok.id));
    assert.ok('ok' in (await batch)[0]!);
    const seen = await peak();
    assert.ok(seen <= 4 && seen >= 2, `peak ${seen}`);
    assert.equal((await o.control('GET', '/requests')).throttled, 0, 'Graph never had to refuse one');
  });

  it('retries a throttled request after Retry-After through the same limit', async () => {
    const { outlook } = o.calendar();
    const [made] = await outlook.create([{ transactionId: 't', tag: 'so:1', event: eventWrite('A', '2026-12-01T10:00:00', '2026-12-01T11:00:00') }]);
    assert.ok(made && 'ok' in made);
    o.sims.graph.control.setFaults({ throttled: 6, retryAfterSeconds: 1, delayMs: 20 });
    const started = Date.now();
    const got = await Promise.all(Array.from({ length: 12 }, () => outlook.get(made.ok.id)));
    assert.ok(got.every((e) => e?.tag === 'so:1'));
    assert.ok(Date.now() - started >= 900, 'waited out Retry-After');
    assert.ok((await peak()) <= 4);
  });

  it('a long Retry-After fails the mailbox throttled at once instead of sleeping', async () => {
    const { outlook } = o.calendar();
    o.sims.graph.control.setFaults({ throttled: 1, retryAfterSeconds: 120 });
    await assert.rejects(outlook.get('x'), (err: any) => err.code === 'MicrosoftThrottled' && err.retryAfterSeconds >= 119 && err.retryAfterSeconds <= 120);
    const before = await requests();
    await assert.rejects(outlook.listWindow({ start: '2026-12-01T00:00:00Z', end: '2026-12-02T00:00:00Z' }), { code: 'MicrosoftThrottled' });
    assert.equal(await requests(), before, 'the paused mailbox sent nothing');
  });

  it('spending the budget fails with MicrosoftThrottled and retryAfterSeconds; it slides back', async () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const { outlook } = o.calendar({ budget: 25, now: () => now });
    const outcomes = await outlook.create(Array.from({ length: 20 }, (_, i) => ({ transactionId: `t${i}`, tag: `so:${i}`, event: eventWrite(`E${i}`, '2026-12-01T10:00:00', '2026-12-01T11:00:00') })));
    assert.ok(outcomes.every((r) => 'ok' in r), 'a $batch costs its 20 items');
    now += 300_000;
    for (let i = 0; i < 5; i++) await outlook.get('missing');
    const before = await requests();
    await assert.rejects(outlook.get('missing'), (err: any) => err.code === 'MicrosoftThrottled' && err.retryAfterSeconds === 300);
    const second = await outlook.create([{ transactionId: 'late', tag: 'so:late', event: eventWrite('Late', '2026-12-01T10:00:00', '2026-12-01T11:00:00') }]);
    assert.equal((second[0] as { error: any }).error.code, 'MicrosoftThrottled');
    assert.equal(await requests(), before, 'nothing was sent over budget');
    now += 300_000;
    assert.equal(await outlook.get('missing'), null, 'the batch left the 10-minute window');
  });

  it('is one limiter per mailbox for the whole process', () => {
    const a = mailboxLimiter('Tenant-A', 'Mailbox-1');
    assert.equal(mailboxLimiter('tenant-a', 'mailbox-1'), a);
    assert.notEqual(mailboxLimiter('tenant-a', 'mailbox-2'), a);
  });
});
