import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintBody } from '../../../src/lint/lint.ts';
import { lintPaths } from '../../../src/lint/lint-files.ts';
import { formatFinding } from '../../../src/content/finding.ts';
import { contentFolder, frontMatter, validFrontMatter } from '../../helpers/content.ts';
import { parse } from '../../helpers/markdown.ts';

const lint = (body: string) => lintBody({ file: 'doc.md', body, bodyOffset: 10 }, parse(body));
const rules = (body: string) => lint(body).map((f) => `${f.rule}@${f.line}`);

describe('lint rules', () => {
  it('reports findings as file:line:col: severity: message [rule], with file lines', () => {
    const [finding] = lint('前言\n\n**未闭合的粗体');
    expect(formatFinding(finding!)).toBe(
      'doc.md:13:1: error: unbalanced `**`: this bold run has no partner and would show as asterisks; add the missing `**` where the bold text starts or ends, or remove this one [bold-balance]',
    );
  });

  it('accepts balanced bold, including CJK bold next to punctuation', () => {
    expect(rules('**特别提示：**请您审慎阅读。')).toEqual([]);
  });

  it('reports footnotes that would not show as written', () => {
    const body = 'Text[^1] and[^2], literally \\[^3].\n\n[^1]: One.\n[^unused]: Never cited.\n[^1]: Again.';
    expect(lint(body).map((f) => [f.rule, f.severity, f.line, f.column])).toEqual([
      ['footnote', 'warning', 14, 1],
      ['footnote', 'error', 15, 1],
      ['footnote', 'error', 11, 13],
    ]);
    expect(lint(body).map((f) => f.message)).toEqual([
      'footnote [^unused] is defined but nothing refers to it, so the page leaves it out: add [^unused] where it applies, or remove the note',
      'footnote [^1] is already defined on line 13; the page would show only this text: give one of them another label',
      'footnote [^2] has no text: add a line `[^2]: …` (anywhere, usually at the end), or write \\[^2] if the brackets are meant literally',
    ]);
    expect(rules('引用[^注1]。\n\n[^注1]: 注释。')).toEqual([]);
  });

  it('warns about __bold__ beside Chinese text, which shows its underscores', () => {
    expect(lint('本协议__重要条款__适用。')).toMatchObject([
      {
        rule: 'underscore-bold',
        severity: 'warning',
        line: 11,
        column: 4,
        message:
          '`__重要条款__` is not bold here: underscores next to Chinese characters show as written; write `**重要条款**` to make it bold',
      },
    ]);
    // Bold that works, English bold, escaped underscores and identifiers are left alone.
    expect(rules('本协议 __重要条款__ 适用。__Bold__ text, \\__x__ 中文, snake__case__name.')).toEqual([]);
  });

  it('reports a duplicate clause number as an error naming the first one', () => {
    const findings = lint('3.1 第一次。\n\n3.1 第二次。');
    expect(findings).toMatchObject([{ rule: 'duplicate-anchor', severity: 'error', line: 13 }]);
    expect(findings[0]!.message).toContain('#c3.1 is already used on line 11');
  });

  it('reports numbering that skips or goes back, but not a list that restarts in a new section', () => {
    expect(rules('(1) 甲\n\n(3) 乙\n\n(2) 丙')).toEqual(['numbering@13', 'numbering@15']);
    expect(lint('(1) 甲\n\n(3) 乙\n\n(2) 丙').map((f) => f.message)).toEqual([
      'numbering jumps from (1) to (3); check that no clause was lost, or renumber',
      'numbering goes back from (3) to (2); check the order',
    ]);
    expect(rules('## 一、甲\n\n1. 子\n2. 子\n\n## 二、乙\n\n1. 子\n2. 子')).toEqual([]);
  });

  it('does not take a clause title or a heading for a page break', () => {
    expect(rules('3.2 信息的存储\n\n我们会按照法律法规规定存储。')).toEqual([]);
    expect(rules('(1) 与改善和优化服务、保障账号安全相关的个人信息\n\n在您使用服务时，我们会收集。')).toEqual(
      [],
    );
    expect(rules('## 一、适用范围\n\n本政策适用于全部服务。')).toEqual([]);
  });

  it('reports a sentence cut by a page break, in English too', () => {
    expect(rules('We collect your name, your address and\n\nyour phone number.')).toEqual(['page-break@11']);
  });

  it('warns once per block about HTML that readers would see as text, but not about <br> or comments', () => {
    expect(rules('第一行<br>第二行 <u>条款</u> 与 <b>粗体</b>\n\n<!-- note -->')).toEqual(['raw-html@11']);
    expect(lint('<table><tr><td>x</td></tr></table>')[0]?.message).toMatch(
      /HTML <table> \(and 5 more tags in this block\) shows as text/,
    );
  });

  it('takes an address block for what it is, not a page break', () => {
    expect(rules('Mozilla, 2 Harrison St, San Francisco, CA 94105  \n\nlegal-notices@mozilla.com')).toEqual(
      [],
    );
    expect(rules('地址：东莞市长安镇，邮编：523859\n\n邮编：523902')).toEqual([]);
  });

  it('reports a list that mixes bracket widths, and a single marker that does', () => {
    expect(rules('（1）甲\n\n(2) 乙')).toEqual(['bracket-width@13']);
    expect(rules('（1) 甲')).toEqual(['bracket-width@11']);
  });

  // A heading whose text slug would read like a clause anchor (`#a`) gets a positional one.
  it('warns that an unnumbered heading without {#id} has a positional link', () => {
    expect(lint('## A')).toMatchObject([
      { rule: 'unnumbered-heading', severity: 'warning', line: 11, column: 1 },
    ]);
    expect(lint('## A {#appendix-a}')).toEqual([]);
  });

  it('suggests an id for an unnumbered heading at the heading’s own level', () => {
    expect(lint('### A')[0]!.message).toContain('`### A {#a-stable-name}`');
    expect(lint('#### A')[0]!.message).toContain('`#### A {#a-stable-name}`');
  });

  it('does not take asterisks escaped on purpose for a broken bold run', () => {
    expect(rules('价格为 \\*\\*待定\\*\\*。')).toEqual([]);
    expect(rules('价格为 \\*\\*待定\\*\\*，**以合同为准**。')).toEqual([]);
    expect(rules('价格为 \\*\\*待定\\*\\*，**以合同为准。')).toEqual(['bold-balance@11']);
  });

  it('reports an unbalanced `**` in a table cell at the row it is on', () => {
    expect(lint('| 项目 | 说明 |\n|---|---|\n| 甲 | **未闭合 |')).toMatchObject([
      { rule: 'bold-balance', line: 13, column: 7 },
    ]);
  });

  it('does not take a table cell that ends in a comma for a page break, nor fail on it', () => {
    expect(rules('| 项目 | 说明 |\n|---|---|\n| 甲 | 包括， |\n\n乙方负责。')).toEqual([]);
  });
});

