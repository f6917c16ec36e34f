// Component tests of the panel (panel/src/**/*.test.ts) in Debian's Chromium, headless.
// Nothing here downloads a browser: CHROMIUM_PATH or /usr/bin/chromium is used as it is.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';

export default {
  files: ['panel/src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'development'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'panel/tsconfig.json' })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-dev-shm-usage',
          // Animation frames and timers must run in every test page (the virtualizer uses them).
          '--disable-background-timer-throttling',
          '--disable-renderer-backgrounding',
          '--disable-backgrounding-occluded-windows',
        ],
      },
    }),
  ],
  // One page at a time: the tests use real focus, keyboard and mouse, which a page only gets in front.
  concurrency: 1,
  concurrentBrowsers: 1,
  browserStartTimeout: 60_000,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 10_000 } },
  // Lit's development build (its checks stay on in tests) without its "dev mode" notice per file.
  // "ResizeObserver loop completed with undelivered notifications" is benign (the virtualizer
  // measures rows and places them again in the same frame; its authors ignore it in their tests
  // too): stopped here, before Mocha or the runner's logging would take it for a failure.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head>
    <script>
      globalThis.litIssuedWarnings = new Set(['dev-mode']);
      window.addEventListener('error', (e) => {
        if (/ResizeObserver loop/.test(e.message)) e.stopImmediatePropagation();
      }, { capture: true });
    </script>
  </head>
  <body><script type="module" src="${testFramework}"></script></body>
</html>`,
};
