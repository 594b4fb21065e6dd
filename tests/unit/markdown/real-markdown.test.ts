/**
 * The shapes real legal Markdown takes that the seeds do not show: nested and lazily numbered
 * lists, lettered headings and in-page links to them, comments, GitHub alerts, clause numbers on
 * continuation lines, bold labels, footnotes. Each case is a small sample of a class found in public
 * policies (see tests/fixtures/corpus/); the corpus test checks the whole documents.
 */
import { describe, expect, it } from 'vitest';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { createLegalMarkdown, renderLegal } from '../../../src/markdown/pipeline.ts';
import { parse, render, renderDom } from '../../helpers/markdown.ts';

const ids = (source: string) => [...renderDom(source).querySelectorAll('[id]:not(.alias)')].map((e) => e.id);
const anchors = (source: string) => parse(source).env.outline.map((c) => c.anchor);

describe('input that crashed markdown-it-cjk-breaks', () => {
  it.each([
    ['文字\n**粗体**', '文字粗体'],
    ['text **bold**\ntext', 'text bold text'],
    ['文\n字\n**粗**\n体', '文字粗体'],
    ['**粗体**\n\n文字\n**粗体**\n文字', '文字粗体文字'],
  ])('renders %j and joins its lines as a reader expects', (source, text) => {
    const paragraphs = [...renderDom(source).querySelectorAll('p')].map((p) =>
      p.textContent?.replace(/\s+/g, ' '),
    );
    expect(paragraphs.at(-1)).toBe(text);
  });

  it('keeps the space at a break next to Hangul or Latin text', () => {
    const text = (source: string) => renderDom(source).querySelector('p')?.textContent;
    expect(text('한국어\n문장')).toBe('한국어\n문장');
    expect(text('中文\nEnglish')).toBe('中文\nEnglish');
    expect(text('中文\n中文')).toBe('中文中文');
  });
});

describe('nesting', () => {
  const nested = [
    '## 五、信息共享',
    '',
    '1. 我们不会共享。',
    '2. 以下情形除外：',
    '   1. 获得您的同意；',
    '   2. 法律要求；',
    '   3. 第三项。',
    '3. 其他。',
  ].join('\n');

  it('scopes a nested ordered list under its parent item', () => {
    expect(anchors(nested)).toEqual(['s5', 's5-c1', 's5-c2', 's5-c2-1', 's5-c2-2', 's5-c2-3', 's5-c3']);
  });

  it('opens a new scope for a numbered heading after numbered clauses', () => {
    const source = '## 1. Scope\n\n1.1 One.\n\n1.2 Two.\n\n## 2. Data\n\n1. First\n2. Second\n';
    expect(anchors(source)).toEqual(['c1', 'c1.1', 'c1.2', 'c2', 'c2-1', 'c2-2']);
  });

  it('lets a list that goes on after a paragraph stay a sibling, and one that starts over stand beside it', () => {
    const continued = '## 一、A\n\n1. a\n2. b\n\nText.\n\n3. c\n';
    expect(anchors(continued)).toEqual(['s1', 's1-c1', 's1-c2', 's1-c3']);
    const restarted = '**A1-2. Definitions**\n\n* (a) x\n* (b) y\n\n**A1-3. Compliance**\n\n* (a) z\n';
    expect(anchors(restarted)).toEqual(['a1-2', 'a1-2-a', 'a1-2-b', 'a1-3', 'a1-3-a']);
  });
});

describe('lazy numbering', () => {
  const source = '1. One\n1. Two\n1. Three\n';

  it('shows and anchors 1, 2, 3 when every item says 1', () => {
    const body = renderDom(source);
    expect([...body.querySelectorAll('li > .marker')].map((m) => m.textContent)).toEqual(['1.', '2.', '3.']);
    expect([...body.querySelectorAll('li')].map((li) => li.getAttribute('value'))).toEqual(['1', '2', '3']);
    expect(ids(source)).toEqual(['c1', 'c2', 'c3']);
  });

  it('keeps numbers as written when they differ', () => {
    expect(ids('3. a\n5. b\n')).toEqual(['c3', 'c5']);
    expect(ids('1. a\n1. b\n2. c\n')).toEqual(['c1', 'c1_2', 'c2']);
  });
});

