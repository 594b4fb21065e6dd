/**
 * Real public legal documents (tests/fixtures/corpus/, provenance and licences in SOURCES.json),
 * each body unchanged, through the pipeline and lint as a legal editor would put them:
 *
 * - lint finds exactly the defects listed here per document, each one real and explained, and
 *   nothing else;
 * - every in-page link lands on an id of the page (except the broken ones listed);
 * - every clause anchor is unique, and the anchors README promises are where it says;
 * - no document shows stray asterisks, comments or raw HTML as markup.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintBody } from '../../../src/lint/lint.ts';
import { parse, renderDom } from '../../helpers/markdown.ts';

const dir = join(import.meta.dirname, '../../fixtures/corpus');

interface Source {
  file: string;
  title: string;
  language: 'en' | 'zh-CN';
  licence: string;
  repository: string;
  commit: string;
}

const sources = JSON.parse(readFileSync(join(dir, 'SOURCES.json'), 'utf8')) as Source[];

interface Expectation {
  /** Lint findings as `rule@line`, each a real defect of the published document. */
  findings?: string[];
  /** Ids and a piece of the text of the element that carries them. */
  anchors?: Record<string, string>;
}

const EXPECTED: Record<string, Expectation> = {
  'github-terms@2020-10-15.md': {
    anchors: { a: 'A. Definitions', 'a-1': 'Account', 'b-1': 'Account Controls', 'd-5': 'License Grant' },
  },
  'github-terms@2026-03-02.md': {
    // `1.` on all eight definitions: numbered 1 to 8, the same anchors as the 2020 version.
    anchors: { a: 'A. Definitions', 'a-1': 'Account', 'a-8': 'Website', 'b-1': 'Account Controls' },
  },
  'github-corporate-terms.md': { anchors: { a: 'A. Definitions', 'b-1': 'Account Controls' } },
  'github-marketplace-developer-agreement.md': {
    // `**A1-2. Definitions**` paragraphs are section codes that scope the `(a)` lists under them.
    anchors: {
      'a1-2': 'Definitions',
      'a1-2-a': 'Applicable Data Protection Laws',
      'a1-4-b-ii': 'Developer must',
    },
  },
  'github-acceptable-use-policies.md': { anchors: { c1: 'Compliance with Laws' } },
  'wordpress-com-terms.md': {
    // The published text really shows these asterisks: a closing `**` after a space
    // (`**Automatic Renewal. **By`), a bold run with no opener, and `**\` + `**` around a break.
    findings: [11, 13, 14, 102, 124, 175, 208].map((line) => `bold-balance@${line}`),
    anchors: { c1: 'Who’s Who', 'c5-a': 'Automattic Fees' },
  },
  'mozilla-firefox-privacy-notice-zh.md': {
    // These links point at raw-HTML `<a id>` anchors, which are shown as text, never run: the
    // links land nowhere on an Assent page until the editor gives the targets Markdown ids.
    // Line 167 ends list item 7 without its full stop, and a paragraph follows the list.
    // Lines 217 and 467 are raw HTML (a 460-tag table, an anchor), which readers see as text.
    findings: [
      'broken-link@14',
      'broken-link@38',
      'broken-link@105',
      'page-break@167',
      'raw-html@217',
      'raw-html@467',
    ],
  },
  // A raw-HTML <iframe> (lines 27–29), shown as text.
  'flink-privacy-zh.md': { findings: ['raw-html@29'] },
  'mozilla-pocket-terms-zh.md': { anchors: { grant: '许可授予', copyright: '版权侵权' } },
  'hellogithub-user-agreement.md': { anchors: { s1: '提示', 's2-c1': 'HelloGitHub 产品为' } },
  'simpfun-eula.md': {
    // `1.1 …` and `1.2 …` on consecutive lines of one paragraph are clauses of their own.
    // Line 6 is a whole paragraph written as a `####` heading: too long to name its anchor.
    findings: ['unnumbered-heading@6'],
    anchors: { s1: '协议的范围', 'c1.1': '本协议适用于', 'c1.2': 'MIT开源许可证', 'c2.3': '用户行为' },
  },
  'basecamp-terms.md': { anchors: { 'account-terms': 'Account Terms', 'account-terms-c1': 'security' } },
};

function read(file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

describe('the corpus of real legal documents', () => {
  it('has at least a dozen documents in both languages, each with its source and licence', () => {
    expect(sources.length).toBeGreaterThanOrEqual(12);
    expect(sources.filter((s) => s.language === 'zh-CN').length).toBeGreaterThanOrEqual(5);
    expect(sources.filter((s) => s.language === 'en').length).toBeGreaterThanOrEqual(5);
    for (const source of sources) {
      expect(source.licence).toMatch(/^(CC0-1\.0|CC-BY(-SA)?-\d\.\d|MIT|Apache-2\.0)$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('expects only documents that are in it', () => {
    for (const file of Object.keys(EXPECTED)) expect(sources.map((s) => s.file)).toContain(file);
  });

  for (const { file } of sources) {
    describe(file, () => {
      const body = read(file);
      const parsed = parse(body);
      const dom = renderDom(body);
      const expected = EXPECTED[file] ?? {};

      it('lints with exactly its real defects', () => {
        const findings = lintBody({ file, body, bodyOffset: 0 }, parsed);
        expect(findings.map((f) => `${f.rule}@${f.line}`).sort()).toEqual(
          [...(expected.findings ?? [])].sort(),
        );
      });

      it('has a unique anchor for every clause', () => {
        const anchors = parsed.env.outline.map((c) => c.baseAnchor);
        expect(anchors.filter((a, i) => anchors.indexOf(a) !== i)).toEqual([]);
      });

      it('lands every in-page link on an id of the page', () => {
        const ids = new Set([...dom.querySelectorAll('[id]')].map((e) => e.id));
        const broken = new Set((expected.findings ?? []).filter((f) => f.startsWith('broken-link')));
        const misses = [...dom.querySelectorAll('a[href^="#"]')]
          .map((a) => decodeURIComponent(a.getAttribute('href')!.slice(1)))
          .filter((id) => id && !ids.has(id));
        expect(misses.length).toBe(broken.size);
      });

      it('puts its anchors where README says', () => {
        for (const [id, text] of Object.entries(expected.anchors ?? {})) {
          expect(dom.querySelector(`[id="${id}"]`)?.textContent, `#${id}`).toContain(text);
        }
      });

      it('shows no comment, alert marker or stray asterisks as text', () => {
        for (const code of dom.querySelectorAll('code, pre')) code.remove();
        const text = dom.textContent ?? '';
        expect(text).not.toMatch(/<!--[^]*?-->/);
        expect(text).not.toMatch(/\[!(NOTE|WARNING|IMPORTANT|TIP|CAUTION)\]/);
        if (!expected.findings?.some((f) => f.startsWith('bold-balance'))) expect(text).not.toContain('**');
      });
    });
  }
});
