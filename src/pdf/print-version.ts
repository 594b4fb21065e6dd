/**
 * One version of a document as an A4 PDF for the archive, printed by Chromium from its built
 * page with the site's print style: the text as published, and in every page's footer the
 * document's title, the version, its content hash (what an acceptance record names) and the
 * page number.
 *
 * Chinese text needs a CJK font, which a server may not have: the page is given Noto Sans SC
 * (src/preview/cjk-font.ts), so every PDF embeds the same font wherever it is printed. The
 * footer is drawn in the page's own @page margin boxes, not in Chromium's header and footer
 * templates, which cannot load web fonts.
 *
 *   await printVersion({ siteDir: 'dist', slug: 'besttrav-privacy-policy', output: 'policy.pdf' });
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Manifest, ManifestVersion } from '../contract/manifest.ts';
import { localDate } from '../contract/dates.ts';
import { timeline } from '../contract/versions.ts';
import { findChromium } from '../preview/chromium.ts';
import { addCjkFont, CJK_FONT_FAMILY } from '../preview/cjk-font.ts';
import { startStaticServer } from '../preview/static-server.ts';

export interface PrintOptions {
  /** The built site (`npm run build` writes `dist/`). */
  siteDir: string;
  slug: string;
  /** A version (its effective date); default: the one in effect today. */
  version?: string;
  output: string;
}

export interface Printed {
  output: string;
  title: string;
  version: string;
  contentHash: string;
}

export async function printVersion(options: PrintOptions): Promise<Printed> {
  const { title, version } = findVersion(options);
  const server = await startStaticServer({
    host: '127.0.0.1',
    port: 0,
    mounts: [{ prefix: '/', dir: options.siteDir }],
  });
  const browser = await chromium.launch({ ...(await findChromium()).launchOptions, headless: true });
  try {
    const page = await browser.newPage();
    const response = await page.goto(new URL(version.url.replace(/^\//, ''), server.url).href);
    if (!response?.ok()) throw new Error(`the built page ${version.url} answered ${response?.status()}`);
    await page.emulateMedia({ media: 'print' });
    await addCjkFont(page, printStyle(title, version));
    await page.pdf({ path: options.output, printBackground: true, preferCSSPageSize: true });
  } finally {
    await browser.close();
    await server.close();
  }
  return { output: options.output, title, version: version.version, contentHash: version.contentHash };
}

function findVersion(options: PrintOptions): { title: string; version: ManifestVersion } {
  const manifestFile = join(options.siteDir, 'assent/manifest.json');
  if (!existsSync(manifestFile)) {
    throw new Error(
      `no built site in ${options.siteDir}/ (no assent/manifest.json): run \`npm run build\` first, or name the site folder with --site`,
    );
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const document = manifest.documents.find((d) => d.slug === options.slug);
  if (!document) {
    throw new Error(
      `no document "${options.slug}" in the built site; there are: ${manifest.documents.map((d) => d.slug).join(', ')}`,
    );
  }
  const version = options.version
    ? document.versions.find((v) => v.version === options.version)
    : timeline(document.versions, localDate(new Date())).current;
  if (!version) {
    const known = document.versions.map((v) => v.version).join(', ');
    throw new Error(
      options.version
        ? `${options.slug} has no published version ${options.version}; it has: ${known}`
        : `${options.slug} has no version in effect today; name one of: ${known}`,
    );
  }
  return { title: version.title ?? document.title, version };
}

/**
 * In the page's own margin boxes (so the footer uses the same embedded font): title and
 * version, content hash, and page number on every page.
 */
function printStyle(title: string, version: ManifestVersion): string {
  const text = (value: string) => `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, ' ')}"`;
  const box = `font: 7pt '${CJK_FONT_FAMILY}', sans-serif; color: #444;`;
  return `@page {
  size: A4;
  margin: 20mm 18mm 24mm;
  @bottom-left { content: ${text(`${title} · ${version.version}`)} "\\A" ${text(version.contentHash)}; white-space: pre; ${box} }
  @bottom-right { content: counter(page) " / " counter(pages); ${box} }
}`;
}
