/**
 * Real documents at two dates (tests/fixtures/corpus/<name>@<date>.md), diffed through the real
 * pipeline: what a reader of the changes page would see must make sense.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../../src/cli/commands/diff.ts';
import { changeReport, type ChangeRow } from '../../../src/diff/change-report.ts';
import { clauseDiff, type ClauseChange } from '../../../src/diff/clause-diff.ts';
import { visibleText } from '../../../src/diff/visible-text.ts';
import { clauseBlocks, type ClauseBlock } from '../../../src/markdown/clause-blocks.ts';
import { createLegalMarkdown, parseLegal } from '../../../src/markdown/pipeline.ts';
import { projectRoot } from '../../helpers/paths.ts';

const corpus = join(projectRoot, 'tests/fixtures/corpus');
const sources = JSON.parse(readFileSync(join(corpus, 'SOURCES.json'), 'utf8')) as Array<{
  file: string;
  language: string;
}>;
const md = createLegalMarkdown();
const blocksOf = (file: string) => clauseBlocks(parseLegal(md, readFileSync(join(corpus, file), 'utf8')));

/** Every document the corpus has at two or more dates, as consecutive pairs of files. */
const pairs = Object.entries(
  Object.groupBy(
    readdirSync(corpus).filter((f) => /@\d{4}-\d{2}-\d{2}\.md$/.test(f)),
    (f) => f.slice(0, f.indexOf('@')),
  ),
).flatMap(([name, files]) =>
  (files ?? [])
    .sort()
    .slice(1)
    .map((after, i) => ({ name, before: files![i]!, after })),
);

interface Diffed {
  before: ClauseBlock[];
  after: ClauseBlock[];
  locale: string;
  changes: ClauseChange[];
  rows: ChangeRow[];
}

function diffPair(before: string, after: string): Diffed {
  const locale = sources.find((s) => s.file === after)?.language ?? 'en';
  const [b, a] = [blocksOf(before), blocksOf(after)];
  const changes = clauseDiff(b, a, locale);
  return { before: b, after: a, locale, changes, rows: changeReport(changes).rows };
}

it('has documents at two dates to compare', () => {
  expect(pairs.map((p) => p.name)).toEqual(
    expect.arrayContaining(['github-terms', 'ulogviewer-user-agreement-zh']),
  );
});

describe.each(pairs)('$name: $before → $after', ({ before, after }) => {
  const d = diffPair(before, after);
  const shown = d.rows.filter((r) => r.type === 'changed' || r.type === 'added' || r.type === 'removed');
  const edits = d.changes.filter((c) => c.op !== 'same');

  it('shows one row for every clause that changed', () => {
    expect(shown).toHaveLength(edits.length);
    expect(edits.length).toBeGreaterThan(0);
  });

  it('never reports a clause that reads the same as a change of words', () => {
    for (const c of edits) {
      if (c.op !== 'changed' || c.formattingOnly) continue;
      expect(visibleText(c.before.text, d.locale), c.after.text).not.toBe(
        visibleText(c.after.text, d.locale),
      );
    }
  });

  it('marks visible words in every changed clause, or labels it formatting only and names the passage', () => {
    for (const row of shown) {
      if (row.type !== 'changed') continue;
      const marked = row.parts.filter((p) => p.op !== 'same');
      if (row.formattingOnly) {
        expect(marked).toEqual([]);
        expect(row.emphasis.added.length + row.emphasis.removed.length).toBeGreaterThan(0);
      } else {
        expect(
          marked.some((p) => p.text.trim() !== ''),
          JSON.stringify(row.parts),
        ).toBe(true);
      }
    }
  });

  it('puts every change after the first heading in a section', () => {
    const firstHeading = (blocks: ClauseBlock[]) => blocks.findIndex((b) => b.kind === 'heading');
    edits.forEach((c, i) => {
      const [blocks, block] = c.op === 'removed' ? [d.before, c.before] : [d.after, c.after];
      const start = firstHeading(blocks);
      if (start >= 0 && blocks.indexOf(block) >= start) expect(shown[i]!.section, block.text).toBeDefined();
    });
  });

  it('prints in the terminal', () => {
    const text = formatReport(changeReport(d.changes), { color: false });
    expect(text).toMatch(/^\d+ changed, \d+ added, \d+ removed\n/);
  });
});

describe('GitHub Terms of Service, 2020 → 2026', () => {
  const d = diffPair('github-terms@2020-10-15.md', 'github-terms@2026-03-02.md');
  const change = (text: string) =>
    d.changes.find((c) => (c.op === 'removed' ? c.before : c.after).text.includes(text));

  it('does not report the export-control clause, where only a double space became single', () => {
    expect(change('Specially Designated National')?.op).toBe('same');
  });

  it('shows "User Account" renamed "Personal Account" word by word', () => {
    const c = change('represents your legal relationship with GitHub');
    expect(c?.op === 'changed' && c.parts.filter((p) => p.op !== 'same').map((p) => p.text)).toEqual([
      'User',
      'Personal',
      'User',
      'Personal',
    ]);
  });

  it('adds the new clause 8. Access Reciprocity in section D', () => {
    const row = d.rows.find((r) => r.type === 'added' && r.text === '8. Access Reciprocity');
    expect(row?.type === 'added' && row.section?.text).toBe('D. User-Generated Content');
  });
});

describe('ULogViewer user agreement (Chinese), April → August 2026', () => {
  const d = diffPair(
    'ulogviewer-user-agreement-zh@2026-04-14.md',
    'ulogviewer-user-agreement-zh@2026-08-13.md',
  );

  it('shows a removed clause in the section it had in the old version', () => {
    const row = d.rows.find((r) => r.type === 'removed' && r.text.includes('下载的升级文件'));
    expect(row?.type === 'removed' && row.section).toMatchObject({ text: '自我升级', version: 'before' });
  });

  it('shows the changed contact address word by word', () => {
    const row = d.rows.find(
      (r) => r.type === 'changed' && r.parts.some((p) => p.text.includes('support@carinastudio.net')),
    );
    expect(row?.type === 'changed' && row.parts.filter((p) => p.op !== 'same')).toEqual([
      { op: 'removed', text: 'carina.software.studio@gmail.com' },
      { op: 'added', text: 'support@carinastudio.net' },
    ]);
  });
});
