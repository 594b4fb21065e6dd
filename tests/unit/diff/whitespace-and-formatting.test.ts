import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/commands/diff.ts';
import { changeReport } from '../../../src/diff/change-report.ts';
import { clauseDiff } from '../../../src/diff/clause-diff.ts';
import { wordDiff } from '../../../src/diff/word-diff.ts';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { parse } from '../../helpers/markdown.ts';

const blocks = (source: string) => clauseBlocks(parse(source));
const diff = (before: string, after: string, locale = 'en') =>
  clauseDiff(blocks(before), blocks(after), locale);
const notSame = (before: string, after: string, locale = 'en') =>
  diff(before, after, locale).filter((c) => c.op !== 'same');

const exportControls = `## 3. Account Requirements

You may not use GitHub if you are or are working on behalf of a Specially Designated National (SDN)
or a person subject to similar blocking or denied party prohibitions administered by a U.S. government agency.  GitHub may allow persons in certain sanctioned countries or territories to access certain GitHub services pursuant to U.S. government authorizations.
`;

describe('spaces and line wrapping', () => {
  it('does not report two spaces after a full stop becoming one', () => {
    expect(notSame(exportControls, exportControls.replace('agency.  GitHub', 'agency. GitHub'))).toEqual([]);
  });

  it('does not report a paragraph re-wrapped onto other lines, with trailing spaces', () => {
    const rewrapped = exportControls
      .replace(/\n(?!\n)/g, ' \n')
      .replace('(SDN)\nor a person', '(SDN) or\na person');
    expect(notSame(exportControls, rewrapped)).toEqual([]);
  });

  it('does not report a Chinese line re-wrapped next to a Latin word', () => {
    // The line break between 使用 and GitHub reads as a space; written on one line, there is none.
    const before = '1.1 您在使用\nGitHub 服务前，应当仔细阅读本协议。';
    const after = '1.1 您在使用GitHub服务前，应当仔细阅读本协议。';
    expect(notSame(before, after, 'zh-CN')).toEqual([]);
  });

  it('shows only the words inside an edited clause, not the spaces that also changed', () => {
    const parts = wordDiff(
      'a U.S. government agency.  GitHub may allow persons in certain sanctioned countries',
      'a U.S. government agency. GitHub may permit persons in certain sanctioned countries',
      'en',
    );
    expect(parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: 'allow' },
      { op: 'added', text: 'permit' },
    ]);
  });

  it('keeps a removed phrase and the space after it together', () => {
    const parts = wordDiff(
      'unless required by law, for automated scanning, or in response to a threat',
      'unless required by law or in response to a threat',
      'en',
    );
    expect(parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: ', for automated scanning,' },
    ]);
  });
});

describe('formatting only', () => {
  const policy = `## 十、本政策如何更新

我们的隐私政策将适时更新。我们会通过软件弹窗方式及时提示您隐私政策更新的情况，若您继续使用我们的服务，即表示同意受更新后的政策约束。
`;
  const bolded = policy.replace(
    '我们会通过软件弹窗方式及时提示您隐私政策更新的情况',
    '**我们会通过软件弹窗方式及时提示您隐私政策更新的情况**',
  );

  it('labels a clause whose words are unchanged but a passage became bold, and names the passage', () => {
    const changes = notSame(policy, bolded, 'zh-CN');
    expect(changes).toMatchObject([
      {
        op: 'changed',
        formattingOnly: true,
        emphasis: { added: ['我们会通过软件弹窗方式及时提示您隐私政策更新的情况'], removed: [] },
      },
    ]);
    expect(changes[0]?.op === 'changed' && changes[0].parts.every((p) => p.op === 'same')).toBe(true);
  });

  it('names the passage that is no longer bold', () => {
    expect(notSame(bolded, policy, 'zh-CN')).toMatchObject([
      {
        op: 'changed',
        formattingOnly: true,
        emphasis: { added: [], removed: ['我们会通过软件弹窗方式及时提示您隐私政策更新的情况'] },
      },
    ]);
  });

  it('names only the words that became bold when a bold passage grows', () => {
    const before = 'We **will not sell** your personal information to anyone.';
    const after = 'We **will not sell your personal information** to anyone.';
    expect(notSame(before, after)).toMatchObject([
      {
        op: 'changed',
        formattingOnly: true,
        emphasis: { added: ['your personal information'], removed: [] },
      },
    ]);
  });

  it('does not call a reworded bold passage formatting, and keeps its changed words bold', () => {
    const before = '**We will notify you of material changes 30 days in advance.**';
    const after = '**We will notify you of material changes 14 days in advance.**';
    const [change] = notSame(before, after);
    expect(change).toMatchObject({
      op: 'changed',
      formattingOnly: false,
      emphasis: { added: [], removed: [] },
    });
    expect(change?.op === 'changed' && change.parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: '30', strong: true },
      { op: 'added', text: '14', strong: true },
    ]);
  });

  it('does not report italics or a link target changing, which the reader sees as the same words', () => {
    const before = 'Please read our [Privacy Statement](/privacy) *carefully*.';
    const after = 'Please read our [Privacy Statement](/site-policy/privacy) carefully.';
    expect(notSame(before, after)).toEqual([]);
  });

  it('does not report a full stop moving inside the bold', () => {
    expect(notSame('You must be **13 or over**.', 'You must be **13 or over.**')).toEqual([]);
  });

  it('counts formatting-only clauses and the terminal says "formatting only"', () => {
    const report = changeReport(diff(policy, bolded, 'zh-CN'));
    expect(report.counts).toEqual({ changed: 1, added: 0, removed: 0, formatting: 1 });
    const text = formatReport(report, { color: false });
    expect(text).toContain('  formatting only #');
    expect(text).toContain('    now bold: 我们会通过软件弹窗方式及时提示您隐私政策更新的情况');
    expect(text).not.toContain('[-');
  });
});
