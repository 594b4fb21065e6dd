/**
 * The raw seeds, as pasted from PDFs, hold real examples of what lint is for; the converted
 * documents in content/ must come out clean of errors.
 */
import { describe, expect, it } from 'vitest';
import { lintPaths } from '../../../src/lint/lint-files.ts';
import { contentRoot, rawSeeds } from '../../helpers/paths.ts';

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
  it('reports no error, and only the quirks kept because the published text has them', async () => {
    const findings = await lintPaths([contentRoot]);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(['numbering', 'bracket-width', 'bracket-width']);
  });
});
