import { describe, expect, it } from 'vitest';
import { clauseDiff } from '../../../src/diff/clause-diff.ts';
import { wordDiff } from '../../../src/diff/word-diff.ts';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { parse } from '../../helpers/markdown.ts';

const blocks = (source: string) => clauseBlocks(parse(source));
const summary = (before: string, after: string) =>
  clauseDiff(blocks(before), blocks(after), 'zh-CN').map((c) =>
    c.op === 'removed' ? `removed ${c.before.key}` : `${c.op} ${c.after.key}`,
  );

describe('word diff', () => {
  it('compares Chinese word by word, not character by character', () => {
    expect(wordDiff('我们将尽快删除您的个人信息', '我们将在 15 个工作日内删除您的个人信息', 'zh-CN')).toEqual(
      [
        { op: 'same', text: '我们将' },
        { op: 'removed', text: '尽快' },
        { op: 'added', text: '在 15 个工作日内' },
        { op: 'same', text: '删除您的个人信息' },
      ],
    );
  });

  it('compares English by words', () => {
    const parts = wordDiff('We keep your data for one year.', 'We keep your data for two years.', 'en');
    expect(parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: 'one year' },
      { op: 'added', text: 'two years' },
    ]);
  });
});

describe('clause-aligned diff', () => {
  const before = '## 一、范围\n\n1.1 甲条款内容。\n\n1.2 乙条款内容。\n\n1.3 丙条款内容。';

  it('reports nothing but unchanged clauses for identical text', () => {
    expect(summary(before, before).every((s) => s.startsWith('same'))).toBe(true);
  });

  it('pairs an edited clause with its old text and diffs the words inside it', () => {
    const changes = clauseDiff(
      blocks(before),
      blocks(before.replace('乙条款内容', '乙条款的新内容')),
      'zh-CN',
    );
    const changed = changes.find((c) => c.op === 'changed');
    expect(changed?.op === 'changed' && changed.parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'added', text: '的新' },
    ]);
    expect(changes.filter((c) => c.op !== 'same')).toHaveLength(1);
  });

  it('aligns an inserted clause as added, even when the numbers after it shift', () => {
    const after =
      '## 一、范围\n\n1.1 甲条款内容。\n\n1.2 新增的条款，与其他条款毫无相同之处。\n\n1.3 乙条款内容。\n\n1.4 丙条款内容。';
    expect(summary(before, after)).toEqual([
      'same s1',
      'same c1.1',
      'added c1.2',
      'changed c1.3',
      'changed c1.4',
    ]);
  });

  it('reports a deleted clause as removed', () => {
    expect(summary(before, '## 一、范围\n\n1.1 甲条款内容。\n\n1.3 丙条款内容。')).toEqual([
      'same s1',
      'same c1.1',
      'removed c1.2',
      'same c1.3',
    ]);
  });

  it('reports a passage that becomes bold, since bold marks a key clause', () => {
    const changes = clauseDiff(
      blocks('1.1 我们会通过弹窗提示您。'),
      blocks('1.1 **我们会通过弹窗提示您。**'),
      'zh-CN',
    );
    expect(changes).toMatchObject([
      { op: 'changed', emphasis: { added: ['我们会通过弹窗提示您。'], removed: [] } },
    ]);
  });
});
