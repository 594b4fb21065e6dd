/**
 * Property-based tests: libraries of random legal Markdown (the pipeline's generator, plus what
 * only lint cares about), with broken front matter, placeholder summaries, versions out of
 * order and CRLF files, through `lintLibrary` and through the content loader's core
 * (`renderLibrary`). Whatever the input, nothing throws, and every finding points at a real
 * place in its file with a known rule.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVersionSource } from '../../../src/content/document-file.ts';
import type { Finding } from '../../../src/content/finding.ts';
import { assembleLibrary, type Library } from '../../../src/content/library.ts';
import { BODY_RULES } from '../../../src/lint/lint.ts';
import { lintLibrary, RULE_IDS } from '../../../src/lint/lint-library.ts';
import { createLegalMarkdown } from '../../../src/markdown/pipeline.ts';
import { renderLibrary } from '../../../src/site/render-library.ts';
import { frontMatter, validFrontMatter } from '../../helpers/content.ts';
import { legalDocument } from '../../helpers/legal-markdown.arbitrary.ts';

const md = createLegalMarkdown();

/**
 * What lint meets beyond the pipeline's random documents (legal-markdown.arbitrary.ts): lint
 * control with typos and reasons, escaped asterisks, setext headings, table cells that end
 * mid-sentence, quotes inside list items, comments that never close.
 */
const lintBlock = fc.constantFrom(
  '<!-- assent-lint-disable-next-line numbering -- (2) is missing in the published original -->',
  '<!-- assent-lint-disable-next-line bold-balance,numbering -->',
  '<!-- assent-lint-disable-next-line -->',
  '<!-- assent-lint-disable bracket-width page-break -->',
  '<!-- assent-lint-enable bracket-width -->',
  '<!-- assent-lint-disable -->',
  '<!-- assent-lint-disable-line\nnumbering -->',
  '<!-- assent-lint-disable-next-line numbring -- typo -->',
  '<!-- assent-lint-frobnicate -->',
  '（1）甲； <!-- assent-lint-disable-line nosuchrule -->',
  '价格 \\*\\*待定\\*\\* 与 **粗体**',
  '标题\n===',
  'Title\n---',
  '| 项目 | 说明 |\n|---|---|\n| 甲 | 包括， |\n| **未闭合 | 乙 |',
  '- > 一、甲\n- (1) 乙',
  '1. ## 标题\n2. > 引用',
  '<!-- never closed',
  '😀**表情**　全角空格\u200b',
);

const body = fc
  .array(
    fc.tuple(fc.oneof({ weight: 3, arbitrary: legalDocument() }, lintBlock), fc.constantFrom('\n\n', '\n')),
    { maxLength: 4 },
  )
  .map((parts) => parts.map(([b, gap]) => b + gap).join(''));

// ---- Libraries --------------------------------------------------------------------------

interface SourceFile {
  file: string;
  text: string;
}

/**
 * One to three documents of one to three versions; now and then a broken front matter, a
 * placeholder summary, versions published out of order, CRLF line ends.
 */
const sources: fc.Arbitrary<SourceFile[]> = fc
  .array(
    fc.array(
      fc.tuple(body, fc.constantFrom('ok', 'ok', 'ok', 'ok', 'broken', 'placeholder', 'early'), fc.boolean()),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((documents) =>
    documents.flatMap((versions, d) =>
      versions.map(([text, state, crlf], v) => {
        const effective = `202${v}-0${d + 1}-15`;
        const fields = {
          ...validFrontMatter,
          // 'early': published before the version it follows, which version-order reports.
          published: state === 'early' ? `2019-12-0${3 - v}` : `202${v}-0${d + 1}-0${3 - v}`,
          effective,
          ...(state === 'broken' ? { kind: 'contract' } : {}),
          ...(state === 'placeholder' ? { summary: '（请在此说明本版本的变更）' } : {}),
        };
        const source = `${frontMatter(fields)}\n${text}`;
        return {
          file: `content/doc-${d}/${effective}.md`,
          text: crlf ? source.replace(/\n/g, '\r\n') : source,
        };
      }),
    ),
  );

const libraryOf = (files: readonly SourceFile[]): Library =>
  assembleLibrary(files.map(({ file, text }) => parseVersionSource(file, text)));

/** Every finding names one of the files, a line in it and a column on that line, and a known rule. */
function expectWellPlaced(findings: readonly Finding[], files: readonly SourceFile[]): void {
  const lines = new Map(files.map(({ file, text }) => [file, text.split(/\r\n|\r|\n/)]));
  for (const f of findings) {
    const where = `${f.file}:${f.line}:${f.column} [${f.rule}] ${f.message}`;
    const fileLines = lines.get(f.file);
    expect(fileLines, where).toBeDefined();
    expect(RULE_IDS, where).toContain(f.rule);
    expect(['error', 'warning'], where).toContain(f.severity);
    expect(f.message.length, where).toBeGreaterThan(0);
    expect(Number.isInteger(f.line) && f.line >= 1 && f.line <= fileLines!.length, where).toBe(true);
    const text = fileLines![f.line - 1]!;
    expect(Number.isInteger(f.column) && f.column >= 1 && f.column <= text.length + 1, where).toBe(true);
  }
}

const runs = { numRuns: 150 };
/**
 * Each property lints or renders 150 random libraries: about 5 s on an idle machine, past the
 * 20 s default when other work shares the cores. The limit is not a timing.
 */
const slow = { timeout: 90_000 };

describe('on random legal Markdown', () => {
  it('lintLibrary never throws, and every finding points at a real place with a known rule', slow, () => {
    fc.assert(
      fc.property(sources, (files) => {
        expectWellPlaced(lintLibrary(libraryOf(files), md).findings, files);
      }),
      runs,
    );
  });

  it(
    'the loader’s core never throws, renders every readable published version and places every finding',
    slow,
    () => {
      fc.assert(
        fc.property(sources, (files) => {
          const library = libraryOf(files);
          const { entries, findings } = renderLibrary(library, {
            buildDate: '2030-01-01',
            labels: () => ({ linkToClause: (n) => `Link to ${n}` }),
            md,
          });
          expectWellPlaced(findings, files);
          const failed = new Set(findings.filter((f) => f.rule === 'internal').map((f) => f.file));
          const readable = library.documents.flatMap((d) => d.versions).filter((v) => !failed.has(v.file));
          expect(entries.map((e) => e.file)).toEqual(readable.map((v) => v.file));
        }),
        runs,
      );
    },
  );

  it('every lint rule handles every document the pipeline parses, without failing', () => {
    fc.assert(
      fc.property(sources, (files) => {
        const failures = lintLibrary(libraryOf(files), md).findings.filter(
          (f) => f.rule in BODY_RULES && f.message.startsWith('could not run this check'),
        );
        expect(failures).toEqual([]);
      }),
      runs,
    );
  });
});
