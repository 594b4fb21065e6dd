/**
 * End-to-end harness: the real preview (built site, demo page, record endpoint on SQLite),
 * each test with its own content copy, data folder, build folder and Astro cache, and Chromium
 * (see src/preview/chromium.ts) driven by playwright-core.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { StoredRecord } from '../../src/contract/record.ts';
import { findChromium } from '../../src/preview/chromium.ts';
import { startPreview, type Preview } from '../../src/preview/start.ts';
import { contentRoot } from './paths.ts';

export interface Assent extends Preview {
  contentDir: string;
  dataDir: string;
  /** The built site, as a static host would get it. */
  outDir: string;
  /** Every stored record, through the operator export. */
  records(): Promise<StoredRecord[]>;
}

export async function startAssent(options: { buildDate?: string } = {}): Promise<Assent> {
  const work = mkdtempSync(join(tmpdir(), 'assent-e2e-'));
  const contentDir = join(work, 'content');
  cpSync(contentRoot, contentDir, { recursive: true });
  const dataDir = join(work, 'data');
  const outDir = join(work, 'dist');
  process.env.ASSENT_ASTRO_CACHE_DIR = join(work, 'astro-cache');
  if (options.buildDate) process.env.ASSENT_BUILD_DATE = options.buildDate;
  else delete process.env.ASSENT_BUILD_DATE;
  const start = () =>
    startPreview({
      host: '127.0.0.1',
      sitePort: 0,
      endpointPort: 0,
      dataDir,
      contentDir,
      outDir,
      manifestRefreshSeconds: 0.2,
      log: () => {},
    });
  const preview = await start();
  return {
    ...preview,
    contentDir,
    dataDir,
    outDir,
    async records() {
      const response = await fetch(`${preview.endpointUrl}/v1/export`, {
        headers: { authorization: `Bearer ${preview.operatorToken}` },
      });
      const text = await response.text();
      return text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as StoredRecord);
    },
  };
}

/** Launches Chromium and says which one, so a run's log shows what the journeys ran in. */
export async function launchChromium(): Promise<Browser> {
  const found = await findChromium();
  const browser = await chromium.launch({ ...found.launchOptions, headless: true });
  console.log(`${found.description}, version ${browser.version()}`);
  return browser;
}

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Serious and critical accessibility violations on the page (axe-core, WCAG 2 A and AA rules). */
export async function axeViolations(
  page: Page,
): Promise<Array<{ id: string; impact: string; targets: string[] }>> {
  // Colours are judged as they end up, not halfway through a fade-in (in any shadow root).
  await page.evaluate(() => {
    const roots: Array<Document | ShadowRoot> = [document];
    for (let i = 0; i < roots.length; i++) {
      for (const element of roots[i]!.querySelectorAll('*'))
        if (element.shadowRoot) roots.push(element.shadowRoot);
    }
    return Promise.all(roots.flatMap((root) => root.getAnimations().map((a) => a.finished)));
  });
  // Evaluated rather than added as a <script>, which a page under Trusted Types refuses.
  await page.evaluate(readFileSync(axeSource, 'utf8'));
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run(o: object): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}
