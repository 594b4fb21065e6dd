/**
 * Random legal Markdown for property-based tests (fast-check): the shapes real policies take,
 * mixed freely. CJK and Latin text; bold and italic runs next to punctuation and line breaks,
 * stray `**`; soft and hard breaks; clause numbers of every style, also at the start of a
 * continuation line; nested lists of every marker kind and indentation; numbered, lettered and
 * plain headings with and without `{#id}`; comments (lint control among them); GitHub alerts;
 * tables; links in the page and out; raw HTML; code.
 *
 *   fc.assert(fc.property(legalDocument(), (markdown) => { … }));
 */
import fc from 'fast-check';

const cjk = fc.constantFrom(
  '我们',
  '个人信息',
  '用户',
  '协议',
  '服务',
  '同意',
  '不会',
  '收集',
  '第三方',
  '保险',
);
const latin = fc.constantFrom('we', 'data', 'Services', 'agree', 'user', 'policy', 'may', 'not', 'GitHub');
const punctuation = fc.constantFrom(
  '，',
  '。',
  '：',
  '；',
  '、',
  '（',
  '）',
  '【',
  '】',
  '“',
  '”',
  '.',
  ',',
  ':',
  ';',
  '(',
  ')',
  '"',
  '—',
);
const word = fc.oneof(cjk, latin, punctuation, fc.constantFrom(' ', ' ', '  '));

const marker = fc.constantFrom(
  '一、',
  '二、',
  '十二、',
  '第三条 ',
  '第二章 ',
  '1.1 ',
  '3.1.2 ',
  '1. ',
  '2、',
  '1) ',
  '（1）',
  '(2)',
  '(a) ',
  '(b)',
  'a) ',
  'b. ',
  '(i) ',
  '(ii) ',
  'A. ',
  'B. ',
  'II. ',
  'A1-2. ',
  '（一）',
  '',
);

const text = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(''));

/** Labels as editors write them, some clashing with a heading slug or a clause anchor once prefixed. */
const footnoteLabel = fc.constantFrom('1', '2', 'a', 'gdpr', '注1', 'note 1', 'definitions', '1_2');

const inlinePiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 2, arbitrary: text.map((t) => `**${t}**`) },
  { weight: 1, arbitrary: fc.tuple(text, punctuation).map(([t, p]) => `**${t}${p}**`) },
  { weight: 1, arbitrary: text.map((t) => `*${t}*`) },
  { weight: 1, arbitrary: text.map((t) => `_${t}_`) },
  { weight: 1, arbitrary: fc.constantFrom('**', '*', '__', '`') },
  { weight: 1, arbitrary: text.map((t) => `\`${t}\``) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        text,
        fc.constantFrom(
          '#s1',
          '#c1.1',
          '#a-definitions',
          '#nowhere',
          'https://example.com/x',
          'javascript:alert(1)',
        ),
      )
      .map(([t, href]) => `[${t}](${href})`),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<!-- note -->',
      '<!-- assent-lint-disable-line numbering -->',
      '<b>raw</b>',
      '<script>alert(1)</script>',
      '<!--',
    ),
  },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('\n', '  \n', '\\\n'), marker).map(([br, m]) => br + m) },
  // Footnote references, defined or not (a block below defines some labels), and inline notes.
  { weight: 1, arbitrary: footnoteLabel.map((label) => `[^${label}]`) },
  { weight: 1, arbitrary: text.map((t) => `^[${t}]`) },
);

export const inline = fc.array(inlinePiece, { minLength: 1, maxLength: 10 }).map((pieces) => pieces.join(''));

const paragraph = fc.tuple(marker, inline).map(([m, t]) => m + t);

const heading = fc
  .tuple(
    fc.integer({ min: 1, max: 6 }),
    marker,
    inline,
    fc.constantFrom(
      '',
      '',
      ' {#definitions}',
      ' {: #grant }',
      '\n{: #grant}',
      '\n{: #scope .wide}\nText under it.',
    ),
  )
  .map(([level, m, t, id]) => `${'#'.repeat(level)} ${m}${t.replace(/\n/g, ' ')}${id}`);

const itemMarker = fc.constantFrom('1.', '2.', '1)', '3.', '-', '*', '+', '- (1)', '* (a)', '- (i)');

interface ListShape {
  items: Array<{ marker: string; text: string; children?: ListShape }>;
}

const listShape: fc.Arbitrary<ListShape> = fc.letrec<{ list: ListShape }>((tie) => ({
  list: fc.record({
    items: fc.array(
      fc.record(
        {
          marker: itemMarker,
          text: inline,
          children: fc.oneof(
            { depthSize: 'small', withCrossShrink: true },
            fc.constant(undefined),
            tie('list'),
          ),
        },
        { requiredKeys: ['marker', 'text'] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
  }),
})).list;

function renderList(list: ListShape, indent: string, indentStep: number, loose: boolean): string {
  return list.items
    .map((item) => {
      const head = `${indent}${item.marker} ${item.text.replace(/\n/g, `\n${indent}   `)}`;
      const nested = item.children
        ? '\n' + renderList(item.children, indent + ' '.repeat(indentStep), indentStep, loose)
        : '';
      return head + nested;
    })
    .join(loose ? '\n\n' : '\n');
}

const list = fc
  .tuple(listShape, fc.constantFrom(2, 3, 4), fc.boolean())
  .map(([shape, step, loose]) => renderList(shape, '', step, loose));

const table = fc
  .array(fc.tuple(text, inline), { minLength: 1, maxLength: 3 })
  .map((rows) =>
    ['| a | b |', '| --- | :--- |', ...rows.map(([a, b]) => `| ${a} | ${b.replace(/\n/g, ' ')} |`)].join(
      '\n',
    ),
  );

const block: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: paragraph },
  { weight: 3, arbitrary: heading },
  { weight: 3, arbitrary: list },
  { weight: 1, arbitrary: table },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('NOTE', 'WARNING', 'important', 'TIP'), inline)
      .map(([k, t]) => `> [!${k}]\n> ${t.replace(/\n/g, '\n> ')}`),
  },
  { weight: 1, arbitrary: inline.map((t) => `> ${t.replace(/\n/g, '\n> ')}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '<!-- assent-lint-disable-next-line numbering -->',
      '<!-- assent-lint-disable bracket-width -->',
      '<!-- assent-lint-enable -->',
      '<!--\nmulti-line\nnote\n-->',
      '<!-- markdownlint-disable MD033 -->',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom('```\ncode **x**\n```', '---', '    indented code') },
  { weight: 1, arbitrary: fc.tuple(footnoteLabel, inline).map(([label, t]) => `[^${label}]: ${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('## Fn 1', '## FN-gdpr', '## fnref 1') },
);

/** A whole document body: blocks joined by blank lines, or sometimes by a single line break. */
export function legalDocument(): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(block, fc.constantFrom('\n\n', '\n\n', '\n')), { minLength: 1, maxLength: 12 })
    .map((blocks) => blocks.map(([b, sep]) => b + sep).join(''));
}
