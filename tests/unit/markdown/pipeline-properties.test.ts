/**
 * Properties of the pipeline over random legal Markdown (tests/helpers/legal-markdown.arbitrary.ts):
 * whatever an editor writes, parsing, rendering, the diff's blocks and every lint rule finish,
 * and the page they make is sound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lintBody } from '../../../src/lint/lint.ts';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { legalDocument } from '../../helpers/legal-markdown.arbitrary.ts';
import { parse, render, renderDom } from '../../helpers/markdown.ts';

const runs = { numRuns: 400 };

describe('the pipeline on random legal Markdown', () => {
  it('parses, renders, splits into diff blocks and lints without throwing', () => {
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const parsed = parse(body);
        render(body);
        clauseBlocks(parsed);
        const findings = lintBody({ file: 'x.md', body, bodyOffset: 0 }, parsed);
        const lines = body.split('\n').length;
        for (const f of findings) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.line).toBeLessThanOrEqual(lines);
          expect(f.column).toBeGreaterThanOrEqual(1);
        }
      }),
      runs,
    );
  });

  it('gives every element a unique id, and every clause link a target', () => {
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const dom = renderDom(body);
        const ids = [...dom.querySelectorAll('[id]')].map((e) => e.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const link of dom.querySelectorAll('a.clause-link')) {
          expect(ids).toContain(decodeURIComponent(link.getAttribute('href')!.slice(1)));
        }
      }),
      runs,
    );
  });

  it('links every footnote number to its note and every note back to its number', () => {
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const dom = renderDom(body);
        const ids = new Map([...dom.querySelectorAll('[id]')].map((e) => [e.id, e]));
        const byId = (href: string) => ids.get(decodeURIComponent(href.slice(1)));
        const refs = [...dom.querySelectorAll('sup.footnote-ref a')];
        for (const ref of refs) {
          const note = byId(ref.getAttribute('href')!);
          expect(note?.classList.contains('footnote-item')).toBe(true);
          expect(ref.textContent).toBe(
            String([...dom.querySelectorAll('li.footnote-item')].indexOf(note!) + 1),
          );
        }
        for (const back of dom.querySelectorAll('a.footnote-backref')) {
          expect(byId(back.getAttribute('href')!)?.parentElement?.matches('sup.footnote-ref')).toBe(true);
        }
        expect(dom.querySelectorAll('a.footnote-backref').length).toBe(refs.length);
      }),
      runs,
    );
  });

  it('lists every id of the page as a link target, so that broken-link sees what readers see', () => {
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const targets = new Set(parse(body).env.targets);
        for (const element of renderDom(body).querySelectorAll('[id]')) expect(targets).toContain(element.id);
      }),
      runs,
    );
  });

  it('never lets raw HTML or a script: link through, and never shows a closed comment', () => {
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const dom = renderDom(body);
        expect(dom.querySelector('script, b, img, iframe')).toBeNull();
        for (const a of dom.querySelectorAll('a[href]'))
          expect(a.getAttribute('href')).not.toMatch(/^javascript:/i);
        // Code shows what it holds, comments included; everywhere else a closed comment is gone.
        for (const code of dom.querySelectorAll('code')) code.remove();
        expect(dom.textContent).not.toMatch(/<!--[^]*?-->/);
      }),
      runs,
    );
  });

  it('lists as key passages only text that the page shows in bold', () => {
    const squash = (text: string) => text.replace(/\s+/g, '');
    fc.assert(
      fc.property(legalDocument(), (body) => {
        const dom = renderDom(body);
        // A footnote's number in a bold run is a link, not the passage's text.
        for (const number of dom.querySelectorAll('sup.footnote-ref')) number.remove();
        const bold = [...dom.querySelectorAll('strong')].map((s) => squash(s.textContent ?? ''));
        for (const passage of parse(body).env.keyPassages) {
          expect(passage.text.trim()).not.toBe('');
          expect(bold).toContain(squash(passage.text));
        }
      }),
      runs,
    );
  });
});
