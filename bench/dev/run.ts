/**
 * bench/dev: the legal editor's loop under `npm run dev` (`assent dev`: astro dev), in Chromium: the time from
 * saving a Markdown file to the open page showing the new text. Goal: ≤ 1 s.
 *
 *   node bench/dev/run.ts [--edits 7]
 *
 * Edits one version of the privacy policy in a copy of content/, one sentence at a time, and
 * waits for the page (and then its changes page) to show it. Prints min, median and max, and
 * writes bench/results/dev.json.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { findChromium } from '../../src/preview/chromium.ts';
import { startDevProcess } from '../../src/preview/dev-process.ts';

const root = join(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { edits: { type: 'string', default: '7' } } });
const edits = Number(values.edits);

const work = mkdtempSync(join(tmpdir(), 'assent-bench-dev-'));
const content = join(work, 'content');
cpSync(join(root, 'content'), content, { recursive: true });
const file = join(content, 'besttrav-privacy-policy/2021-06-01.md');
const original = readFileSync(file, 'utf8');

const dev = await startDevProcess({ contentDir: content, dataDir: join(work, 'data') });
const browser = await chromium.launch({ ...(await findChromium()).launchOptions, headless: true });
const timings: Record<'page' | 'changes', number[]> = { page: [], changes: [] };
try {
  for (const [name, path] of [
    ['page', 'besttrav-privacy-policy/2021-06-01/'],
    ['changes', 'besttrav-privacy-policy/changes/2020-12-01...2021-06-01/'],
  ] as const) {
    const page = await browser.newPage();
    await page.goto(new URL(path, dev.siteUrl).href);
    await page.waitForTimeout(1500);
    for (let k = 1; k <= edits; k++) {
      const marker = `第${k}次编辑${Date.now()}`;
      const started = performance.now();
      writeFileSync(file, original.replace('Besttrav 平台', `Besttrav 平台${marker}`));
      await page.waitForFunction((m) => document.body.innerText.includes(m), marker, {
        timeout: 20_000,
        polling: 20,
      });
      timings[name].push(performance.now() - started);
      await page.waitForTimeout(700);
    }
    await page.close();
  }
} finally {
  writeFileSync(file, original);
  await browser.close();
  await dev.stop();
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    min: Math.round(s[0]!),
    median: Math.round(s[Math.floor(s.length / 2)]!),
    max: Math.round(s.at(-1)!),
  };
};
const results = { page: stats(timings.page), changes: stats(timings.changes), goalMs: 1000 };
for (const name of ['page', 'changes'] as const) {
  const { min, median, max } = results[name];
  console.log(
    `${name.padEnd(8)} save → shown: median ${median} ms (min ${min}, max ${max}) over ${edits} edits; goal ≤ 1000 ms`,
  );
}
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/dev.json'),
  JSON.stringify({ date: new Date().toISOString(), edits, ...results }, null, 2),
);
