/**
 * Lint control comments, markdownlint's convention with an `assent-lint-` prefix: an editor
 * acknowledges a quirk of the published text in the file, with a reason, and lint stops
 * reporting it there and only there.
 */
import { describe, expect, it } from 'vitest';
import { BODY_RULES, lintBody } from '../../../src/lint/lint.ts';
import { lintPaths } from '../../../src/lint/lint-files.ts';
import { contentFolder, frontMatter, validFrontMatter } from '../../helpers/content.ts';
import { parse } from '../../helpers/markdown.ts';

/** Lints a body that starts on line 11 of its file. */
const lint = (body: string) => lintBody({ file: 'doc.md', body, bodyOffset: 10 }, parse(body));
const rules = (body: string) => lint(body).map((f) => `${f.rule}@${f.line}`);

describe('lint control comments', () => {
  it('silence the named rule on the next line that is not blank, and nowhere else', () => {
    const body = [
      '(1) 甲；',
      '',
      '<!-- assent-lint-disable-next-line numbering -- (2) is missing in the published original -->',
      '',
      '(3) 乙；',
      '',
      '(5) 丙。',
    ].join('\n');
    expect(rules(body)).toEqual(['numbering@17']);
  });

  it('apply to the line right after the comment too, and skip other comments stacked between', () => {
    const body = [
      '(1) 甲；',
      '<!-- assent-lint-disable-next-line numbering -->',
      '<!-- an editor’s note -->',
      '(3) 乙；',
    ].join('\n');
    expect(rules(body)).toEqual([]);
  });

  it('leave other rules on that line alone', () => {
    const body = ['（1）甲；', '', '<!-- assent-lint-disable-next-line numbering -->', '(3) 乙；'].join('\n');
    expect(rules(body)).toEqual(['bracket-width@14']);
  });

  it('silence every rule when they name none', () => {
    const body = ['（1）甲；', '', '<!-- assent-lint-disable-next-line -->', '(3) 乙；'].join('\n');
    expect(rules(body)).toEqual([]);
  });

  it('silence a range from disable to enable, for the rules named', () => {
    const body = [
      '（1）甲；',
      '',
      '<!-- assent-lint-disable bracket-width numbering -- as published -->',
      '',
      '(3) 乙；',
      '',
      '<!-- assent-lint-enable numbering -->',
      '',
      '(5) 丙；',
      '',
      '<!-- assent-lint-enable -->',
      '',
      '(6) 丁；',
    ].join('\n');
    // (5) jumps again once numbering is back on; (6) mixes widths once every rule is back on.
    expect(rules(body)).toEqual(['numbering@19', 'bracket-width@23']);
  });

  it('run a range to the end of the body when nothing enables the rule again', () => {
    const body = [
      '<!-- assent-lint-disable numbering -->',
      '',
      '(1) 甲；',
      '',
      '(3) 乙；',
      '',
      '(9) 丙。',
    ].join('\n');
    expect(rules(body)).toEqual([]);
  });

  it('silence the line a comment is on with disable-line', () => {
    const body = ['(1) 甲；', '', '(3) 乙 <!-- assent-lint-disable-line numbering -->', '', '(5) 丙。'].join(
      '\n',
    );
    expect(rules(body)).toEqual(['numbering@15']);
  });

  it('warn about an unknown rule id, listing the known ones, and silence nothing for it', () => {
    const body = ['(1) 甲；', '', '<!-- assent-lint-disable-next-line numbring -->', '(3) 乙；'].join('\n');
    const findings = lint(body);
    expect(findings.map((f) => `${f.rule}@${f.line}:${f.column}`)).toEqual([
      'numbering@14:1',
      'lint-control@13:36',
    ]);
    const [, control] = findings;
    expect(control).toMatchObject({ severity: 'warning' });
    expect(control!.message).toBe(
      `unknown rule \`numbring\` in \`assent-lint-disable-next-line\`: the rules are ${Object.keys(BODY_RULES).join(', ')}`,
    );
  });

  it('warn about a misspelt directive instead of ignoring it', () => {
    const body = ['(1) 甲；', '', '<!-- assent-lint-disable-next numbering -->', '(3) 乙；'].join('\n');
    expect(rules(body)).toEqual(['numbering@14', 'lint-control@13']);
    expect(lint(body)[1]!.message).toMatch(/^unknown lint control `assent-lint-disable-next`: use /);
  });

  it('leave ordinary comments and comments inside code alone', () => {
    const body = [
      '<!-- numbering: keep -->',
      '',
      '```',
      '<!-- assent-lint-disable -->',
      '```',
      '',
      '(1) 甲；',
      '',
      '(3) 乙；',
    ].join('\n');
    expect(rules(body)).toEqual(['numbering@19']);
  });

  it('read the comments the parse found, wherever the pipeline found them', () => {
    // The comment is given by hand, as the pipeline reports it: the control does not read the source.
    const body = '(1) 甲；\n\n(3) 乙；';
    const parsed = parse(body);
    parsed.env.comments = [{ line: 1, endLine: 1, text: 'assent-lint-disable-next-line numbering' }];
    expect(lintBody({ file: 'doc.md', body, bodyOffset: 10 }, parsed)).toEqual([]);
  });

  it('do not silence front matter or file findings', async () => {
    const root = contentFolder({
      'terms/2024-01-15.md': `${frontMatter({ ...validFrontMatter, kind: 'contract' })}<!-- assent-lint-disable -->\n\n**未闭合\n`,
    });
    expect((await lintPaths([root])).map((f) => f.rule)).toEqual(['front-matter']);
  });
});
