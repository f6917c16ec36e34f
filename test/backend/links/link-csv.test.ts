import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fromCsv } from '../../../backend/http/csv.js';
import { EXPORT_PAGE } from '../../../backend/links/link-csv.service.js';
import { ADMIN, allLinks, dumpDatabase, newLink, refusedBy, suiteHarness, testDialects, type Reply } from '../../helpers/harness.js';

const HEADER = 'Associate ID,Associate,Mailbox ID,Mailbox,Diary,Task,Contact,Server Rank,State';

/** A file as an export writes it: BOM, header, CRLF. */
const csvOf = (lines: string[]) => `\uFEFF${HEADER}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
/** One row for `newLink(n)` with the given options. */
const line = (n: number, o: { diary?: boolean; task?: boolean; contact?: boolean; rank?: number | string; state?: string; name?: string } = {}) => {
  const l = newLink(n);
  return [n, o.name ?? l.associateName, l.mailboxId, l.mailboxAddress, o.diary ?? true, o.task ?? true, o.contact ?? true, o.rank ?? 1, o.state ?? 'active'].join(',');
};

for (const dialect of testDialects()) {
  describe(`links CSV export and import (${dialect})`, () => {
    const s = suiteHarness({ dialect });
    let next = 500_000;
    /** Fresh associate numbers per test, so tests do not see each other's links. */
    const ids = (count: number) => Array.from({ length: count }, () => ++next);

    const save = async (links: unknown[], token = s.admin) => {
      const res = await s.h.request('POST', '/api/v1/links', { token, body: { links } });
      assert.equal(res.status, 201, res.text);
      return res.body.created as any[];
    };
    const exportCsv = (token = s.admin) => s.h.request('GET', '/api/v1/links/export', { token });
    const upload = (path: string, file: string | Buffer, token = s.admin, type = 'text/csv') =>
      s.h.request('POST', `/api/v1/links/import/${path}`, { token, raw: file, headers: { 'content-type': type } });
    const preview = (file: string | Buffer, token = s.admin) => upload('preview', file, token);
    const apply = (file: string | Buffer, fingerprint: string, skipRefused?: boolean, token = s.admin) =>
      upload(`apply?fingerprint=${fingerprint}${skipRefused === undefined ? '' : `&skipRefused=${skipRefused}`}`, file, token);
    /** Only the rows of the given associates (the suite's tenant holds other tests' links too). */
    const rowsOf = (res: Reply, associates: number[]) => res.body.rows.filter((r: any) => associates.includes(Number(r.values.associateId)));

    test('export: a text/csv attachment of every link of the tenant, with a BOM, the header and CRLF; formula cells neutralized', async () => {
      const [a, b, c] = ids(3);
      await save([newLink(a, { associateName: '=HYPERLINK("http://evil.example","x")' }), newLink(b, { diary: false, task: false, contact: false, rank: 7 }), newLink(c, { associateName: '@SUM(A1)' })]);
      const res = await exportCsv();
      assert.equal(res.status, 200, res.text);
      assert.match(String(res.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.match(String(res.headers['content-disposition']), /^attachment; filename="linked-users-\d{4}-\d{2}-\d{2}\.csv"$/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(res.text.startsWith(`\uFEFF${HEADER}\r\n`));
      const records = fromCsv(res.text);
      const byId = new Map(records.slice(1).map((r) => [Number(r[0]), r]));
      assert.equal(byId.get(a)![1], `'=HYPERLINK("http://evil.example","x")`);
      assert.equal(byId.get(c)![1], "'@SUM(A1)");
      assert.deepEqual(byId.get(b)!.slice(2), [newLink(b).mailboxId, newLink(b).mailboxAddress, 'false', 'false', 'false', '7', 'disabled']);
      assert.ok(!res.text.split('\r\n').some((l) => /^[=+\-@]|,[=+\-@]/.test(l)), 'no cell starts with a formula character');
    });

    test('export: read a page at a time, every link once, in list order', async () => {
      const many = ids(EXPORT_PAGE * 2 + 17);
      await save(many.map((n) => newLink(n)));
      const listed = await allLinks(s.h, s.admin);
      const records = fromCsv((await exportCsv()).text).slice(1);
      assert.equal(records.length, listed.length);
      assert.deepEqual(records.map((r) => Number(r[0])), listed.map((l) => l.associateId));
    });

    test('round trip: export, preview (all unchanged), apply: nothing changes, not even the audit log', async () => {
      const [a, b, c, d] = ids(4);
      const created = await save([newLink(a, { associateName: "'=already quoted" }), newLink(b, { rank: 42, contact: false }), newLink(c, { associateName: '-minus +plus' }), newLink(d)]);
      await s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes: [{ id: created[3].id, diary: false, task: true, contact: true, rank: 3, expectedVersion: 1 }] } });
      const file = (await exportCsv()).text;
      const before = await dumpDatabase(s.h.store);
      const res = await preview(file);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.counts.unchanged, res.body.counts.rows);
      assert.deepEqual([res.body.counts.new, res.body.counts.changed, res.body.counts.refused], [0, 0, 0]);
      assert.ok(res.body.rows.every((r: any) => r.status === 'unchanged' && r.reason === null && r.linkId), JSON.stringify(res.body.rows.find((r: any) => r.reason)));
      assert.equal(rowsOf(res, [a])[0].values.associateName, "'=already quoted");
      const applied = await apply(file, res.body.fingerprint);
      assert.equal(applied.status, 200, applied.text);
      assert.deepEqual(applied.body, { created: 0, updated: 0, unchanged: res.body.counts.rows, skipped: 0 });
      assert.equal(await dumpDatabase(s.h.store), before);
    });

    test('preview = applied result: a changed rank, a new link; the list then shows what the preview said; audited', async () => {
      const [a, b, c] = ids(3);
      await save([newLink(a), newLink(b)]);
      const file = csvOf([line(a, { rank: 9 }), line(b), line(c, { diary: false, rank: 4 })]);
      const before = await dumpDatabase(s.h.store);
      const res = await preview(file);
      assert.equal(res.status, 200, res.text);
      assert.equal(await dumpDatabase(s.h.store), before, 'a preview changes nothing');
      assert.deepEqual(res.body.counts, { rows: 3, new: 1, changed: 1, unchanged: 1, refused: 0 });
      assert.deepEqual(res.body.rows.map((r: any) => [r.row, r.status]), [[2, 'changed'], [3, 'unchanged'], [4, 'new']]);
      assert.deepEqual(res.body.rows[0].differences, [{ field: 'rank', from: 1, to: 9 }]);
      assert.equal(res.body.rows[2].linkId, null);

      const applied = await apply(file, res.body.fingerprint);
      assert.equal(applied.status, 200, applied.text);
      assert.deepEqual(applied.body, { created: 1, updated: 1, unchanged: 1, skipped: 0 });
      const listed = new Map((await allLinks(s.h, s.admin)).map((l) => [l.associateId, l]));
      for (const r of res.body.rows) {
        const l = listed.get(Number(r.values.associateId));
        assert.ok(l, `row ${r.row} is linked`);
        assert.deepEqual(
          [l.associateName, l.mailboxId, l.mailboxAddress, l.diary, l.task, l.contact, l.rank, l.state],
          [r.values.associateName, r.values.mailboxId, r.values.mailboxAddress, r.values.diary === 'true', r.values.task === 'true', r.values.contact === 'true', Number(r.values.rank), r.values.state],
          `row ${r.row}`,
        );
      }
      // The same file again: everything as the preview said it would be.
      const again = await preview(file);
      assert.deepEqual(again.body.counts, { rows: 3, new: 0, changed: 0, unchanged: 3, refused: 0 });
      const audit = (await s.h.request('GET', '/api/v1/audit?limit=10', { token: s.admin })).body.entries;
      const imported = audit.find((e: any) => e.action === 'links.imported');
      assert.equal(imported.actor.associateId, ADMIN.associateId);
      assert.deepEqual({ ...imported.after, fileSha256: undefined }, { rows: 3, created: 1, updated: 1, unchanged: 1, skipped: 0, fileSha256: undefined });
      assert.match(imported.after.fileSha256, /^[0-9a-f]{64}$/);
      assert.ok(audit.some((e: any) => e.action === 'link.created' && e.after.associateId === c), 'Save Added Users audited the new link');
      assert.ok(audit.some((e: any) => e.action === 'link.options_changed' && e.after.associateId === a && e.after.rank === 9), 'Save Users Options audited the change');
    });

    test('Undo takes an import back: its new links are removed (restorable) and its changed options put back, each an action of its own', async () => {
      const [a, b] = ids(2);
      const [kept] = await save([newLink(a, { rank: 2 })]);
      const file = csvOf([line(a, { rank: 8, task: false }), line(b, { rank: 5 })]);
      const res = await preview(file);
      assert.equal((await apply(file, res.body.fingerprint)).status, 200);
      const actions = (await s.h.request('GET', '/api/v1/undo', { token: s.admin })).body.actions as any[];
      const added = actions.find((x) => x.kind === 'links.added' && x.names.includes(newLink(b).associateName));
      const changed = actions.find((x) => x.kind === 'links.options_saved' && x.names.includes(newLink(a).associateName));
      assert.ok(added && changed, JSON.stringify(actions.slice(0, 3)));
      assert.deepEqual([added.links, changed.links], [1, 1]);

      const undoAdded = await s.h.request('POST', '/api/v1/undo', { token: s.admin, body: { actionId: added.id } });
      assert.equal(undoAdded.status, 200, undoAdded.text);
      const undoChanged = await s.h.request('POST', '/api/v1/undo', { token: s.admin, body: { actionId: changed.id } });
      assert.equal(undoChanged.status, 200, undoChanged.text);
      const listed = new Map((await allLinks(s.h, s.admin)).map((l) => [l.associateId, l]));
      assert.equal(listed.has(b), false, 'the imported link is gone');
      assert.deepEqual([listed.get(a)!.id, listed.get(a)!.rank, listed.get(a)!.task], [kept.id, 2, true], 'the changed link has its options from before');
      const removed = (await s.h.request('GET', '/api/v1/links/removed', { token: s.admin })).body.removed as any[];
      assert.ok(removed.some((r) => r.associateId === b), 'and can still be restored');
      // The same file previews as it did before it was applied.
      assert.deepEqual((await preview(file)).body.counts, res.body.counts);
    });

    test('refused rows, each with its reason; a file with any applies nothing unless skipRefused, which applies the rest', async () => {
      const [a, b, c, d, e, f, g, k, m, n, o, p, q, r, t] = ids(15);
      await save([newLink(a), newLink(b)]);
      const file = csvOf([
        line(c, { diary: 'maybe' as never }),
        line(d, { rank: 0 }),
        line(e, { rank: 100 }),
        line(f, { rank: '1.5' }),
        line(g, { rank: 'x' }),
        // Associate a, linked to another mailbox; mailbox of b for another associate.
        [a, 'Associate a', newLink(k).mailboxId, newLink(k).mailboxAddress, true, true, true, 1, 'active'].join(','),
        [m, 'Associate m', newLink(b).mailboxId, newLink(b).mailboxAddress, true, true, true, 1, 'active'].join(','),
        line(n),
        line(n, { rank: 2 }),
        [o, 'O', newLink(p).mailboxId, 'o@contoso.example', true, true, true, 1, ''].join(','),
        [p, 'P', newLink(p).mailboxId.toUpperCase(), 'p@contoso.example', true, true, true, 1, ''].join(','),
        line(q, { diary: false, task: false, contact: false, state: 'active' }),
        [r, 'R', 'not-a-guid', 'not-an-email', true, true, true, 1, 'active'].join(','),
        line(t, { task: 'FALSE' as never, contact: 'Yes' as never, state: 'ACTIVE' }),
      ]);
      const res = await preview(file);
      assert.equal(res.status, 200, res.text);
      const reason = (row: number) => res.body.rows.find((x: any) => x.row === row).reason as string;
      assert.match(reason(2), /^Diary must be true or false, not "maybe"\.$/);
      assert.match(reason(3), /Server Rank must be a whole number from 1 to 99/);
      assert.match(reason(4), /Server Rank must be a whole number from 1 to 99/);
      assert.match(reason(5), /Server Rank must be a whole number from 1 to 99/);
      assert.match(reason(6), /Server Rank must be a whole number from 1 to 99/);
      assert.match(reason(7), new RegExp(`already linked to ${newLink(a).mailboxAddress}`));
      assert.match(reason(8), new RegExp(`${newLink(b).mailboxAddress} is already linked to Associate ${b}`));
      assert.equal(reason(9), `Associate ${n} appears in rows 9, 10: each may appear once.`);
      assert.equal(reason(10), reason(9));
      assert.match(reason(11), /The mailbox o@contoso\.example appears in rows 11, 12/, 'the same GUID in another letter case is the same mailbox');
      assert.match(reason(13), /State would be disabled, not active/);
      assert.match(reason(14), /Mailbox ID: must be a Microsoft Graph user id \(GUID\)\. Mailbox: must be an email address\./);
      assert.equal(res.body.rows.find((x: any) => x.row === 15).status, 'new', 'FALSE, Yes and ACTIVE read as they are meant');
      assert.equal(res.body.counts.refused, 13);
      assert.equal(res.body.counts.new, 1);
      assert.equal(res.body.rows.find((x: any) => x.row === 7).linkId, (await allLinks(s.h, s.admin)).find((l) => l.associateId === a).id);

      const err = await refusedBy(s.h, 409, 'ImportHasRefusedRows', () => apply(file, res.body.fingerprint));
      assert.equal(err.details.length, 13);
      assert.match(err.details[0].message, /^Row 2: Diary must be true or false/);
      await refusedBy(s.h, 409, 'ImportHasRefusedRows', () => apply(file, res.body.fingerprint, false));

      const skipped = await apply(file, res.body.fingerprint, true);
      assert.equal(skipped.status, 200, skipped.text);
      assert.deepEqual(skipped.body, { created: 1, updated: 0, unchanged: 0, skipped: 13 });
      const linked = new Set((await allLinks(s.h, s.admin)).map((l) => l.associateId));
      assert.ok(linked.has(t));
      for (const x of [c, d, e, f, g, m, n, o, p, q, r]) assert.ok(!linked.has(x), `${x} was refused and not linked`);
    });

    test('a stale fingerprint: the links changed since the preview (or it was another file, or another tenant) → 409, nothing applied', async () => {
      const [a, b] = ids(2);
      const created = await save([newLink(a)]);
      const file = csvOf([line(a, { rank: 5 }), line(b)]);
      const first = await preview(file);
      assert.equal(first.status, 200, first.text);
      // Someone saves options of a link in the file.
      const patched = await s.h.request('PATCH', '/api/v1/links', { token: s.admin, body: { changes: [{ id: created[0].id, diary: true, task: true, contact: false, rank: 1, expectedVersion: 1 }] } });
      assert.equal(patched.status, 200);
      await refusedBy(s.h, 409, 'ImportStale', () => apply(file, first.body.fingerprint));
      // A link saved meanwhile for an associate of the file.
      const second = await preview(file);
      await save([newLink(b)]);
      await refusedBy(s.h, 409, 'ImportStale', () => apply(file, second.body.fingerprint));
      const third = await preview(file);
      await refusedBy(s.h, 409, 'ImportStale', () => apply(csvOf([line(a, { rank: 6 }), line(b)]), third.body.fingerprint));
      await refusedBy(s.h, 409, 'ImportStale', () => apply(file, third.body.fingerprint, false, s.other));
      assert.equal((await apply(file, third.body.fingerprint)).status, 200);
    });

    test("another tenant's administrator: their own links only (a file of this tenant's links is all new to them), and this tenant's fingerprint is stale", async () => {
      const [a] = ids(1);
      await save([newLink(a)]);
      const file = (await exportCsv()).text;
      const ours = await allLinks(s.h, s.admin);
      const theirs = await exportCsv(s.other);
      assert.equal(theirs.status, 200);
      for (const l of ours) assert.ok(!theirs.text.includes(l.mailboxId), `the other tenant's export shows ${l.mailboxId}`);
      const before = await dumpDatabase(s.h.store);
      const res = await preview(file, s.other);
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.rows.every((r: any) => r.status === 'new' && r.linkId === null));
      for (const l of ours) assert.ok(!res.text.includes(l.id), `the other tenant's preview shows link ${l.id}`);
      assert.equal(await dumpDatabase(s.h.store), before);
      const mine = await preview(file);
      await refusedBy(s.h, 409, 'ImportStale', () => apply(file, mine.body.fingerprint, false, s.other));
    });

    test('a non-administrator: 403 on export, preview and apply, before the body is read (whatever its type)', async () => {
      const file = csvOf([line(ids(1)[0]!)]);
      await refusedBy(s.h, 403, 'AdminRequired', () => exportCsv(s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => preview(file, s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => apply(file, 'x'.repeat(43), true, s.user));
      await refusedBy(s.h, 403, 'AdminRequired', () => upload('preview', Buffer.alloc(11 * 1024 * 1024, 0x41), s.user, 'application/octet-stream'));
      await refusedBy(s.h, 401, 'Unauthenticated', () => s.h.request('POST', '/api/v1/links/import/preview', { raw: file, headers: { 'content-type': 'text/csv' } }));
    });

    test('only text/csv in UTF-8: JSON, a form or another charset is 415; every other route stays JSON-only', async () => {
      const file = csvOf([line(ids(1)[0]!)]);
      await refusedBy(s.h, 415, 'UnsupportedMediaType', () => upload('preview', JSON.stringify({ file }), s.admin, 'application/json'));
      await refusedBy(s.h, 415, 'UnsupportedMediaType', () => upload('preview', 'a=b', s.admin, 'application/x-www-form-urlencoded'));
      const latin = await refusedBy(s.h, 415, 'UnsupportedMediaType', () => upload('preview', file, s.admin, 'text/csv; charset=iso-8859-1'));
      assert.match(latin.message, /UTF-8/);
      assert.equal((await upload('preview', file, s.admin, 'text/csv; charset=UTF-8')).status, 200);
      await refusedBy(s.h, 415, 'UnsupportedMediaType', () => s.h.request('POST', '/api/v1/links', { token: s.admin, raw: file, headers: { 'content-type': 'text/csv' } }));
      await refusedBy(s.h, 415, 'UnsupportedMediaType', () => s.h.request('PATCH', '/api/v1/links', { token: s.admin, raw: file, headers: { 'content-type': 'text/csv' } }));
    });

    test('bad query: 400 ValidationFailed before the file is looked at', async () => {
      const file = csvOf([line(ids(1)[0]!)]);
      const fp = (await preview(file)).body.fingerprint;
      await refusedBy(s.h, 400, 'ValidationFailed', () => upload('apply', file));
      await refusedBy(s.h, 400, 'ValidationFailed', () => upload('apply?fingerprint=short', file));
      await refusedBy(s.h, 400, 'ValidationFailed', () => upload(`apply?fingerprint=${fp}&skipRefused=yes`, file));
      await refusedBy(s.h, 400, 'ValidationFailed', () => upload(`apply?fingerprint=${fp}&tenantId=Cust99999`, file));
    });

    describe('hostile files', () => {
      test('a BOM is accepted, and so is a file without one', async () => {
        const [a] = ids(1);
        const withBom = await preview(csvOf([line(a)]));
        const without = await preview(csvOf([line(a)]).slice(1));
        assert.equal(withBom.status, 200);
        assert.equal(without.status, 200);
        assert.deepEqual(without.body.rows, withBom.body.rows);
      });

      test('Latin-1 / Windows-1252, UTF-16 with and without a BOM: refused, saying how to save the file', async () => {
        const text = csvOf([line(ids(1)[0]!, { name: 'Bjørn Ærlig Åsen' })]).slice(1);
        const utf16 = Buffer.from(text, 'utf16le');
        for (const [what, bytes, pattern] of [
          ['Latin-1', Buffer.from(text, 'latin1'), /Windows-1252 or Latin-1/],
          ['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]), /UTF-16/],
          ['UTF-16BE with BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), /UTF-16/],
          ['UTF-16 without BOM', utf16, /NUL bytes/],
        ] as const) {
          const err = await refusedBy(s.h, 400, 'CsvUnreadable', () => preview(bytes));
          assert.match(err.details[0].message, pattern, what);
          assert.match(err.details[0].message, /CSV UTF-8/, what);
        }
        // The same text in UTF-8 is read, letters intact.
        const ok = await preview(Buffer.from(text, 'utf8'));
        assert.equal(ok.body.rows[0].values.associateName, 'Bjørn Ærlig Åsen');
      });

      test('more than 10 MB: 413, told by Content-Length or counted while reading', async () => {
        const big = csvOf([line(1)]) + 'x'.repeat(10 * 1024 * 1024);
        await refusedBy(s.h, 413, 'PayloadTooLarge', () => preview(big));
        await refusedBy(s.h, 413, 'PayloadTooLarge', () => apply(big, 'x'.repeat(43)));
        // Exactly 10 MB is read (and then refused for what it is, not its size).
        const exact = Buffer.alloc(10 * 1024 * 1024, 0x41);
        await refusedBy(s.h, 400, 'CsvUnreadable', () => preview(exact));
      });

      test('100,000 rows: refused as a whole, saying the most one import takes', async () => {
        const rows = Array.from({ length: 100_000 }, (_, i) => `${i + 1},A,00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')},a@b.io,1,1,1,1,`);
        const file = csvOf(rows);
        assert.ok(file.length < 10 * 1024 * 1024, 'under the size limit');
        const started = Date.now();
        const err = await refusedBy(s.h, 400, 'CsvUnreadable', () => preview(file));
        assert.equal(err.details[0].code, 'TooManyRows');
        assert.match(err.details[0].message, /^The file has 100000 rows; one import takes at most 20000\./);
        assert.ok(Date.now() - started < 10_000);
      });

      test('formulas: an export neutralizes them and an import reads them back; a raw formula in a file is stored as the text it is', async () => {
        const [a, b] = ids(2);
        for (const name of ['=1+1', '+47 22', '-x', '@SUM(A1)']) {
          const n = ids(1)[0]!;
          await save([newLink(n, { associateName: name })]);
          const row = fromCsv((await exportCsv()).text).find((r) => Number(r[0]) === n)!;
          assert.equal(row[1], `'${name}`);
          const res = await preview(csvOf([row.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')]));
          assert.equal(res.body.rows[0].status, 'unchanged', name);
          assert.equal(res.body.rows[0].values.associateName, name);
        }
        // A file written by hand with a formula: the name is the text, never run.
        const res = await preview(csvOf([line(a, { name: '=HYPERLINK("x")' }).replace('=HYPERLINK("x")', '"=HYPERLINK(""x"")"'), line(b, { name: "'=quoted" })]));
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.rows[0].values.associateName, '=HYPERLINK("x")');
        assert.equal(res.body.rows[1].values.associateName, '=quoted');
      });

      test('unknown, missing and repeated columns, an empty file, a broken quote: 400 CsvUnreadable with what is wrong', async () => {
        const row = line(ids(1)[0]!);
        const cases: [string, string, RegExp][] = [
          ['unknown column', `${HEADER},Password\r\n${row},x\r\n`, /Unknown column "Password"/],
          ['missing column', `${HEADER.replace(',Server Rank', '')}\r\n${row.split(',').filter((_, i) => i !== 7).join(',')}\r\n`, /Missing column "Server Rank"/],
          ['repeated column', `${HEADER},Diary\r\n${row},true\r\n`, /"Diary" appears twice/],
          ['empty file', '', /empty/],
          ['only a BOM', '\uFEFF', /empty/],
          ['a row with a cell too many', `${HEADER}\r\n${row},extra\r\n`, /./],
          ['a broken quote', `${HEADER}\r\n"${row}\r\n`, /quote/i],
        ];
        for (const [what, file, pattern] of cases) {
          const err = await refusedBy(s.h, 400, 'CsvUnreadable', () => preview(file));
          assert.match(err.details.map((d) => d.message).join(' '), pattern, what);
        }
        // Columns in another order, headers in other letter case: read by name.
        const [a] = ids(1);
        const l = newLink(a);
        const res = await preview(`server rank , STATE,diary,task,contact,mailbox,mailbox id,associate,associate id\r\n3,,false,true,true,${l.mailboxAddress},${l.mailboxId},${l.associateName},${a}\r\n`);
        assert.equal(res.status, 200, res.text);
        assert.equal(res.body.rows[0].status, 'new');
        assert.equal(res.body.rows[0].values.rank, '3');
      });

      test('a file with only the header: nothing to do, nothing written', async () => {
        const res = await preview(`${HEADER}\r\n`);
        assert.deepEqual(res.body.counts, { rows: 0, new: 0, changed: 0, unchanged: 0, refused: 0 });
        const before = await dumpDatabase(s.h.store);
        assert.deepEqual((await apply(`${HEADER}\r\n`, res.body.fingerprint)).body, { created: 0, updated: 0, unchanged: 0, skipped: 0 });
        assert.equal(await dumpDatabase(s.h.store), before);
      });
    });
  });
}
