// Browser tests: @web/test-runner in real Chromium, against the real endpoint and a real site
// build (see setup/assent-server.ts). `npm run test:browser`.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { findChromium } from '../../src/preview/chromium.ts';
import { assentServer } from './setup/assent-server.ts';

const port = Number(process.env.ASSENT_BROWSER_TEST_PORT || 8431);
const chromium = await findChromium();
console.log(chromium.description);

export default {
  rootDir: new URL('../..', import.meta.url).pathname,
  files: ['tests/browser/**/*.test.ts'],
  hostname: '127.0.0.1',
  port,
  nodeResolve: true,
  // Test files share the browser's cookies, storage and the one endpoint: one at a time.
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 180_000,
  testFramework: { config: { timeout: 20_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: { ...chromium.launchOptions, headless: true },
    }),
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022' }),
    assentServer({ origin: `http://127.0.0.1:${port}` }),
  ],
};