describe('letters and Roman numerals', () => {
  const terms = [
    'See [A. Definitions](#a-definitions).',
    '',
    '## A. Definitions',
    '',
    '## B. Account Terms',
    '',
    '(a) first;',
    '(b) second:',
    '(i) sub one;',
    '(ii) sub two;',
    '(c) third.',
  ].join('\n');

  it('anchors lettered headings by their letter, and answers to their GitHub slug too', () => {
    const body = renderDom(terms);
    expect(body.querySelector('h2')?.id).toBe('a');
    expect(body.querySelector('#a-definitions')?.nextElementSibling?.id).toBe('a');
    expect(parse(terms).env.positionalHeadings).toEqual([]);
  });

  it('reads (i) after (b) as a Roman numeral under it, and (i) after (h) as a letter', () => {
    expect(anchors(terms)).toEqual(['a', 'b', 'b-a', 'b-b', 'b-b-i', 'b-b-ii', 'b-c']);
    expect(anchors('(g) x;\n\n(h) y;\n\n(i) z.\n')).toEqual(['g', 'h', 'i']);
    expect(parse('(g) x;\n\n(h) y;\n\n(i) z.\n').env.outline[2]!.marker?.style).toBe('paren-letter');
  });

  it('gives unnumbered headings their text slug, and a position only when the slug is unusable', () => {
    expect(ids('## Contact us\n\n## Contact us\n')).toEqual(['contact-us', 'contact-us-1']);
    const outline = parse('## 2024\n').env;
    expect(outline.outline[0]!.anchor).toBe('h-1');
    expect(outline.positionalHeadings).toHaveLength(1);
  });
});

describe('HTML comments', () => {
  const source = [
    'Before.',
    '<!-- markdownlint-disable MD033 -->',
    '',
    '<!--',
    'a note for editors',
    '-->',
    '',
    '1. Visible <!-- inline note --> text',
  ].join('\n');

  it('are never shown', () => {
    const html = render(source);
    expect(html).not.toContain('markdownlint');
    expect(html).not.toContain('note');
    expect(html).not.toContain('&lt;!--');
    expect(renderDom(source).querySelector('li')?.textContent).toContain('Visible  text');
  });

  it('are never part of what the diff compares', () => {
    const text = clauseBlocks(parse(source))
      .map((b) => b.text)
      .join('\n');
    expect(text).not.toMatch(/markdownlint|note/);
  });

  it('are listed with their lines for lint control', () => {
    expect(parse(source).env.comments).toEqual([
      { line: 1, endLine: 1, text: 'markdownlint-disable MD033' },
      { line: 3, endLine: 5, text: 'a note for editors' },
      { line: 7, endLine: 7, text: 'inline note' },
    ]);
  });

  it('leave a `<!--` that never closes as text', () => {
    expect(renderDom('a <!-- b').querySelector('p')?.textContent).toBe('a <!-- b');
  });
});

