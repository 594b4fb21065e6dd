/**
 * The legal editor's loop with `npm run dev` (`assent dev`: astro dev, the demo partner page and
 * the record endpoint), in Chromium: save a Markdown file and the open page shows the new text;
 * a lint finding or a front-matter error shows on the page being edited, worded as the build
 * words it; fixing it clears it. The demo page takes the components and the manifest from the
 * dev server, so an edit shows there too, and the endpoint records against that manifest.
 * Ctrl-C stops all of it. How fast is measured in bench/dev, not here.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Manifest } from '../../src/contract/manifest.ts';
import type { StoredRecord } from '../../src/contract/record.ts';
import { startDevProcess, type DevProcess } from '../../src/preview/dev-process.ts';
import { launchChromium } from '../helpers/e2e.ts';
import { contentRoot } from '../helpers/paths.ts';

describe('npm run dev', () => {
  let dev: DevProcess;
  let browser: Browser;
  let page: Page;
  let content: string;
  let file: string;
  let original: string;
  beforeAll(async () => {
    const work = mkdtempSync(join(tmpdir(), 'assent-dev-'));
    content = join(work, 'content');
    cpSync(contentRoot, content, { recursive: true });
    file = join(content, 'besttrav-privacy-policy/2020-12-01.md');
    original = readFileSync(file, 'utf8');
    dev = await startDevProcess({ contentDir: content, dataDir: join(work, 'data') });
    browser = await launchChromium();
    page = await browser.newPage();
    // The page follows edits once Vite's live-reload client has connected.
    const connected = page.waitForEvent('console', {
      predicate: (message) => message.text().includes('[vite] connected'),
      timeout: 60_000,
    });
    await page.goto(`${dev.siteUrl}besttrav-privacy-policy/2020-12-01/`);
    await connected;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await dev?.stop();
  });

  it('updates the open page when its Markdown is saved', async () => {
    writeFileSync(file, original.replace('Besttrav 平台', 'Besttrav 平台（已修订）'));
    await page.waitForFunction(() => document.body.innerText.includes('（已修订）'), null, {
      timeout: 15_000,
    });
    expect(await page.locator('.dev-findings').count()).toBe(0);
  });

  it('shows a lint error on the page with file, line and column, as the terminal does', async () => {
    writeFileSync(file, original.replace('Besttrav 平台', '**Besttrav 平台'));
    const panel = page.locator('.dev-findings');
    await panel.waitFor({ timeout: 15_000 });
    expect(await panel.textContent()).toMatch(
      /2020-12-01\.md:\d+:\d+: error: unbalanced `\*\*`.*\[bold-balance\]/,
    );
    expect(dev.output()).toMatch(/2020-12-01\.md:\d+:\d+: error: unbalanced `\*\*`/);
  });

  it('shows a front-matter error with the message the build gives, and clears it once fixed', async () => {
    writeFileSync(file, original.replace('acceptance: notice', 'acceptance: mandatory'));
    await page.waitForFunction(
      () => document.querySelector('.dev-findings')?.textContent?.includes('front-matter'),
      null,
      { timeout: 15_000 },
    );
    expect(await page.locator('.dev-findings').textContent()).toContain(
      '2020-12-01.md:7:13: error: front matter field `acceptance`: received "mandatory", expected one of required, notice [front-matter]',
    );
    writeFileSync(file, original);
    await page.waitForFunction(() => !document.querySelector('.dev-findings'), null, { timeout: 15_000 });
  });

  it('runs the demo partner page on the dev server’s components and manifest, and records against it', async () => {
    const agreement = join(content, 'weisure-service-agreement/2018-06-01.md');
    writeFileSync(
      agreement,
      readFileSync(agreement, 'utf8').replace(/^title: (.*)$/m, 'title: $1（编辑中）'),
    );
    const manifestUrl = new URL('assent/manifest.json', dev.siteUrl).href;
    const edited = async () =>
      ((await (await fetch(manifestUrl)).json()) as Manifest).documents.find(
        (d) => d.slug === 'weisure-service-agreement',
      )!;
    await vi.waitFor(async () => expect((await edited()).title).toContain('（编辑中）'), { timeout: 15_000 });
    // The endpoint reads the dev server's manifest every half second (src/preview/dev.ts).
    await new Promise((resolve) => setTimeout(resolve, 1000));

    const demo = await browser.newPage();
    await demo.goto(dev.demoUrl);
    const accept = demo.locator('assent-accept');
    await expect.poll(() => accept.getAttribute('state'), { timeout: 15_000 }).toBe('ready');
    expect(await accept.getByRole('link').first().textContent()).toContain('（编辑中）');
    await accept.getByRole('checkbox').check();
    await accept.getByRole('button', { name: '同意并继续' }).click();

    // The endpoint took the edited version's hash from the dev server's manifest.
    const version = (await edited()).versions.at(-1)!;
    await vi.waitFor(
      async () => {
        const response = await fetch(`${dev.endpointUrl}/v1/export`, {
          headers: { authorization: `Bearer ${dev.operatorToken}` },
        });
        const records = (await response.text())
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as StoredRecord);
        expect(records.find((r) => r.type === 'accepted')).toMatchObject({
          document: {
            slug: 'weisure-service-agreement',
            version: version.version,
            contentHash: version.contentHash,
          },
        });
      },
      { timeout: 15_000 },
    );
    await demo.close();
  });

  it('stops the dev server, the demo page and the endpoint on Ctrl-C', async () => {
    expect(await dev.stop()).toBe(0);
    for (const url of [dev.siteUrl, dev.demoUrl, dev.endpointUrl]) {
      await expect(fetch(url)).rejects.toThrow();
    }
  });
});
