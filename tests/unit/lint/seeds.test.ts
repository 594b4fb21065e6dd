/**
 * The raw seeds, as pasted from PDFs, hold real examples of what lint is for; the converted
 * documents in content/ come out clean, the quirks of the published text acknowledged in place.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../../src/lint/lint-files.ts';
import { contentFolder } from '../../helpers/content.ts';
import { contentFiles, contentRoot, rawSeeds } from '../../helpers/paths.ts';

const brief = (findings: Awaited<ReturnType<typeof lintPaths>>) =>
  findings.map((f) => `${f.line}:${f.column} ${f.severity} ${f.rule}`);

describe('lint on the raw seeds', () => {
  it('finds the agreement’s broken bold runs, page breaks, numbering gap and mixed brackets', async () => {
    const findings = await lintPaths([rawSeeds.agreement]);
    expect(brief(findings)).toEqual([
      '1:1 error front-matter',
      '35:50 warning page-break',
      '63:51 warning page-break',
      '71:17 error bold-balance',
      '72:26 error bold-balance',
      '82:23 error bold-balance',
      '83:30 error bold-balance',
      '107:1 warning numbering',
      '125:25 warning page-break',
      '143:1 warning bracket-width',
      '145:1 warning bracket-width',
    ]);
    const numbering = findings.find((f) => f.rule === 'numbering')!;
    expect(numbering.message).toContain('jumps from (1) to (3)');
    const pageBreak = findings.find((f) => f.rule === 'page-break')!;
    expect(pageBreak.message).toContain('投保人、');
    expect(pageBreak.message).toContain('被保险人');
  });

  it('finds the privacy policy’s three page breaks', async () => {
    const findings = await lintPaths([rawSeeds.privacy]);
    expect(brief(findings)).toEqual([
      '1:1 error front-matter',
      '36:163 warning page-break',
      '95:41 warning page-break',
      '166:76 warning page-break',
    ]);
  });
});

describe('lint on content/', () => {
  it('reports nothing: the quirks kept because the published text has them are acknowledged in the file', async () => {
    expect(await lintPaths([contentRoot])).toEqual([]);
  });

  it('still finds those quirks once the acknowledging comments are taken out', async () => {
    const source = readFileSync(contentFiles.agreement, 'utf8');
    expect(source).toContain(
      '<!-- assent-lint-disable-next-line numbering -- (2) is missing in the published original -->',
    );
    const root = contentFolder({
      'weisure-service-agreement/2018-06-01.md': source.replace(/<!-- assent-lint-[^\n]*-->\n\n/g, ''),
    });
    const findings = await lintPaths([root]);
    expect(findings.map((f) => `${f.line} ${f.severity} ${f.rule}`)).toEqual([
      '112 warning numbering',
      '146 warning bracket-width',
      '148 warning bracket-width',
    ]);
  });
});
