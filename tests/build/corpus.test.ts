/**
 * The corpus of real public legal documents (tests/fixtures/corpus/) built as a legal editor
 * would publish them: each body unchanged under valid front matter, in a content folder of its
 * own, through the real `astro build`. Checks what a reader gets: every page and changes page,
 * links that land, a digest that does not push the text off a phone's first screen.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/contract/manifest.ts';
import { findChromium } from '../../src/preview/chromium.ts';
import { startStaticServer, type StaticServer } from '../../src/preview/static-server.ts';
import { buildSite, page, type BuildResult } from '../helpers/build.ts';

const corpus = join(import.meta.dirname, '../fixtures/corpus');

interface Source {
  file: string;
  title: string;
  language: string;
  kind: string;
  repository: string;
  commitDate: string;
}

/** Documents whose published text has errors lint must stop (see tests/unit/corpus/). */
const WITH_ERRORS = new Set(['wordpress-com-terms.md', 'mozilla-firefox-privacy-notice-zh.md']);

const sources = (JSON.parse(readFileSync(join(corpus, 'SOURCES.json'), 'utf8')) as Source[]).filter(
  (s) => !WITH_ERRORS.has(s.file),
);

const slugOf = (file: string) => file.replace(/(@[\d-]+)?\.md$/, '').replace(/[^a-z0-9]+/g, '-');

function contentFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'assent-corpus-'));
  writeFileSync(
    join(root, 'site.json'),
    JSON.stringify({ title: { en: 'Corpus', 'zh-CN': '语料' }, locale: 'en' }),
  );
  for (const source of sources) {
    const dir = join(root, slugOf(source.file));
    mkdirSync(dir, { recursive: true });
    const frontMatter = [
      '---',
      `title: ${JSON.stringify(source.title)}`,
      `kind: ${source.kind}`,
      `locale: ${source.language}`,
      `published: ${source.commitDate}`,
      `effective: ${source.commitDate}`,
      'acceptance: notice',
      `summary: ${JSON.stringify(`Imported unchanged from ${source.repository}.`)}`,
      '---',
      '',
    ].join('\n');
    writeFileSync(
      join(dir, `${source.commitDate}.md`),
      frontMatter + readFileSync(join(corpus, source.file), 'utf8'),
    );
  }
  return root;
}

describe('the corpus built as a site', () => {
  let build: BuildResult;
  let manifest: Manifest;
  beforeAll(async () => {
    build = await buildSite({ buildDate: '2026-11-01', contentDir: contentFolder() });
    manifest = JSON.parse(readFileSync(join(build.outDir, 'assent/manifest.json'), 'utf8'));
  }, 300_000);

  it('builds every document, with no warning but the real defect it knows', () => {
    expect(build.code, build.output).toBe(0);
    expect(manifest.documents.length).toBe(new Set(sources.map((s) => slugOf(s.file))).size);
    const warnings = build.output.split('\n').filter((line) => line.includes('warning:'));
    // A raw-HTML <iframe>, shown as text; a whole paragraph written as a `####` heading, too
    // long to be a name for its anchor.
    expect(
      warnings.map((w) => w.replace(/^.*?([\w-]+\/[\d-]+\.md:\d+).*\[([\w-]+)\]$/, '$1 $2')).sort(),
    ).toEqual([
      expect.stringMatching(/^flink-privacy-zh\/[\d-]+\.md:\d+ raw-html$/),
      'simpfun-eula/2026-08-14.md:15 unnumbered-heading',
    ]);
  });

  it('lands every link on a page at an id of that page', () => {
    for (const document of manifest.documents) {
      for (const version of document.versions) {
        const doc = page(build.outDir, version.url);
        const ids = new Set([...doc.querySelectorAll('[id]')].map((e) => e.id));
        for (const a of doc.querySelectorAll('a[href^="#"]')) {
          const id = decodeURIComponent(a.getAttribute('href')!.slice(1));
          expect(ids.has(id), `${version.url}#${id}`).toBe(true);
        }
      }
    }
  });

  it('builds a changes page for each document in two versions, each change under its section', () => {
    const twice = manifest.documents.filter((d) => d.versions.length === 2);
    expect(twice.map((d) => d.slug).sort()).toEqual([
      'github-privacy',
      'github-terms',
      'ulogviewer-user-agreement-zh',
    ]);
    for (const document of twice) {
      const changes = page(build.outDir, document.versions[1]!.changesUrl!);
      const rows = changes.querySelectorAll('.change');
      expect(rows.length, document.slug).toBeGreaterThan(0);
    }
  });

  describe('on a 390 px phone', () => {
    let browser: Browser;
    let server: StaticServer;
    beforeAll(async () => {
      server = await startStaticServer({
        host: '127.0.0.1',
        port: 0,
        mounts: [{ prefix: '/', dir: build.outDir }],
      });
      const found = await findChromium();
      browser = await chromium.launch({ ...found.launchOptions, headless: true });
    });
    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('starts the document text within the first screen, whatever the size of its digest and contents', async () => {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 1,
      });
      const tab = await context.newPage();
      for (const slug of ['github-corporate-terms', 'ulogviewer-user-agreement-zh', 'github-terms']) {
        const version = manifest.documents.find((d) => d.slug === slug)!.versions.at(-1)!;
        await tab.goto(new URL(version.url, server.url).href);
        const top = await tab.locator('.legal-body').evaluate((e) => e.getBoundingClientRect().top);
        expect(top, slug).toBeLessThan(844);
      }
      await context.close();
    });
  });
});
