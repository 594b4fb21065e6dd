import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/commands/diff.ts';
import { changeReport, type ChangeRow } from '../../../src/diff/change-report.ts';
import { clauseDiff } from '../../../src/diff/clause-diff.ts';
import { clauseBlocks } from '../../../src/markdown/clause-blocks.ts';
import { parse } from '../../helpers/markdown.ts';

const report = (before: string, after: string, locale = 'en') =>
  changeReport(clauseDiff(clauseBlocks(parse(before)), clauseBlocks(parse(after)), locale));
const changeRows = (rows: ChangeRow[]) =>
  rows.filter((r) => r.type === 'changed' || r.type === 'added' || r.type === 'removed');

const before = `# Privacy Policy

## 5. Data retention

We keep server logs for one year.

We keep backups of your repositories for 90 days after you delete them.

## 6. Your rights

You may ask for a copy of your personal data.
`;

describe('sections in the change report', () => {
  it('gives a removed clause the section it was in, in the old version', () => {
    const after = before
      .replace('## 5. Data retention', '## 5. How long we keep data')
      .replace('We keep backups of your repositories for 90 days after you delete them.\n\n', '');
    const removed = changeRows(report(before, after).rows).find(
      (r) => r.type === 'removed' && r.text.includes('backups'),
    );
    expect(removed?.section).toEqual({ anchor: 'c5', text: '5. Data retention', version: 'before' });
  });

  it('gives an added clause the section it is in, in the new version', () => {
    const after = before
      .replace('## 5. Data retention', '## 5. How long we keep data')
      .replace(
        'for 90 days after you delete them.',
        'for 90 days after you delete them.\n\nWe delete analytics events after 30 days.',
      );
    const added = changeRows(report(before, after).rows).find(
      (r) => r.type === 'added' && r.text.includes('analytics'),
    );
    expect(added?.section).toEqual({ anchor: 'c5', text: '5. How long we keep data', version: 'after' });
  });

  it('gives a clause under a newly added heading that heading', () => {
    const after = before.replace(
      '## 6. Your rights',
      '## 6. Children\n\nWe do not knowingly collect data from children under 13.\n\n## 7. Your rights',
    );
    const added = changeRows(report(before, after).rows).filter((r) => r.type === 'added');
    expect(added.map((r) => r.section?.text)).toEqual(['Privacy Policy', '6. Children']);
  });

  it('gives every change a section when the document has headings', () => {
    const after = before
      .replace('one year', 'six months')
      .replace('## 6. Your rights', '## 6. Your choices')
      .replace(
        'You may ask for a copy of your personal data.',
        'You may ask us to correct your personal data.',
      );
    const rows = changeRows(report(before, after).rows);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.section !== undefined)).toBe(true);
  });

  it('names the section again after an unchanged stretch, so that a change is never read under the wrong heading', () => {
    const after = before
      .replace('server logs for one year', 'server logs for six months')
      .replace('You may ask for a copy', 'You may ask at any time for a copy');
    const rows = report(before, after).rows;
    const types = rows.map((r) => (r.type === 'context' ? `context ${r.section?.text}` : r.type));
    expect(types).toEqual([
      'unchanged',
      'context 5. Data retention',
      'changed',
      'unchanged',
      'context 6. Your rights',
      'changed',
    ]);
  });

  it('prints each change under its section in the terminal', () => {
    const after = before.replace(
      'We keep backups of your repositories for 90 days after you delete them.\n\n',
      '',
    );
    expect(formatReport(report(before, after), { color: false })).toContain(
      '5. Data retention\n  removed #c5\n    [-We keep backups of your repositories for 90 days after you delete them.-]',
    );
  });
});
