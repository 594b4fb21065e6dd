import { describe, expect, it } from 'vitest';
import { parseVersionSource } from '../../../src/content/document-file.ts';
import { formatFinding } from '../../../src/content/finding.ts';
import { frontMatter, validFrontMatter } from '../../helpers/content.ts';

const file = 'content/terms/2024-01-15.md';
const check = (fields: Record<string, string | undefined>, path = file) =>
  parseVersionSource(path, `${frontMatter(fields)}\n正文。\n`);
const messages = (fields: Record<string, string | undefined>, path = file) => {
  const result = check(fields, path);
  return result.ok ? [] : result.findings.map(formatFinding);
};

describe('front matter', () => {
  it('accepts a complete version and keeps the body and its offset', () => {
    const result = check(validFrontMatter);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.version).toMatchObject({ slug: 'terms', version: '2024-01-15', body: '\n正文。\n', bodyOffset: 9 });
    expect(result.version.frontMatter.acceptance).toBe('required');
  });

  it('names the file, line and field, what was received and what was expected', () => {
    expect(messages({ ...validFrontMatter, kind: 'contract' })).toEqual([
      `${file}:3:7: error: front matter field \`kind\`: received "contract", expected one of agreement, privacy, cookies, other [front-matter]`,
    ]);
  });

  it('reports a missing field', () => {
    expect(messages({ ...validFrontMatter, summary: undefined })).toEqual([
      `${file}:2:1: error: front matter field \`summary\` is missing: expected a line or a few of text [front-matter]`,
    ]);
  });

  it('refuses a date that does not exist and an effective date before publication', () => {
    expect(messages({ ...validFrontMatter, published: '2024-02-30' })[0]).toContain(
      '`published`: received "2024-02-30", expected a real date written YYYY-MM-DD',
    );
    expect(messages({ ...validFrontMatter, published: '2024-02-01' })[0]).toContain(
      ':6:12: error: front matter field `effective`: received "2024-01-15", expected a date on or after `published`',
    );
  });

  it('refuses an unknown field, which is usually a typo', () => {
    expect(messages({ ...validFrontMatter, efective: '2024-01-15' })[0]).toContain(
      ':9:1: error: unknown front matter field `efective`: expected only title, kind, locale, published, effective, acceptance, summary, operator',
    );
  });

  it('refuses an invalid language tag and an unquoted number where text belongs', () => {
    expect(messages({ ...validFrontMatter, locale: 'chinese!' })[0]).toContain('expected a valid language tag');
    expect(messages({ ...validFrontMatter, title: '2024' })[0]).toContain('`title`: received 2024, expected the document title as text');
  });

  it('reports YAML syntax errors at their line', () => {
    const result = parseVersionSource(file, '---\ntitle: [unclosed\n---\n');
    expect(result.ok).toBe(false);
    expect(result.findings[0]).toMatchObject({ line: 2, rule: 'front-matter' });
    expect(result.findings[0]!.message).toMatch(/^front matter is not valid YAML/);
  });

  it('reports a file without front matter', () => {
    const result = parseVersionSource(file, '# 标题\n');
    expect(result.findings.map((f) => f.message)).toEqual([expect.stringMatching(/^no front matter/)]);
  });

  it('requires the file to be named after the effective date', () => {
    expect(messages(validFrontMatter, 'content/terms/2024-01-16.md')).toEqual([
      'content/terms/2024-01-16.md:1:1: error: file name says version 2024-01-16 but `effective` is 2024-01-15: rename the file to 2024-01-15.md or fix the date [file-name]',
    ]);
    expect(messages(validFrontMatter, 'content/Terms_Of_Use/2024-01-15.md')[0]).toContain('is not a document slug');
  });
});
