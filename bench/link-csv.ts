/**
 * CSV import targets: a 10,000-row file previewed in < 1 s and applied in < 2 s on file-backed
 * SQLite (WAL, as in production), through the API as the panel calls it (app.callback() via the
 * test harness). Two files: 10,000 new links (Save Added Users' path), and 10,000 existing links
 * each with another Server Rank (Save Users Options' path). Each apply runs on its own fresh
 * database, so every run writes the full 10,000. Figures, never a failure on timing; it throws
 * (the bench exits 1) only if an answer is not what the file says.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { toCsv } from '../backend/http/csv.js';
import { makeHarness, newLink } from '../test/helpers/harness.js';
import { fileStore, newLinks, scratchDir } from './fixture.js';
import { ms, ratio, summarize } from './stats.js';

const ROWS = 10_000;
const RUNS = 3;
const TARGET = { preview: 1000, apply: 2000 };
const HEADER = ['Associate ID', 'Associate', 'Mailbox ID', 'Mailbox', 'Diary', 'Task', 'Contact', 'Server Rank', 'State'];

const fileOf = (rank: number) =>
  toCsv(
    HEADER,
    Array.from({ length: ROWS }, (_, i) => {
      const l = newLink(i + 1);
      return [l.associateId, l.associateName, l.mailboxId, l.mailboxAddress, true, true, true, rank, 'active'];
    }),
  );

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await work();
  return [performance.now() - started, value];
}

export async function linkCsvBench(dir: string): Promise<string[]> {
  const lines: string[] = [];
  for (const kind of ['new', 'changed'] as const) {
    const file = fileOf(kind === 'new' ? 1 : 7);
    const previews: number[] = [];
    const applies: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const h = await makeHarness({ store: await fileStore(dir) });
      try {
        const token = await h.token();
        if (kind === 'changed') {
          const saved = await h.request('POST', '/api/v1/links', { token, body: { links: newLinks(ROWS) } });
          if (saved.status !== 201) throw new Error(`seed: ${saved.status}`);
        }
        const upload = (url: string) => h.request('POST', url, { token, raw: file, headers: { 'content-type': 'text/csv' } });
        const [p, preview] = await timed(() => upload('/api/v1/links/import/preview'));
        if (preview.status !== 200 || preview.body.counts[kind] !== ROWS) throw new Error(`preview: ${preview.status} ${preview.text.slice(0, 200)}`);
        previews.push(p);
        const [a, applied] = await timed(() => upload(`/api/v1/links/import/apply?fingerprint=${preview.body.fingerprint}`));
        const written = kind === 'new' ? applied.body?.created : applied.body?.updated;
        if (applied.status !== 200 || written !== ROWS) throw new Error(`apply: ${applied.status} ${applied.text.slice(0, 200)}`);
        applies.push(a);
      } finally {
        await h.close();
      }
    }
    const sp = summarize(previews);
    const sa = summarize(applies);
    lines.push(`${ROWS} ${kind} rows (${(Buffer.byteLength(file) / 1024).toFixed(0)} kB): preview median ${ms(sp.median)} ms (max ${ms(sp.max)}), target < ${TARGET.preview}, ratio ${ratio(sp.median, TARGET.preview)}`);
    lines.push(`${ROWS} ${kind} rows: apply median ${ms(sa.median)} ms (max ${ms(sa.max)}), target < ${TARGET.apply}, ratio ${ratio(sa.median, TARGET.apply)}  (n=${RUNS} each)`);
  }
  return lines;
}

// `node dist/bench/link-csv.js` runs this part alone.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { dir, cleanup } = scratchDir();
  try {
    for (const line of await linkCsvBench(dir)) console.log(line);
  } finally {
    cleanup();
  }
}
