/**
 * `lintLibrary`, the one entry point the build, `npm start` and `assent lint` share: every
 * finding of every file, sorted, and a problem in one file never hides the others.
 */
import { describe, expect, it } from 'vitest';
import { parseVersionSource } from '../../../src/content/document-file.ts';
import { formatFinding } from '../../../src/content/finding.ts';
import { assembleLibrary } from '../../../src/content/library.ts';
import { lintBody } from '../../../src/lint/lint.ts';
import { lintLibrary, RULE_IDS } from '../../../src/lint/lint-library.ts';
import { createLegalMarkdown } from '../../../src/markdown/pipeline.ts';
import { frontMatter, validFrontMatter } from '../../helpers/content.ts';
import { parse } from '../../helpers/markdown.ts';

const source = (fields: Record<string, string | undefined>, body: string) => `${frontMatter(fields)}${body}`;
const library = (files: Record<string, string>) =>
  assembleLibrary(Object.entries(files).map(([file, text]) => parseVersionSource(file, text)));

/** A pipeline with a plugin bug: it throws on any body that mentions BOOM, as a broken rule would. */
function brokenMarkdown() {
  const md = createLegalMarkdown();
  md.core.ruler.push('boom', (state) => {
    if (state.src.includes('BOOM')) throw new TypeError('Expected a code point, got undefined');
  });
  return md;
}

describe('lintLibrary', () => {
  it('reports reading problems, body rules and checks across versions together, sorted by file and line', () => {
    const lint = lintLibrary(
      library({
        'content/terms/2024-03-01.md': source(
          { ...validFrontMatter, published: '2024-01-05', effective: '2024-03-01' },
          '(1) 甲\n\n(3) 乙\n',
        ),
        'content/terms/2024-01-15.md': source({ ...validFrontMatter, published: '2024-01-10' }, '正文。\n'),
        'content/broken/2024-01-15.md': source({ ...validFrontMatter, kind: 'contract' }, '**未闭合\n'),
      }),
      createLegalMarkdown(),
    );
    expect(lint.findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      'content/broken/2024-01-15.md:3 front-matter',
      'content/broken/2024-01-15.md:10 bold-balance',
      'content/terms/2024-03-01.md:5 version-order',
      'content/terms/2024-03-01.md:12 numbering',
    ]);
  });

  it('gives back each version’s parse, so that the build renders what was linted', () => {
    const lib = library({ 'content/terms/2024-01-15.md': source(validFrontMatter, '1. 第一条。\n') });
    const { parsed } = lintLibrary(lib, createLegalMarkdown());
    expect(parsed.get(lib.documents[0]!.versions[0]!)?.env.outline.map((c) => c.anchor)).toEqual(['c1']);
  });

  it('turns a parse that throws into an error on that file and still reports every other file', () => {
    const lint = lintLibrary(
      library({
        'content/a/2024-01-15.md': source(validFrontMatter, 'BOOM\n'),
        'content/b/2024-01-15.md': source(validFrontMatter, '(1) 甲\n\n(3) 乙\n'),
        'content/c/2024-01-15.md': source({ ...validFrontMatter, kind: 'contract' }, 'BOOM **\n'),
      }),
      brokenMarkdown(),
    );
    expect(lint.findings.map(formatFinding)).toEqual([
      'content/a/2024-01-15.md:1:1: error: could not process this file: Expected a code point, got undefined — please report this with the file [internal]',
      'content/b/2024-01-15.md:12:1: warning: numbering jumps from (1) to (3); check that no clause was lost, or renumber [numbering]',
      'content/c/2024-01-15.md:1:1: error: could not process this file: Expected a code point, got undefined — please report this with the file [internal]',
      'content/c/2024-01-15.md:3:7: error: front matter field `kind`: received "contract", expected one of agreement, privacy, cookies, other [front-matter]',
    ]);
    expect([...lint.parsed.keys()].map((v) => v.slug)).toEqual(['b']);
  });

  it('names the rule that threw and keeps what the other rules found', () => {
    const body = '(1) 甲\n\n(3) 乙';
    const findings = lintBody({ file: 'doc.md', body, bodyOffset: 0 }, parse(body), {
      numbering: (ctx) => ctx.report(2, 0, 'warning', 'numbering jumps'),
      broken: () => {
        throw new RangeError('Invalid array length');
      },
    });
    expect(findings.map(formatFinding)).toEqual([
      'doc.md:3:1: warning: numbering jumps [numbering]',
      'doc.md:1:1: error: could not run this check on this file: Invalid array length — please report this with the file [broken]',
    ]);
  });

  it('reports only rule ids it knows', () => {
    expect(RULE_IDS).toEqual(
      expect.arrayContaining([
        'front-matter',
        'file-name',
        'numbering',
        'lint-control',
        'version-order',
        'internal',
      ]),
    );
    expect(new Set(RULE_IDS).size).toBe(RULE_IDS.length);
  });
});
