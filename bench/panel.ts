/**
 * Panel targets in Debian Chromium: the initial JavaScript's gzipped size, and with 10,000 linked
 * users the time to the first screen of `so-linked-user-list` and the rows kept in the DOM while
 * scrolling. The bundle is the one `npm run build:panel` wrote to panel/dist/.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/helpers/browser.js';
import { ms, summarize } from './stats.js';

// The functions passed to page.evaluate run in the browser; the root build has no DOM types.
declare const document: any;
declare const customElements: any;
declare const requestAnimationFrame: (cb: (time: number) => void) => number;
type HTMLElement = any;

const DIST = fileURLToPath(new URL('../../panel/dist/', import.meta.url));
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><script type="module" src="/panel.js"></script></head>
<body style="margin:0"><div style="width:1024px;height:700px"></div></body></html>`;

export async function panelBench(): Promise<string[]> {
  // The hashed bundle the build named in its manifest (panel.[hash].js).
  const manifest = JSON.parse(readFileSync(`${DIST}manifest.json`, 'utf8')) as Record<string, string>;
  const bundle = readFileSync(`${DIST}${manifest['panel.js']}`);
  const gz = gzipSync(bundle).length;
  const server = createServer((req, res) => {
    if (req.url === '/panel.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(bundle);
    } else {
      res.setHeader('content-type', 'text/html');
      res.end(PAGE);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 700 } })).newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => customElements.get('so-linked-user-list') !== undefined);
    const samples: number[] = [];
    let domRows = 0;
    let domRowsScrolled = 0;
    for (let run = 0; run < 8; run++) {
      const result = await page.evaluate(async () => {
        const links = Array.from({ length: 10_000 }, (_, i) => ({
          key: `k${i}`,
          id: `k${i}`,
          version: 1,
          associateId: i + 1,
          associateName: `Associate ${String(i).padStart(5, '0')}`,
          mailboxId: `m${i}`,
          mailboxAddress: `user${i}@nordlys.example`,
          diary: true,
          task: i % 3 !== 0,
          contact: i % 5 !== 0,
          rank: (i % 9) + 1,
          saved: { diary: true, task: i % 3 !== 0, contact: i % 5 !== 0, rank: (i % 9) + 1 },
        }));
        const host = document.querySelector('div')!;
        host.replaceChildren();
        const start = performance.now();
        const el = document.createElement('so-linked-user-list') as HTMLElement & { links: unknown[] };
        el.style.height = '700px';
        el.style.display = 'block';
        el.links = links;
        host.append(el);
        const list = () => el.shadowRoot?.querySelector('so-data-list')?.shadowRoot;
        const count = () => list()?.querySelectorAll('.body [role="row"]').length ?? 0;
        // First screen: rows present and painted.
        while (count() === 0) await new Promise((r) => requestAnimationFrame(r));
        await new Promise((r) => requestAnimationFrame(r));
        const firstScreen = performance.now() - start;
        const rows = count();
        const body = list()!.querySelector('.body')!;
        let maxRows = rows;
        for (const top of [50_000, 150_000, 250_000, 10_000_000]) {
          body.scrollTop = top;
          for (let f = 0; f < 3; f++) await new Promise((r) => requestAnimationFrame(r));
          maxRows = Math.max(maxRows, count());
        }
        return { firstScreen, rows, maxRows };
      });
      if (run > 0) samples.push(result.firstScreen); // the first run warms the JIT
      domRows = result.rows;
      domRowsScrolled = Math.max(domRowsScrolled, result.maxRows);
    }
    const s = summarize(samples);
    return [
      `panel initial JavaScript: ${(bundle.length / 1024).toFixed(1)} KiB, ${(gz / 1024).toFixed(1)} KiB gzipped (target < 80 KB, ratio ${(gz / 80_000).toFixed(2)})`,
      `linked users list, 10,000 rows, first screen in Chromium: median ${ms(s.median)} ms (min ${ms(s.min)}, max ${ms(s.max)}, n=${s.n}; target < 200 ms, ratio ${(s.median / 200).toFixed(2)})`,
      `rows in the DOM: ${domRows} on the first screen, at most ${domRowsScrolled} while scrolling (target < 200)`,
    ];
  } finally {
    await browser.close();
    server.close();
  }
}
