import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render, renderDom } from '../../helpers/markdown.ts';

const dir = join(import.meta.dirname, '../../fixtures/pipeline');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

describe('pipeline fixture pairs (input .md → expected .html)', () => {
  const cases = readdirSync(dir).filter((f) => f.endsWith('.md'));
  it('has fixtures to check', () => expect(cases.length).toBeGreaterThanOrEqual(7));
  for (const file of cases) {
    it(`renders ${file} as expected`, () => {
      expect(render(read(file))).toBe(read(file.replace(/\.md$/, '.html')));
    });
  }
});

describe('Chinese bold', () => {
  it('bolds runs that CommonMark refuses next to CJK punctuation', () => {
    const body = renderDom(read('cjk-bold.md'));
    const strong = [...body.querySelectorAll('strong')].map((s) => s.textContent);
    expect(strong).toEqual(['仔细阅读本《隐私权政策》（重点内容）', '特别提示：', '“不可抗力”']);
    expect(body.textContent).not.toContain('**');
  });

  it('joins lines between CJK characters without a space, but keeps the space between Latin words', () => {
    const paragraphs = [...renderDom(read('cjk-line-break.md')).querySelectorAll('p')].map(
      (p) => p.textContent,
    );
    expect(paragraphs[0]).toBe('我们收集的信息包括您的姓名。');
    expect(paragraphs[1]).toMatch(/text\sbreaks/);
  });
});

describe('clause anchors', () => {
  const body = renderDom(read('clause-anchors.md'));
  const id = (selector: string) => body.querySelector(selector)?.getAttribute('id');

  it('derives ids from clause numbers, scoping numbers that restart by their parent', () => {
    expect([...body.querySelectorAll('[id]:not(.alias)')].map((e) => e.id)).toEqual([
      'preamble',
      's1',
      'c1.1',
      'c3.1',
      'c3.1.2',
      'c3.1.2-1',
      'c3.1.2-2',
      's2',
      's2-c1',
      's2-c2',
      's2-c2-1',
      's2-c2-1-a',
      's2-c2-3',
      'art-12',
    ]);
  });

  it('keeps an id when the clause title changes', () => {
    const renamed = renderDom(read('clause-anchors.md').replace('【协议的范围】', '【适用范围与定义】'));
    expect(renamed.querySelector('h2')?.id).toBe(id('h2'));
  });

  it('gives every numbered clause a link to itself with an accessible name', () => {
    const clauses = [...body.querySelectorAll('.clause, .clause-heading h2, .clause-heading h3')];
    expect(clauses.length).toBe(13);
    for (const clause of body.querySelectorAll('.clause')) {
      const link = clause.querySelector(':scope > a.clause-link');
      expect(link?.getAttribute('href')).toBe(`#${clause.id}`);
      expect(link?.getAttribute('aria-label')).toMatch(/^Link to “.+”$/);
    }
  });

  it('uses an explicit {#id} for an unnumbered heading and removes it from the text', () => {
    const h2 = renderDom(read('headings-without-numbers.md')).querySelector('h2');
    expect(h2?.id).toBe('definitions');
    expect(h2?.textContent).toBe('Definitions');
  });

  it('keeps ids unique when a clause number repeats', () => {
    const ids = [...renderDom(read('duplicate-clause.md')).querySelectorAll('[id]')].map((e) => e.id);
    expect(ids).toEqual(['c3.1', 'c3.1_2']);
  });
});

describe('numbering as written', () => {
  const body = renderDom(read('numbering-as-written.md'));

  it('shows each ordered item with the number and delimiter the editor wrote', () => {
    const markers = [...body.querySelectorAll('li > .marker')].map((m) => m.textContent);
    expect(markers).toEqual(['3.', '5.', '1)', '2)']);
    expect([...body.querySelectorAll('ol > li')].map((li) => li.getAttribute('value'))).toEqual([
      '3',
      '5',
      '1',
      '2',
    ]);
  });

  it('drops the bullets of a list whose items carry their own numbers', () => {
    expect(body.querySelector('ul')?.className).toBe('as-written');
    expect(body.querySelector('ul li')?.textContent).toContain('a) 字母编号');
  });
});

describe('unsafe input', () => {
  const html = render(read('xss.md'));
  const body = renderDom(read('xss.md'));

  it('escapes raw HTML instead of passing it through', () => {
    expect(body.querySelector('script, img')).toBeNull();
    expect(html).toContain('&lt;script&gt;');
  });

  it('refuses javascript: and data: links but keeps https links', () => {
    const hrefs = [...body.querySelectorAll('a:not(.clause-link)')].map((a) => a.getAttribute('href'));
    expect(hrefs).toEqual(['https://example.com/privacy']);
    expect(html).not.toMatch(/href="(javascript|data):/);
  });

  it('builds a heading id from its text only as a slug of letters, digits and hyphens', () => {
    const ids = [...body.querySelectorAll('[id]')].map((e) => e.id);
    expect(ids).toContain('title-scriptalert1script');
    for (const id of ids) expect(id).toMatch(/^[\p{L}\p{N}._-]+$/u);
  });
});
