/**
 * The legal editor's loop with `npm run dev` (astro dev), in Chromium: save a Markdown file and
 * the open page shows the new text; a lint finding or a front-matter error shows on the page
 * being edited, worded as the build words it; fixing it clears it. How fast is measured in
 * bench/dev, not here.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstroDev, type AstroDev } from '../../src/preview/astro-dev.ts';
import { launchChromium } from '../helpers/e2e.ts';
import { contentRoot } from '../helpers/paths.ts';

describe('npm run dev', () => {
  let dev: AstroDev;
  let browser: Browser;
  let page: Page;
  let file: string;
  let original: string;
  beforeAll(async () => {
    const content = mkdtempSync(join(tmpdir(), 'assent-dev-content-'));
    cpSync(contentRoot, content, { recursive: true });
    file = join(content, 'besttrav-privacy-policy/2020-12-01.md');
    original = readFileSync(file, 'utf8');
    dev = await startAstroDev(content);
    browser = await launchChromium();
    page = await browser.newPage();
    // The page follows edits once Vite's live-reload client has connected.
    const connected = page.waitForEvent('console', {
      predicate: (message) => message.text().includes('[vite] connected'),
      timeout: 60_000,
    });
    await page.goto(`${dev.url}besttrav-privacy-policy/2020-12-01/`);
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
});
