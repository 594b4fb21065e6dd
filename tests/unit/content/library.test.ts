/**
 * Reading the content folder: documents and their versions, and only what stops a file from
 * being read. What lint finds in a readable file is src/lint's business.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLibrary, readVersionFiles } from '../../../src/content/library.ts';
import { contentFolder, frontMatter, validFrontMatter } from '../../helpers/content.ts';
import { projectRoot } from '../../helpers/paths.ts';

const version = (published: string, effective: string) =>
  `${frontMatter({ ...validFrontMatter, published, effective })}\n(1) 甲\n\n(3) 乙\n`;

describe('readLibrary', () => {
  it('groups versions by document, oldest first', async () => {
    const root = contentFolder({
      'terms/2024-03-01.md': version('2024-02-01', '2024-03-01'),
      'terms/2024-01-15.md': version('2024-01-10', '2024-01-15'),
      'privacy/2024-01-15.md': version('2024-01-10', '2024-01-15'),
    });
    const library = await readLibrary(root);
    expect(library.documents.map((d) => [d.slug, d.versions.map((v) => v.version)])).toEqual([
      ['privacy', ['2024-01-15']],
      ['terms', ['2024-01-15', '2024-03-01']],
    ]);
  });

  it('reports only what stops a file from being read, not what lint finds', async () => {
    const root = contentFolder({
      'terms/2024-01-15.md': version('2024-01-10', '2024-01-15'),
      // Published before the version it follows: a lint finding (version-order), not a reading one.
      'terms/2024-03-01.md': version('2024-01-05', '2024-03-01'),
      'terms/2024-04-01.md': `${frontMatter({ ...validFrontMatter, effective: '2024-04-01', kind: 'contract' })}\n正文。\n`,
    });
    const library = await readLibrary(root);
    expect(library.findings.map((f) => f.rule)).toEqual(['front-matter']);
    expect(library.unreadable.map((u) => u.file)).toEqual([join(root, 'terms/2024-04-01.md')]);
  });

  it('reports a file it cannot read and still reads the others', async () => {
    const root = contentFolder({ 'terms/2024-01-15.md': version('2024-01-10', '2024-01-15') });
    // Listed, then gone before it was read (or unreadable): a finding on it, not a crash.
    const gone = join(root, 'terms/2024-03-01.md');
    const library = await readVersionFiles([join(root, 'terms/2024-01-15.md'), gone]);
    expect(library.documents.map((d) => d.versions.length)).toEqual([1]);
    expect(library.findings).toMatchObject([{ file: gone, line: 1, column: 1, severity: 'error', rule: 'file-read' }]);
    expect(library.findings[0]!.message).toMatch(/^could not read this file: ENOENT/);
  });

  it('points at the line of each front matter field, for findings about its value', async () => {
    const root = contentFolder({ 'terms/2024-01-15.md': version('2024-01-10', '2024-01-15') });
    const [v] = (await readLibrary(root)).documents[0]!.versions;
    expect(v!.frontMatterLines).toMatchObject({ title: 2, kind: 3, published: 5, summary: 8 });
  });
});

describe('src/content', () => {
  it('never imports src/lint, which builds on it', () => {
    const dir = join(projectRoot, 'src/content');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/from '\.\.\/lint\//);
    }
  });
});
