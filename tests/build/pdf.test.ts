/**
 * `assent pdf`: a version printed from its built page for the archive. The PDF is read back
 * with a PDF library, as an auditor's tools would read it: its text, its footer, its pages.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractText, getDocumentProxy } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/contract/manifest.ts';
import { printVersion } from '../../src/pdf/print-version.ts';
import { buildSite, type BuildResult } from '../helpers/build.ts';
import { assent } from '../helpers/cli.ts';

describe('a version printed to PDF', () => {
  let build: BuildResult;
  let manifest: Manifest;
  let pages: string[];
  const output = join(mkdtempSync(join(tmpdir(), 'assent-pdf-')), 'policy.pdf');
  beforeAll(async () => {
    build = await buildSite({ buildDate: '2021-06-10' });
    manifest = JSON.parse(readFileSync(join(build.outDir, 'assent/manifest.json'), 'utf8'));
    await printVersion({
      siteDir: build.outDir,
      slug: 'besttrav-privacy-policy',
      version: '2021-06-01',
      output,
    });
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(output)));
    pages = (await extractText(pdf, { mergePages: false })).text as string[];
  }, 300_000);

  const version = () =>
    manifest.documents.find((d) => d.slug === 'besttrav-privacy-policy')!.versions.at(-1)!;
  const squash = (text: string) => text.replace(/\s+/g, '');

  it('holds the whole text, Chinese included, with its bold clauses', () => {
    const text = squash(pages.join(''));
    expect(text).toContain(squash(version().title));
    expect(version().keyClauses.length).toBeGreaterThan(0);
    for (const clause of version().keyClauses) expect(text).toContain(squash(clause.text));
  });

  it('names title, version, content hash and page number in the footer of every page', () => {
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      const text = squash(page);
      expect(text).toContain(squash(`${version().title} · 2021-06-01`));
      expect(text).toContain(version().contentHash);
      expect(text).toContain(`${i + 1}/${pages.length}`);
    });
  });

  it('is A4', async () => {
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(output)));
    const [, , width, height] = (await pdf.getPage(1)).view;
    // A4 is 595 × 842 points.
    expect([Math.round(width!), Math.round(height!)]).toEqual([595, 842]);
  });

  it('says what to do when there is no built site', async () => {
    const result = assent([
      'pdf',
      'besttrav-privacy-policy',
      '--site',
      mkdtempSync(join(tmpdir(), 'empty-')),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('run `npm run build` first');
  });
});
