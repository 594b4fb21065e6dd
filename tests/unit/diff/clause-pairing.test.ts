import { describe, expect, it } from 'vitest';
import { changeReport } from '../../../src/diff/change-report.ts';
import { clauseDiff } from '../../../src/diff/clause-diff.ts';
import { clauseWords, similarity } from '../../../src/diff/similarity.ts';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { parse } from '../../helpers/markdown.ts';

const blocks = (source: string) => clauseBlocks(parse(source));
/** `op key` for every block that is not unchanged. */
const summary = (before: string, after: string, locale: string) =>
  clauseDiff(blocks(before), blocks(after), locale)
    .filter((c) => c.op !== 'same')
    .map((c) => (c.op === 'removed' ? `removed ${c.before.key}` : `${c.op} ${c.after.key}`));

describe('similarity', () => {
  it('counts words only, so that two unrelated English sentences share little', () => {
    const definition =
      '“Beta Previews” mean software, services, or features identified as alpha, beta, preview, early access, or evaluation, or words or phrases with similar meanings.';
    const newRule =
      'You may not use the Service to access, collect or use publicly accessible Content for the purpose of training an artificial intelligence model.';
    expect(similarity(clauseWords(definition, 'en'), clauseWords(newRule, 'en'))).toBeLessThan(0.2);
  });

  it('leaves the clause number out, since numbers shift', () => {
    expect(clauseWords('3.2 We keep records.', 'en')).toEqual(['we', 'keep', 'records']);
    expect(clauseWords('（二）我们保存记录。', 'zh-CN')).not.toContain('二');
  });
});

describe('pairing clauses in a rewritten document', () => {
  it('reports an English definition replaced by an unrelated sentence as one removed and one added', () => {
    const before = `## A. Definitions

1. An “Account” represents your legal relationship with GitHub.
2. The “Agreement” refers, collectively, to all the terms, conditions, notices contained or referenced in this document.
3. “Beta Previews” mean software, services, or features identified as alpha, beta, preview, early access, or evaluation, or words or phrases with similar meanings.
`;
    const after = before.replace(
      /3\. “Beta Previews”.*\n/,
      '3. You may not use the Service to access, collect or use publicly accessible Content for the purpose of training an artificial intelligence model.\n',
    );
    expect(summary(before, after, 'en')).toEqual(['removed a-3', 'added a-3']);
    const report = changeReport(clauseDiff(blocks(before), blocks(after), 'en'));
    expect(report.counts).toMatchObject({ changed: 0, added: 1, removed: 1 });
  });

  it('reports a Chinese definition replaced by an unrelated one as one removed and one added', () => {
    const before = `## 一、定义

1、“ULogViewer”：指由 Carina Studio 开发的日志查看软件。

2、“用户”：指使用 ULogViewer 的个人、公司或组织，包括其员工、代理人。

3、“协议”：指本用户协议及其不时更新的版本。
`;
    const after = before.replace(
      /2、“用户”.*\n/,
      '2、“第三方服务”：指由 Azure、GitHub 等第三方提供的、与 ULogViewer 一同使用的服务。\n',
    );
    const changes = summary(before, after, 'zh-CN');
    expect(changes).toHaveLength(2);
    expect(changes[0]).toMatch(/^removed /);
    expect(changes[1]).toMatch(/^added /);
  });

  it('still pairs a Chinese clause edited in place, word by word', () => {
    const before =
      '## 五、信息存储\n\n1、在您主动注销账号时，我们将根据法律法规的要求尽快删除您的个人信息或作匿名化处理。';
    const after = before.replace('尽快', '在 15 个工作日内');
    const [change] = clauseDiff(blocks(before), blocks(after), 'zh-CN').filter((c) => c.op !== 'same');
    expect(change?.op === 'changed' && change.parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: '尽快' },
      { op: 'added', text: '在 15 个工作日内' },
    ]);
  });

  const deletion =
    '3.2 We will delete your personal information within a reasonable period after you close your account.';
  const rewritten =
    'After you close your account, your personal information is erased within thirty days, unless the law requires us to keep it for longer.';

  it('pairs a clause reworded in place when it keeps its number and much of its wording', () => {
    const before = `3.1 You may close your account at any time.\n\n${deletion}`;
    const after = `3.1 You may close your account at any time.\n\n3.2 ${rewritten}`;
    expect(summary(before, after, 'en')).toEqual(['changed c3.2']);
  });

  it('does not pair the same two texts under different numbers, which share too little', () => {
    const before = `3.1 You may close your account at any time.\n\n${deletion}`;
    const after = `3.1 You may close your account at any time.\n\n3.3 ${rewritten}`;
    expect(summary(before, after, 'en')).toEqual(['removed c3.2', 'added c3.3']);
  });

  it('prefers a clause that moved and kept its words over an unrelated one that took its number', () => {
    const before = `## 三、信息使用\n\n（一）我们会将您的信息用于提供服务。\n\n（二）我们不会将您的信息用于广告推送。`;
    const after = `## 三、信息使用\n\n（一）我们会将您的信息用于提供服务。\n\n（二）在获得您的单独同意后，我们可能与合作伙伴联合开展市场调研。\n\n（三）我们不会将您的信息用于任何广告推送。`;
    expect(summary(before, after, 'zh-CN')).toEqual(['added s3-c2', 'changed s3-c3']);
  });
});
