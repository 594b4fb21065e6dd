/**
 * The two real documents the kit was designed around, as converted into content/: the text is
 * the seeds' text, word for word, and renders with working anchors and key clauses.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../../src/content/front-matter.ts';
import { renderDom, parse } from '../../helpers/markdown.ts';
import { contentFiles, rawSeeds } from '../../helpers/paths.ts';

const body = (file: string) => splitFrontMatter(readFileSync(file, 'utf8')).body;

/**
 * The words of a text: Markdown syntax, bold markers and white space removed, and HTML
 * comments, which readers never see (the lint control comments that acknowledge the seed's
 * quirks are the editor's notes, not the document's words).
 */
function words(text: string): string {
  return text
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/^(#+ |- )/gm, '')
    .replaceAll('**', '')
    .replace(/\s+/g, '');
}

describe('converted seed documents', () => {
  it.each([
    ['agreement', '微保服务协议本版发布日期：2018年5月29日生效日期：2018年6月1日'],
    ['privacy', '隐私及个人信息保护政策本政策发布时间：【2020年12月01日】生效时间：【2020年12月01日】'],
  ] as const)('keep every word of the %s (title and dates move to front matter)', (which, header) => {
    const raw = words(readFileSync(rawSeeds[which], 'utf8'));
    expect(raw.startsWith(header)).toBe(true);
    expect(words(body(contentFiles[which]))).toBe(raw.slice(header.length));
  });

  it('joins the paragraphs that PDF page breaks split', () => {
    const agreement = renderDom(body(contentFiles.agreement));
    expect(agreement.querySelector('[id="c3.1.3"]')?.textContent).toContain('投保人、被保险人、受益人');
    expect(agreement.querySelector('[id="c7.1"]')?.textContent).toContain('不得利用本服务从事违法违规行为');
    const privacy = renderDom(body(contentFiles.privacy));
    expect(privacy.querySelector('[id="s4-c9"]')?.textContent).toContain('我们会与其签署严格的信息保护');
  });

  it('restores the bold runs the PDF copy broke, so no asterisk reaches the page', () => {
    const agreement = renderDom(body(contentFiles.agreement));
    expect(agreement.textContent).not.toContain('**');
    expect(agreement.querySelector('[id="c3.4-1"] strong')?.textContent).toBe('向你提供产品或服务；');
    expect(agreement.querySelector('[id="c3.5.2-2"] strong')?.textContent).toBe(
      '与公共安全、公共卫生、重大公共利益直接相关的；',
    );
  });

  it('has the anchors a reader would link to in the agreement', () => {
    const agreement = renderDom(body(contentFiles.agreement));
    for (const id of ['s1', 's12', 'c3.1', 'c3.1.2', 'c3.5.2-8', 'c4.1-1', 'c4.1-3', 'c8.2-4', 'c11.5']) {
      expect(agreement.querySelector(`[id="${id}"]`), id).not.toBeNull();
    }
    expect(agreement.querySelectorAll('h2').length).toBe(12);
  });

  it('scopes the privacy policy’s restarting numbers by section and item', () => {
    const privacy = renderDom(body(contentFiles.privacy));
    expect(privacy.querySelector('[id="s2-c2-2-b"]')?.textContent).toContain('(b) 当您购买保险产品投保时');
    expect(privacy.querySelector('[id="s3-c7-11"]')?.textContent).toContain('法律法规规定的其他情形');
    expect(privacy.querySelector('[id="s7-c1"]')?.tagName).toBe('H3');
  });

  it('lists the key (bold) clauses in order with the clause they belong to', () => {
    const { keyPassages } = parse(body(contentFiles.agreement)).env;
    expect(keyPassages.map((k) => k.anchor)).toEqual([
      'c3.4-1',
      'c3.4-2',
      'c3.5.2-1',
      'c3.5.2-2',
      'c3.6',
      'c7.2',
      'c7.3',
    ]);
    expect(keyPassages[4]!.text).toBe(
      '但如果你需要更改保险合同上的相关信息，你需要根据保险合同的约定进行更改。',
    );
    const privacy = parse(body(contentFiles.privacy)).env.keyPassages;
    expect(privacy[0]).toMatchObject({ anchor: 'preamble' });
    expect(privacy[0]!.text).toContain('（重点内容我们已将字体加粗请您特别关注）');
  });
});