describe('GitHub alerts', () => {
  it('render as a titled callout, not a quote starting with [!NOTE]', () => {
    const body = renderDom('> [!NOTE]\n> Read this.\n');
    const alert = body.querySelector('.alert-note');
    expect(alert?.getAttribute('role')).toBe('note');
    expect(alert?.querySelector('.alert-title')?.textContent).toBe('Note');
    expect(body.textContent).not.toContain('[!NOTE]');
  });

  it('escape a custom title', () => {
    const body = renderDom('> [!WARNING] <img src=x onerror=alert(1)>\n> Text.\n');
    expect(body.querySelector('img')).toBeNull();
    expect(body.querySelector('.alert-title')?.textContent).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('kramdown attribute lists', () => {
  it('name a heading’s anchor from the line below it, which never shows', () => {
    const source = '## Scope of use\n{: #scope}\nThese terms apply.\n\n## Contact\n{: #contact .wide}\n';
    expect(anchors(source)).toEqual(['scope', 'contact']);
    const dom = renderDom(source);
    expect(dom.textContent).not.toContain('{:');
    expect(dom.querySelector('p')?.textContent).toBe('These terms apply.');
    // The paragraph keeps its own line, for lint messages.
    expect(parse(source).tokens.find((t) => t.type === 'paragraph_open')?.map).toEqual([2, 3]);
  });

  it('leave a `{: #id}` that is not right below a heading as written', () => {
    expect(renderDom('## Scope\n\n{: #other}\n').querySelector('p')?.textContent).toBe('{: #other}');
  });
});

describe('footnotes', () => {
  const policy = [
    'We keep your data as the law requires[^retention] and no longer.',
    '',
    '1. We share data with processors[^gdpr].',
    '2. Processors are bound by contract[^gdpr]. 我们会告知您^[以书面形式]。',
    '',
    '[^gdpr]: Art. 28 **GDPR**.',
    '[^retention]: 依据《网络安全法》第二十一条，',
    '    日志留存不少于六个月。',
  ].join('\n');

  it('number the notes by first reference and link each number to its note and back', () => {
    const dom = renderDom(policy);
    const refs = [...dom.querySelectorAll('sup.footnote-ref a')];
    expect(refs.map((a) => [a.textContent, a.getAttribute('href'), a.id])).toEqual([
      ['1', '#fn-retention', 'fnref-retention'],
      ['2', '#fn-gdpr', 'fnref-gdpr'],
      ['2', '#fn-gdpr', 'fnref-gdpr-2'],
      ['3', '#fn-3', 'fnref-3'],
    ]);
    const notes = [...dom.querySelectorAll('section.footnotes li.footnote-item')];
    expect(notes.map((li) => li.id)).toEqual(['fn-retention', 'fn-gdpr', 'fn-3']);
    expect(notes[1]!.querySelectorAll('a.footnote-backref')).toHaveLength(2);
    expect([...notes[1]!.querySelectorAll('a.footnote-backref')].map((a) => a.getAttribute('href'))).toEqual([
      '#fnref-gdpr',
      '#fnref-gdpr-2',
    ]);
    // A note's Chinese lines join without a space, as in the body.
    expect(notes[0]!.textContent).toContain('第二十一条，日志留存');
    expect(parse(policy).env.targets).toEqual(expect.arrayContaining(['fn-gdpr', 'fnref-gdpr-2', 'fn-3']));
  });

  it('keep the ids of named notes when a note is added above them', () => {
    const before = renderDom('A[^gdpr].\n\n[^gdpr]: Art. 28.');
    const after = renderDom('New[^new]. A[^gdpr].\n\n[^new]: New note.\n[^gdpr]: Art. 28.');
    expect(before.querySelector('li.footnote-item')?.id).toBe('fn-gdpr');
    expect([...after.querySelectorAll('li.footnote-item')].map((li) => li.id)).toEqual(['fn-new', 'fn-gdpr']);
  });

  it('are no clauses, headings or key passages, and leave the clause numbering alone', () => {
    const parsed = parse(policy);
    expect(parsed.env.outline.map((c) => c.anchor)).toEqual(['c1', 'c2']);
    expect(parsed.env.keyPassages).toEqual([]);
    const numbered = parse('1. First[^1].\n\n[^1]: 2. Not a clause.\n');
    expect(numbered.env.outline.map((c) => c.anchor)).toEqual(['c1']);
  });

  it('are compared by the version diff under their own ids, not as part of the last clause', () => {
    const blocks = clauseBlocks(parse(policy));
    expect(blocks.filter((b) => b.key.startsWith('fn-')).map((b) => [b.key, b.anchor, b.text])).toEqual([
      ['fn-retention', 'fn-retention', '依据《网络安全法》第二十一条，日志留存不少于六个月。'],
      ['fn-gdpr', 'fn-gdpr', 'Art. 28 GDPR.'],
      ['fn-3', 'fn-3', '以书面形式'],
    ]);
  });

  it('give way to a clause or heading that already holds the id', () => {
    const dom = renderDom('## Fn a\n\nText[^a].\n\n[^a]: Note.');
    expect(dom.querySelector('h2')?.id).toBe('fn-a');
    expect(dom.querySelector('li.footnote-item')?.id).toBe('fn-a_2');
    expect(dom.querySelector('sup.footnote-ref a')?.getAttribute('href')).toBe('#fn-a_2');
  });

  it('leave out a note nothing refers to, and what only it refers to', () => {
    const dom = renderDom('Text[^a].\n\n[^a]: A.\n[^u]: Unused, citing[^c].\n[^c]: C.');
    expect([...dom.querySelectorAll('li.footnote-item')].map((li) => li.id)).toEqual(['fn-a']);
    expect(dom.querySelectorAll('a.footnote-backref')).toHaveLength(1);
  });

  it('name their numbers and back links for screen readers, in the page’s language', () => {
    const zh = {
      linkToClause: (n: string) => `指向“${n}”的链接`,
      footnote: (n: string) => `脚注 ${n}`,
      backToReference: (n: string) => `返回脚注 ${n} 的引用处`,
      footnotes: '脚注',
    };
    const html = renderLegal(createLegalMarkdown(), parse('条款[^1]。\n\n[^1]: 注释。'), zh);
    expect(html).toContain('aria-label="脚注 1"');
    expect(html).toContain('aria-label="返回脚注 1 的引用处"');
    expect(html).toContain('<section class="footnotes" aria-label="脚注">');
    const english = renderDom('Text[^1].\n\n[^1]: Note.');
    expect(english.querySelector('sup a')?.getAttribute('aria-label')).toBe('Footnote 1');
  });
});

describe('clause numbers at the start of a continuation line', () => {
  it('start a clause of their own', () => {
    const source = '1.1 **身份识别**：为了保障安全。\n1.2 **个人资料冷却期**：注销后保留。\n1.3 其他。';
    expect(anchors(source)).toEqual(['c1.1', 'c1.2', 'c1.3']);
    expect(renderDom(source).querySelectorAll('p')).toHaveLength(3);
  });

  it('stay in the sentence when a wrapped line merely begins with a number', () => {
    const source = 'As described in section\n2.1 of this policy, we keep data.';
    expect(anchors(source)).toEqual([]);
    expect(renderDom(source).querySelectorAll('p')).toHaveLength(1);
  });

  it('split after a sentence ends, but never inside bold that runs across the line', () => {
    expect(anchors('We collect:\n(1) your name;\n(2) your email.')).toEqual(['c1', 'c2']);
    expect(anchors('**Bold that runs\n2.1 on** here.')).toEqual([]);
  });
});

describe('key passages', () => {
  it('leave out bold labels, defined terms and bold clause numbers', () => {
    const source = [
      '1.1 **身份识别**：为了保障安全，**我们不会出售您的信息**。',
      '',
      '**“Affiliate”** means any entity.',
      '',
      '**Enforcement.** We may remove content.',
      '',
      '**2.1**\tLicense. **You must not resell the service.**',
    ].join('\n');
    expect(parse(source).env.keyPassages.map((k) => k.text)).toEqual([
      '我们不会出售您的信息',
      'You must not resell the service.',
    ]);
  });

  it('name the clause number each belongs to', () => {
    const [passage] = parse('## 三、条款\n\n1. 我们**不会**共享。').env.keyPassages;
    expect(passage).toMatchObject({ anchor: 's3-c1', clause: '1', text: '不会' });
  });

  it('are read the same way by the digest and the diff (a soft break is a space)', () => {
    const source = 'We **may share your\ndata** with partners.';
    expect(parse(source).env.keyPassages[0]!.text).toBe('may share your data');
    expect(clauseBlocks(parse(source))[0]!.strong).toEqual(['may share your data']);
  });
});

describe('shapes found by testing unseen public policies', () => {
  it('reads a table of contents before the sections as contents, not as clauses', () => {
    const source = [
      '本政策将帮助您了解以下内容：',
      '',
      '一、我们如何收集',
      '',
      '二、我们如何使用',
      '',
      '## 一、我们如何收集',
      '',
      '1. 姓名',
      '',
      '## 二、我们如何使用',
    ].join('\n');
    expect(anchors(source)).toEqual(['s1', 's1-c1', 's2']);
  });

  it('nests a list that starts over under the deeper clause before it', () => {
    const source = [
      '1、 Information we may collect',
      '',
      '（1） Information you provided',
      '',
      '1. Relevant personal information.',
      '',
      '2. Bank account information.',
      '',
      '（2） Information shared by others',
    ].join('\n');
    expect(anchors(source)).toEqual(['c1', 'c1-1', 'c1-1-1', 'c1-1-2', 'c1-2']);
  });

  it('scopes clauses under an unnumbered section the same whatever other sections exist', () => {
    const alone = anchors('## Terms\n\n1. You must be 18.\n');
    const withOthers = anchors('## Terms\n\n1. You must be 18.\n\n## Refunds\n\n1. None.\n');
    expect(alone).toEqual(['terms', 'terms-c1']);
    expect(withOthers.slice(0, 2)).toEqual(alone);
  });

  it('keeps run-in titles, bold inside a word and metadata lines out of the key clauses', () => {
    const source = [
      '**付款。**我们所提供的本服务为自动续订。',
      '',
      '**11. Representations, Warranties, and Disclaimers.** You agree.',
      '',
      'your **G**lobally **R**ecognized Avatar',
      '',
      '**最后更新日期：2025年8月13日**  ',
      '**生效日期：2025年8月13日**',
      '',
      '我们**不会**出售。**本协议含免责条款，请仔细阅读。**',
    ].join('\n');
    expect(parse(source).env.keyPassages.map((k) => k.text)).toEqual([
      '不会',
      '本协议含免责条款，请仔细阅读。',
    ]);
  });
});

describe('English agreements’ numbering', () => {
  it('reads Article, Section, § and a heading’s bare number as clause numbers', () => {
    const source = [
      '## 1 Accepting These Terms',
      '',
      '## § 2 Grant of License',
      '',
      'Article 3. Payment',
      '',
      'ARTICLE IV. Term',
      '',
      'Section 4.01: Notices',
    ].join('\n');
    expect(anchors(source)).toEqual(['c1', 'sec-2', 'art-3', 'art-4', 'c4.1']);
  });

  it('leaves a sentence that merely starts with “Section 4” alone', () => {
    expect(anchors('Section 4 of this policy applies to you.')).toEqual([]);
  });
});

describe('HTML that word processors leave behind', () => {
  it('reads <br> (and </br>) as a line break, and leaves every other tag as text', () => {
    const body = renderDom('第一行<br>第二行</br>第三行 <u>条款</u>');
    expect(body.querySelectorAll('p br')).toHaveLength(2);
    expect(body.querySelector('u')).toBeNull();
    expect(body.textContent).toContain('<u>条款</u>');
  });
});