describe('lint across versions', () => {
  const version = (published: string, effective: string, extra: Record<string, string> = {}) =>
    frontMatter({ ...validFrontMatter, published, effective, ...extra }) + '\n正文。\n';

  it('reports a later version published before an earlier one', async () => {
    const root = contentFolder({
      'terms/2024-01-15.md': version('2024-01-10', '2024-01-15'),
      'terms/2024-03-01.md': version('2024-01-05', '2024-03-01'),
    });
    const findings = await lintPaths([root]);
    expect(findings).toMatchObject([
      { rule: 'version-order', severity: 'error', file: join(root, 'terms/2024-03-01.md'), line: 5 },
    ]);
    expect(findings[0]!.message).toContain('published on 2024-01-05, before the earlier version 2024-01-15');
  });

  it('reports a document whose kind changes between versions', async () => {
    const root = contentFolder({
      'terms/2024-01-15.md': version('2024-01-10', '2024-01-15'),
      'terms/2024-03-01.md': version('2024-02-01', '2024-03-01', { kind: 'privacy' }),
    });
    expect((await lintPaths([root])).map((f) => `${f.rule}@${f.line}`)).toEqual(['version-order@3']);
  });

  it('refuses the placeholder summary of `assent new-version`, at the summary line', async () => {
    const root = contentFolder({
      'terms/2024-01-15.md': version('2024-01-10', '2024-01-15', { summary: '（请在此说明本版本的变更）' }),
    });
    expect((await lintPaths([root])).map((f) => `${f.rule}@${f.line}`)).toEqual(['summary-placeholder@8']);
  });

  it('says so when a path holds no Markdown file', async () => {
    await expect(lintPaths([contentFolder({ 'notes.txt': 'x' })])).rejects.toThrow(
      /no Markdown \(\.md\) files/,
    );
  });
});
