/**
 * `npm run screenshots`: the pictures in README, taken from the real demo. Builds the site from
 * a copy of content/ (to which it adds a required agreement version and a notice privacy
 * version, so the update pop-ups have something to show), runs everything as `npm start` does,
 * and photographs the policy page and each component in Chromium (chromium.ts), then the
 * operator console over generated records, with Chinese in Noto Sans SC from its npm package
 * (cjk-font.ts), so no CJK font is needed on the machine. Writes src/preview/screenshots/*.png.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Locator, type Page } from 'playwright-core';
import { localDate } from '../contract/dates.ts';
import type { Manifest } from '../contract/manifest.ts';
import { loadServerConfig } from '../server/config.ts';
import { startEndpoint } from '../server/serve.ts';
import { keyFromHex, type SubjectKeys } from '../server/subject-keys.ts';
import { findChromium } from './chromium.ts';
import { addCjkFont, cjkFontLoaded } from './cjk-font.ts';
import { sampleRows, seedSqlite } from './sample-records.ts';
import { startPreview } from './start.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const out = fileURLToPath(new URL('./screenshots', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'assent-screenshots-'));
const contentDir = join(work, 'content');
cpSync(join(projectRoot, 'content'), contentDir, { recursive: true });
mkdirSync(out, { recursive: true });

const preview = await startPreview({
  host: '127.0.0.1',
  sitePort: 0,
  endpointPort: 0,
  dataDir: join(work, 'data'),
  contentDir,
  outDir: join(work, 'dist'),
  manifestRefreshSeconds: 0.2,
  log: (line) => console.log(line),
});
const found = await findChromium();
const browser = await chromium.launch({ ...found.launchOptions, headless: true });
console.log(`${found.description}, version ${browser.version()}`);

async function shoot(target: Page | Locator, name: string): Promise<void> {
  await (target as Page).waitForTimeout?.(400);
  await cjkFontLoaded('page' in target ? target.page() : target);
  await target.screenshot({ path: join(out, `${name}.png`), animations: 'disabled' });
  console.log(`wrote ${join('src/preview/screenshots', `${name}.png`)}`);
}

/**
 * The operator console over 90 days of generated records (sample-records.ts), on an endpoint of
 * its own with the site's manifest and console. In English: the pictures are read by people
 * who may not have a CJK font.
 */
async function shootConsole(): Promise<void> {
  const dataDir = join(work, 'console-data');
  mkdirSync(dataDir);
  const manifestFile = join(work, 'dist/assent/manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const hmacSecret = '5a'.repeat(32);
  const keys: SubjectKeys = { current: 1, keys: new Map([[1, keyFromHex(hmacSecret)]]) };
  seedSqlite(dataDir, sampleRows({ manifest, count: 20_000, days: 90, keys }));
  const token = 'screenshot-operator-token';
  const endpoint = await startEndpoint(
    loadServerConfig({
      env: {},
      flags: {
        port: 0,
        dataDir,
        manifest: manifestFile,
        hmacSecret,
        operatorToken: token,
        consoleDir: join(work, 'dist/console'),
      },
    }),
  );
  try {
    await endpoint.app.stats.catchUp();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1180, height: 1480 } });
    const page = await context.newPage();
    await page.goto(`${endpoint.url}/console/`);
    await page.getByLabel('Operator token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const from = new Date(Date.now() - 89 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('From').fill(from);
    await page.getByLabel('Points by').selectOption('week');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('figure', { name: 'Records by type' }).waitFor();
    await shoot(page, 'console-overview');
    await page.getByRole('button', { name: 'Records' }).click();
    await page.getByRole('table', { name: 'Records, newest first' }).getByRole('row').nth(20).waitFor();
    await shoot(page, 'console-records');
    await context.close();
  } finally {
    await endpoint.close();
  }
}

try {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 1180, height: 860 },
    deviceScaleFactor: 1,
  });
  const page = await context.newPage();
  const at = (path: string) => new URL(path, preview.siteUrl).href;

  await page.goto(at('besttrav-privacy-policy/2020-12-01/'));
  await addCjkFont(page);
  await shoot(page, 'policy-page');
  await page.goto(at('weisure-service-agreement/2018-06-01/#c3.5.2'));
  await addCjkFont(page);
  await shoot(page, 'policy-deep-link');
  await page.goto(at('besttrav-privacy-policy/changes/2020-12-01...2021-06-01/'));
  await addCjkFont(page);
  await shoot(page, 'changes-page');

  await page.goto(preview.demoUrl);
  await addCjkFont(page);
  const cookies = page.locator('assent-cookies');
  await cookies.locator('[part~="banner"]').waitFor();
  await shoot(page, 'demo-first-visit');
  await cookies.getByRole('button', { name: '偏好设置' }).click();
  await shoot(cookies.getByRole('dialog'), 'assent-cookies-preferences');
  await cookies.getByRole('dialog').getByRole('button', { name: '全部拒绝' }).click();

  const accept = page.locator('assent-accept');
  await accept.getByRole('checkbox').check();
  await shoot(accept, 'assent-accept');
  await accept.getByRole('button', { name: '同意并继续' }).click();
  await accept.locator('[part~="status"]').filter({ hasText: '已保存' }).waitFor();
  await shoot(accept, 'assent-accept-accepted');

  // An editor publishes a required agreement version and a notice privacy version, today.
  const today = localDate(new Date());
  for (const [slug, acceptance, summary] of [
    ['weisure-service-agreement', 'required', '新增第 7.4 条：违约责任的承担方式。'],
    ['besttrav-privacy-policy', 'notice', '更新个人信息保护负责人的联系方式。'],
  ] as const) {
    const result = spawnSync(
      process.execPath,
      [
        join(projectRoot, 'src/cli/assent.ts'),
        'new-version',
        slug,
        '--effective',
        today,
        '--acceptance',
        acceptance,
        '--summary',
        summary,
        '--content',
        contentDir,
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(result.stderr);
  }
  await preview.rebuild();
  await page.waitForTimeout(500);
  await page.reload();
  await addCjkFont(page);
  const required = page.locator('assent-update[document="weisure-service-agreement"]').getByRole('dialog');
  await required.waitFor();
  await shoot(page, 'assent-update-required');
  await required.getByRole('button', { name: '同意并继续' }).click();
  const notice = page
    .locator('assent-update[document="besttrav-privacy-policy"]')
    .locator('[part~="notice"]');
  await notice.waitFor();
  await shoot(notice, 'assent-update-notice');

  await shootConsole();
} finally {
  await browser.close();
  await preview.close();
  rmSync(work, { recursive: true, force: true });
}
